// The HorizontalPodAutoscaler controller (pkg/controller/podautoscaler/horizontal.go), one HPA per
// key, every sync period (15 s, `--sim hpaSyncMs=…`) through the clock. The ladder of reconcileAutoscaler:
//   1. read the target's scale (Deployment, StatefulSet, ReplicaSet, ReplicationController):
//      missing → AbleToScale False FailedGetScale;
//   2. replicas 0 → scaling disabled;
//   3. outside min/max → the nearest bound; else each metric's recommendation (metrics.ts), the
//      largest wins; a metric that cannot be read → ScalingActive False FailedGetResourceMetric,
//      replicas unchanged;
//   4. stabilization, policies and bounds (behavior.ts);
//   5. a new count is written to the target's spec.replicas (what PUT …/scale does) with a
//      SuccessfulRescale event; status and conditions follow.

import type { Mutation } from '../../core/events.ts';
import { rfc3339 } from '../../core/clock.ts';
import { deepEqual } from '../../core/metadata.ts';
import type { KObject } from '../../core/object.ts';
import { lookupKind } from '../../core/registry.ts';
import { selectorFromSpec, type LabelSelector } from '../../core/selectors.ts';
import type { ReadView } from '../../store/store.ts';
import { recordEvent } from '../events.ts';
import { PODS, podPhase } from '../runtime/pods.ts';
import { objectKey, splitKey, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from '../runtime/types.ts';
import { ANN_RECOMMENDATIONS, decide, historyWindowMs, remember, type Behavior, type Decision, type Recommendations } from './behavior.ts';
import { ableToScale, failedGetScale, failedMetric, mergeConditions, scalingDisabled, scalingLimited, succeededGetScale, validMetric, type HpaCondition } from './conditions.ts';
import { evaluateMetric, MetricError, type ResourceMetricSpec } from './metrics.ts';

export const HPAS = 'autoscaling/v2/horizontalpodautoscalers';
const COMPONENT = 'horizontal-pod-autoscaler';
export const DEFAULT_SYNC_MS = 15_000;

interface HpaSpec {
  scaleTargetRef: { apiVersion?: string; kind: string; name: string };
  minReplicas?: number;
  maxReplicas: number;
  metrics?: ResourceMetricSpec[];
  behavior?: Behavior;
}

interface HpaStatus {
  currentReplicas?: number;
  desiredReplicas?: number;
  currentMetrics?: unknown[];
  conditions?: HpaCondition[];
  lastScaleTime?: string;
}

/** What one sync concluded. */
interface Outcome {
  recommended?: number;
  reason?: string;
  conditions: HpaCondition[];
  currentMetrics?: unknown[];
  warning?: { reason: string; message: string };
}

const specOf = (hpa: KObject) => hpa.spec as HpaSpec;
const statusOf = (hpa: KObject) => (hpa.status ?? {}) as HpaStatus;

function targetPods(target: KObject, view: ReadView): KObject[] {
  const selector = (target.spec as { selector?: LabelSelector }).selector;
  const matches = selectorFromSpec(selector);
  const live = (p: KObject) => !p.metadata.deletionTimestamp && podPhase(p) !== 'Failed' && podPhase(p) !== 'Succeeded';
  return view.list(PODS, { namespace: target.metadata.namespace ?? '', filter: (p) => live(p) && matches(p.metadata.labels) }).items;
}

/** Step 3: the recommendation before behavior, and why. */
function recommend(spec: HpaSpec, current: number, target: KObject, view: ReadView): Outcome {
  const min = spec.minReplicas ?? 1;
  if (current > spec.maxReplicas) return { recommended: spec.maxReplicas, reason: 'Current number of replicas above Spec.MaxReplicas', conditions: [] };
  if (current < min) return { recommended: min, reason: 'Current number of replicas below Spec.MinReplicas', conditions: [] };
  const pods = targetPods(target, view);
  try {
    const results = (spec.metrics ?? []).map((m) => evaluateMetric(m, pods, current, view));
    const best = results.reduce((a, b) => (b.calc.replicas > a.calc.replicas ? b : a));
    const reason = best.calc.replicas > current ? `${best.description} above target` : 'All metrics below target';
    return { recommended: best.calc.replicas, reason, conditions: [validMetric(best.description)], currentMetrics: results.map((r) => r.current) };
  } catch (err) {
    if (!(err instanceof MetricError)) throw err;
    return { conditions: [failedMetric(err.message)], warning: { reason: 'FailedGetResourceMetric', message: err.message } };
  }
}

export function reconcileAutoscaler(key: Key, { view, now }: ReconcileContext, syncMs = DEFAULT_SYNC_MS): ReconcileResult {
  const { ns, name } = splitKey(key);
  const hpa = view.get(HPAS, ns, name);
  if (!hpa) return { writes: [] };
  const spec = specOf(hpa);
  const ref = spec.scaleTargetRef;
  const info = lookupKind(ref.apiVersion ?? '', ref.kind);
  const target = info && view.get(info.res, ns, ref.name);
  if (!info || !target) {
    const message = `${info?.plural ?? ref.kind.toLowerCase()}.${info?.group || 'core'} "${ref.name}" not found`;
    const writes = statusWrites(hpa, { conditions: [failedGetScale(message)], warning: { reason: 'FailedGetScale', message } }, undefined, 0, now);
    return { writes, requeueAfter: syncMs };
  }
  const current = (target.spec as { replicas?: number }).replicas ?? 1;
  if (current === 0) return { writes: statusWrites(hpa, { conditions: [succeededGetScale(), scalingDisabled()] }, undefined, 0, now), requeueAfter: syncMs };
  const outcome = recommend(spec, current, target, view);
  if (outcome.recommended === undefined) return { writes: statusWrites(hpa, { ...outcome, conditions: [succeededGetScale(), ...outcome.conditions] }, undefined, current, now), requeueAfter: syncMs };
  const history = remember(recommendationsOf(hpa), now, outcome.recommended, historyWindowMs(spec.behavior));
  const decision = decide(history, now, current, spec.minReplicas ?? 1, spec.maxReplicas, spec.behavior);
  const conditions = [ableToScale(decision, current), ...outcome.conditions, scalingLimited(decision)];
  const writes = statusWrites(hpa, { ...outcome, conditions }, { history, decision }, current, now);
  if (decision.replicas !== current) writes.unshift(...rescale(hpa, info.res, target, decision.replicas, outcome.reason!, now));
  return { writes, requeueAfter: syncMs };
}

function recommendationsOf(hpa: KObject): Recommendations {
  try {
    const parsed: unknown = JSON.parse(hpa.metadata.annotations?.[ANN_RECOMMENDATIONS] ?? '[]');
    return Array.isArray(parsed) ? (parsed as Recommendations) : [];
  } catch {
    return [];
  }
}

/** Step 5: the scale subresource's effect — the target's spec.replicas — and the event. */
function rescale(hpa: KObject, res: string, target: KObject, replicas: number, reason: string, now: number): Mutation[] {
  const scale: Mutation = {
    op: 'patch',
    res,
    ns: target.metadata.namespace ?? '',
    name: target.metadata.name!,
    apply: (cur) => ({ ...cur, spec: { ...(cur.spec as object), replicas } }),
  };
  return [scale, recordEvent(COMPONENT, { object: hpa, type: 'Normal', reason: 'SuccessfulRescale', message: `New size: ${replicas}; reason: ${reason}` }, now)];
}

function statusWrites(hpa: KObject, outcome: Outcome, decided: { history: Recommendations; decision: Decision } | undefined, current: number, now: number): Mutation[] {
  const old = statusOf(hpa);
  const rescaled = decided && decided.decision.replicas !== current;
  const status: HpaStatus = {
    ...(outcome.currentMetrics ? { currentMetrics: outcome.currentMetrics } : {}),
    currentReplicas: current,
    desiredReplicas: decided?.decision.replicas ?? current,
    ...(rescaled ? { lastScaleTime: rfc3339(now) } : old.lastScaleTime ? { lastScaleTime: old.lastScaleTime } : {}),
    conditions: mergeConditions(old.conditions ?? [], outcome.conditions, now),
  };
  const history = decided ? JSON.stringify(decided.history) : hpa.metadata.annotations?.[ANN_RECOMMENDATIONS];
  const writes: Mutation[] = outcome.warning ? [recordEvent(COMPONENT, { object: hpa, type: 'Warning', ...outcome.warning }, now)] : [];
  if (deepEqual(status, hpa.status) && history === hpa.metadata.annotations?.[ANN_RECOMMENDATIONS]) return writes;
  const annotations = history === undefined ? hpa.metadata.annotations : { ...hpa.metadata.annotations, [ANN_RECOMMENDATIONS]: history };
  writes.unshift({
    op: 'patch',
    res: HPAS,
    ns: hpa.metadata.namespace ?? '',
    name: hpa.metadata.name!,
    apply: (cur) => ({ ...cur, metadata: { ...cur.metadata, ...(annotations ? { annotations } : {}) }, status }),
  });
  return writes;
}

export const autoscalerController: ControllerFactory = (opts): Controller => {
  const syncMs = opts.kubelet?.hpaSyncMs ?? DEFAULT_SYNC_MS;
  return {
    name: COMPONENT,
    watches: [{ res: HPAS, keys: (e) => (e.type === 'DELETED' ? [] : [objectKey(e.ns, e.name)]) }],
    reconcile: (key, ctx) => reconcileAutoscaler(key, ctx, syncMs),
  };
};
