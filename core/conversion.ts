// Conversion between the version a client speaks and the version an object is stored in, for the
// two kinds served in more than one group/version (see core/registry.ts):
//
// - HorizontalPodAutoscaler: stored as autoscaling/v2, also served as autoscaling/v1. v1 knows only
//   a CPU utilization target; as kube-apiserver does, what v1 cannot say (other metrics, behavior,
//   conditions, other current metrics) rides in `autoscaling.alpha.kubernetes.io/*` annotations, so
//   v2 → v1 → v2 loses nothing. (Kubernetes writes the annotations in the old v2beta1 metric shape;
//   we keep v2 entries as they are — same round trip, simpler.)
//     v2 metrics [{type: Resource, resource: {name: cpu, target: {type: Utilization,
//     averageUtilization: 50}}}]  ⇄  v1 targetCPUUtilizationPercentage: 50
// - Event: stored as core v1, also served as events.k8s.io/v1, whose fields are renamed:
//     regarding ⇄ involvedObject, note ⇄ message, reportingController ⇄ reportingComponent,
//     deprecatedSource/Count/FirstTimestamp/LastTimestamp ⇄ source/count/firstTimestamp/lastTimestamp
//
// Every other kind converts by identity (the same object is returned).

import type { KObject } from './object.ts';
import { clone } from './object.ts';
import { rec, list, type Fields } from './kinds/types.ts';
import { cpuUtilizationMetric } from './kinds/horizontalpodautoscaler.ts';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

const HPA = 'HorizontalPodAutoscaler';
const METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/metrics';
const CURRENT_METRICS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/current-metrics';
const CONDITIONS_ANNOTATION = 'autoscaling.alpha.kubernetes.io/conditions';
const BEHAVIOR_ANNOTATION = 'autoscaling.alpha.kubernetes.io/behavior';

/** Event field renames, core v1 name → events.k8s.io/v1 name. */
const EVENT_RENAMES: [string, string][] = [
  ['involvedObject', 'regarding'],
  ['message', 'note'],
  ['reportingComponent', 'reportingController'],
  ['source', 'deprecatedSource'],
  ['count', 'deprecatedCount'],
  ['firstTimestamp', 'deprecatedFirstTimestamp'],
  ['lastTimestamp', 'deprecatedLastTimestamp'],
];

function renamed(obj: KObject, apiVersion: string, pairs: [string, string][]): KObject {
  const out = clone(obj);
  out.apiVersion = apiVersion;
  for (const [from, to] of pairs) {
    if (from in out) {
      out[to] = out[from];
      delete out[from];
    }
  }
  return out;
}

/** Is this a CPU utilization metric, the one metric v1 can express? */
const isCpuUtilization = (m: unknown, side: 'target' | 'current') => {
  const r = rec(rec(m)?.resource);
  return rec(m)?.type === 'Resource' && r?.name === 'cpu' && rec(r?.[side])?.averageUtilization !== undefined &&
    (side === 'current' || rec(r?.target)?.type === 'Utilization');
};

/** Move a JSON annotation's value back into a field (deleting the annotation), if present. */
function takeAnnotation(meta: Fields, key: string): unknown {
  const value = meta.annotations?.[key];
  if (value === undefined) return undefined;
  delete meta.annotations[key];
  if (Object.keys(meta.annotations).length === 0) delete meta.annotations;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function putAnnotation(meta: Fields, key: string, value: unknown): void {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return;
  meta.annotations = { ...meta.annotations, [key]: JSON.stringify(value) };
}

/** The cpu utilization a v2 metric list targets (or currently measures), and the other metrics. */
function splitCpu(metrics: unknown[], side: 'target' | 'current'): { cpu?: number; others: unknown[] } {
  const cpu = metrics.find((m) => isCpuUtilization(m, side));
  return { cpu: rec(rec(rec(cpu)?.resource)?.[side])?.averageUtilization, others: metrics.filter((m) => m !== cpu) };
}

/** autoscaling/v1 → autoscaling/v2: the CPU target becomes a metric; annotations give back the rest. */
function hpaV1ToV2(obj: KObject): KObject {
  const out = clone(obj);
  out.apiVersion = 'autoscaling/v2';
  const meta = out.metadata as Fields;
  const spec: Fields = rec(out.spec) ?? {};
  const target = spec.targetCPUUtilizationPercentage;
  delete spec.targetCPUUtilizationPercentage;
  const metrics = [...(target !== undefined ? [cpuUtilizationMetric(target)] : []), ...list(takeAnnotation(meta, METRICS_ANNOTATION))];
  if (metrics.length > 0) spec.metrics = metrics;
  const behavior = takeAnnotation(meta, BEHAVIOR_ANNOTATION);
  if (behavior !== undefined) spec.behavior = behavior;
  out.spec = spec;
  const conditions = takeAnnotation(meta, CONDITIONS_ANNOTATION);
  const otherCurrent = list(takeAnnotation(meta, CURRENT_METRICS_ANNOTATION));
  const status = rec(out.status);
  if (status) {
    const current = status.currentCPUUtilizationPercentage;
    delete status.currentCPUUtilizationPercentage;
    const cpu = current !== undefined ? [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }] : [];
    if (cpu.length + otherCurrent.length > 0) status.currentMetrics = [...cpu, ...otherCurrent];
    if (conditions !== undefined) status.conditions = conditions;
  }
  return out;
}

/** autoscaling/v2 → autoscaling/v1: the CPU utilization metric becomes the target; the rest goes to annotations. */
function hpaV2ToV1(obj: KObject): KObject {
  const out = clone(obj);
  out.apiVersion = 'autoscaling/v1';
  const meta = out.metadata as Fields;
  const spec: Fields = rec(out.spec) ?? {};
  const target = splitCpu(list(spec.metrics), 'target');
  if (target.cpu !== undefined) spec.targetCPUUtilizationPercentage = target.cpu;
  putAnnotation(meta, METRICS_ANNOTATION, target.others);
  putAnnotation(meta, BEHAVIOR_ANNOTATION, spec.behavior);
  delete spec.metrics;
  delete spec.behavior;
  out.spec = spec;
  const status = rec(out.status);
  if (status) {
    const current = splitCpu(list(status.currentMetrics), 'current');
    if (current.cpu !== undefined) status.currentCPUUtilizationPercentage = current.cpu;
    putAnnotation(meta, CURRENT_METRICS_ANNOTATION, current.others);
    putAnnotation(meta, CONDITIONS_ANNOTATION, status.conditions);
    delete status.currentMetrics;
    delete status.conditions;
  }
  return out;
}

/** An object as sent in the request's group/version, converted to its storage form. */
export function toStorage(req: GroupVersionKind, obj: KObject): KObject {
  if (req.kind === HPA && req.group === 'autoscaling' && req.version === 'v1') return hpaV1ToV2(obj);
  if (req.kind === 'Event' && req.group === 'events.k8s.io') {
    return renamed(obj, 'v1', EVENT_RENAMES.map(([core, events]) => [events, core]));
  }
  return obj;
}

/** A stored object, converted to the group/version a client asked for. */
export function fromStorage(targetGroup: string, targetVersion: string, obj: KObject): KObject {
  if (obj.kind === HPA && obj.apiVersion === 'autoscaling/v2' && targetVersion === 'v1') return hpaV2ToV1(obj);
  if (obj.kind === 'Event' && obj.apiVersion === 'v1' && targetGroup === 'events.k8s.io') {
    return renamed(obj, `events.k8s.io/${targetVersion}`, EVENT_RENAMES);
  }
  return obj;
}
