// The node lifecycle controller (kube-controller-manager's nodelifecycle, with its taint manager):
//   1. a node whose kubelet has been silent for the grace period (node-monitor-grace-period, 40 s)
//      gets every condition Unknown ("Kubelet stopped posting node status.") and the
//      node.kubernetes.io/unreachable taints NoSchedule and NoExecute; when the kubelet posts Ready
//      again the taints go (a NotReady node posted by its kubelet gets not-ready taints likewise);
//   2. a cordoned node (spec.unschedulable) carries node.kubernetes.io/unschedulable:NoSchedule
//      (TaintNodesByCondition);
//   3. the pods of a node that is not Ready are marked Ready=False (MarkPodsNotReady);
//   4. NoExecute taints evict: a pod that tolerates none of them goes at once, otherwise at the
//      taint's timeAdded + the smallest tolerationSeconds of its matching tolerations (admission's
//      DefaultTolerationSeconds gives every pod 300 s for not-ready and unreachable). Eviction is a
//      graceful delete; with the kubelet gone the pod stays Terminating, and its replica set, which
//      no longer counts it, creates a replacement elsewhere.
// Example: node-2 stopped at 12:00:00 → NotReady and tainted at 12:00:40 → its pods evicted at
// 12:05:40 → replacements scheduled on node-1 and node-3.

import { rfc3339 } from '../../core/clock.ts';
import type { Event, Mutation } from '../../core/events.ts';
import { deepEqual } from '../../core/metadata.ts';
import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { recordEvent } from '../events.ts';
import { simulation } from '../kubelet/options.ts';
import { deleteObject } from '../runtime/delete.ts';
import { isPodReady, PODS, podSpec } from '../runtime/pods.ts';
import type { Controller, ControllerFactory, ReconcileContext, ReconcileResult } from '../runtime/types.ts';
import { isKubeletStopped, renewTimeOf } from './liveness.ts';
import { isNodeReady, isUnschedulable, LEASE_NAMESPACE, LEASES, NODES, podsOn, type NodeCondition } from './node.ts';
import { taintsOf, tolerationsOf, toleratesTaint, UNREACHABLE, UNSCHEDULABLE, type Taint } from './taints.ts';

export const NOT_READY = 'node.kubernetes.io/not-ready';
const COMPONENT = 'node-controller';

export function reconcileNodeLifecycle(name: string, { view, now }: ReconcileContext, graceMs: number): ReconcileResult {
  const node = view.get(NODES, '', name);
  if (!node) return { writes: [] };
  const silentSince = lastHeard(node, view);
  const deadline = silentSince === undefined ? Infinity : silentSince + graceMs;
  const conditions = deadline <= now ? unknownConditions(node, now) : nodeConditions(node);
  const taints = desiredTaints(node, conditions, now);
  const writes: Mutation[] = [];
  if (!deepEqual(conditions, nodeConditions(node)) || !deepEqual(taints, taintsOf(node))) {
    writes.push(nodePatch(name, conditions, taints));
  }
  const ready = conditions.find((c) => c.type === 'Ready')?.status === 'True';
  const pods = podsOn(view, name);
  if (!ready) writes.push(...pods.filter(isPodReady).map((p) => markPodNotReady(p, now)));
  const eviction = evictions(pods, taints, now);
  writes.push(...eviction.writes);
  const next = Math.min(deadline > now ? deadline : Infinity, eviction.next);
  return { writes, ...(Number.isFinite(next) ? { requeueAfter: next - now } : {}) };
}

/** When a stopped kubelet last heartbeat (its Lease's renewTime once it took the stop in); undefined while it runs. */
function lastHeard(node: KObject, view: ReadView): number | undefined {
  if (!isKubeletStopped(node)) return undefined;
  const held = view.get(LEASES, LEASE_NAMESPACE, node.metadata.name!);
  if (!isKubeletStopped(held)) return undefined;
  const t = renewTimeOf(held);
  return Number.isNaN(t) ? undefined : t;
}

const nodeConditions = (node: KObject) => ((node.status as { conditions?: NodeCondition[] } | undefined)?.conditions ?? []);

/** tryUpdateNodeHealth: every condition Unknown, heartbeat kept, transition stamped now (once). */
function unknownConditions(node: KObject, now: number): NodeCondition[] {
  return nodeConditions(node).map((c) =>
    c.status === 'Unknown' ? c : { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: rfc3339(now) },
  );
}

/** The node's taints with the lifecycle taints set to what its Ready condition and cordon call for. */
function desiredTaints(node: KObject, conditions: NodeCondition[], now: number): Taint[] {
  const ready = conditions.find((c) => c.type === 'Ready')?.status;
  const managed = (t: Taint) => t.key === UNREACHABLE || t.key === NOT_READY || t.key === UNSCHEDULABLE;
  const want: Taint[] = [];
  const condition = ready === 'Unknown' ? UNREACHABLE : ready === 'False' ? NOT_READY : undefined;
  if (condition) want.push({ key: condition, effect: 'NoSchedule' }, { key: condition, effect: 'NoExecute' });
  if (isUnschedulable(node)) want.push({ key: UNSCHEDULABLE, effect: 'NoSchedule' });
  const kept = taintsOf(node).filter((t) => !managed(t) || want.some((w) => w.key === t.key && w.effect === t.effect));
  const added = want
    .filter((w) => !kept.some((t) => t.key === w.key && t.effect === w.effect))
    .map((w) => (w.effect === 'NoExecute' ? { ...w, timeAdded: rfc3339(now) } : w));
  return [...kept, ...added];
}

function nodePatch(name: string, conditions: NodeCondition[], taints: Taint[]): Mutation {
  return {
    op: 'patch',
    res: NODES,
    ns: '',
    name,
    apply: (cur) => {
      const { taints: _, ...spec } = (cur.spec ?? {}) as Record<string, unknown>;
      return { ...cur, spec: taints.length > 0 ? { ...spec, taints } : spec, status: { ...(cur.status as object), conditions } };
    },
  };
}

/** MarkPodsNotReady: the pod's Ready condition turns False, stamped now. */
function markPodNotReady(pod: KObject, now: number): Mutation {
  return {
    op: 'patch',
    res: PODS,
    ns: pod.metadata.namespace ?? '',
    name: pod.metadata.name!,
    apply: (cur) => {
      const status = (cur.status ?? {}) as { conditions?: { type: string; status: string }[] };
      const conditions = (status.conditions ?? []).map((c) => (c.type === 'Ready' && c.status === 'True' ? { ...c, status: 'False', lastTransitionTime: rfc3339(now) } : c));
      return { ...cur, status: { ...status, conditions } };
    },
  };
}

/**
 * The taint manager: when each pod on the node must go, given the node's NoExecute taints. A taint
 * tolerated without tolerationSeconds is tolerated for ever.
 */
export function evictionTime(pod: KObject, taints: Taint[]): number {
  let at = Infinity;
  for (const taint of taints.filter((t) => t.effect === 'NoExecute')) {
    const matching = tolerationsOf(pod).filter((t) => toleratesTaint(t, taint));
    if (matching.length === 0) return -Infinity;
    const seconds = Math.min(...matching.map((t) => t.tolerationSeconds ?? Infinity));
    const added = Date.parse(taint.timeAdded ?? '');
    at = Math.min(at, (Number.isNaN(added) ? 0 : added) + Math.max(0, seconds) * 1000);
  }
  return at;
}

function evictions(pods: KObject[], taints: Taint[], now: number): { writes: Mutation[]; next: number } {
  const writes: Mutation[] = [];
  let next = Infinity;
  for (const pod of pods.filter((p) => p.metadata.deletionTimestamp === undefined)) {
    const at = evictionTime(pod, taints);
    if (at <= now) {
      writes.push(deleteObject(PODS, pod, now));
      writes.push(recordEvent(COMPONENT, { object: pod, type: 'Normal', reason: 'TaintManagerEviction', message: `Marking for deletion Pod ${pod.metadata.namespace}/${pod.metadata.name}` }, now));
    } else next = Math.min(next, at);
  }
  return { writes, next };
}

/** Pod changes matter here only on a node that is not Ready (new pods to mark or evict). */
function podKeys(e: Event, view: ReadView): string[] {
  const nodeName = podSpec(e.object).nodeName;
  if (!nodeName || e.type === 'DELETED') return [];
  const node = view.get(NODES, '', nodeName);
  return node && (!isNodeReady(node) || taintsOf(node).some((t) => t.effect === 'NoExecute')) ? [nodeName] : [];
}

export const nodeLifecycleController: ControllerFactory = (opts): Controller => {
  const { nodeGraceMs } = simulation(opts);
  return {
    name: 'nodelifecycle',
    watches: [
      { res: NODES, keys: (e) => (e.type === 'DELETED' ? [] : [e.name]) },
      { res: LEASES, keys: (e) => (e.ns === LEASE_NAMESPACE && e.type !== 'DELETED' ? [e.name] : []) },
      { res: PODS, keys: podKeys },
    ],
    reconcile: (key, ctx) => reconcileNodeLifecycle(key, ctx, nodeGraceMs),
  };
};
