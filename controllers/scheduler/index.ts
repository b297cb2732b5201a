// The scheduler (kube-scheduler's default profile, one pod per reconcile): a pod that names no node
// and asks for "default-scheduler" is filtered against every node (filters.ts), the feasible nodes
// are scored (score.ts), and the pod is bound to the best one — the in-process form of a create on
// pods/binding: spec.nodeName plus PodScheduled=True, and a Normal "Scheduled" Event
// ("Successfully assigned default/web-1 to node-2").
//
// When no node fits, the pod gets PodScheduled=False reason Unschedulable with kube-scheduler's
// FitError message and a Warning FailedScheduling Event, e.g.
//   0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No
//   preemption victims found for incoming pod.
// It is tried again when a node changes or a bound pod goes away (freeing room) — kube-scheduler's
// unschedulable queue moves pods on exactly such cluster events — never in a loop of its own: an
// attempt that reaches the same verdict writes nothing.

import { rfc3339 } from '../../core/clock.ts';
import type { Event, Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { recordEvent } from '../events.ts';
import { NODES } from '../nodes/node.ts';
import { PODS, podSpec } from '../runtime/pods.ts';
import { objectKey, splitKey, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from '../runtime/types.ts';
import { filterNode, type FilterFailure, type NodeInfo } from './filters.ts';
import { selectNode } from './score.ts';
import { NodeInfoCache, snapshot, type Snapshot } from './cache.ts';
import { preFilterMessage, volumeBinding } from './volume-binding.ts';
import { PVCS } from '../volume/claims.ts';

export const SCHEDULER_NAME = 'default-scheduler';

interface PodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
}

const schedulerNameOf = (pod: KObject) => (pod.spec as { schedulerName?: string } | undefined)?.schedulerName ?? SCHEDULER_NAME;
const conditionsOf = (pod: KObject) => ((pod.status as { conditions?: PodCondition[] } | undefined)?.conditions ?? []);

/** Pods not bound to a node yet, as the field selector `spec.nodeName=` reads them (kube-scheduler's pod informer). */
const UNBOUND = { 'spec.nodeName': '' };

/** A pod this scheduler should place: unbound, not being deleted, asking for us. */
export function wantsScheduling(pod: KObject): boolean {
  return !podSpec(pod).nodeName && pod.metadata.deletionTimestamp === undefined && schedulerNameOf(pod) === SCHEDULER_NAME;
}

/** At most this many pods are placed by one reconcile (the rest by the reconciles of their own keys). */
export const SCHEDULING_BATCH = 500;

/**
 * Places the pod of `key` and, in the same pass, the other pods waiting for a first attempt
 * (oldest first), each decision assumed before the next, as kube-scheduler's cache does. The
 * controller passes its NodeInfoCache, kept current by events (cache.ts); without one the pass
 * builds a snapshot of the view.
 */
export function reconcileSchedule(key: Key, { view, now }: ReconcileContext, cache?: NodeInfoCache): ReconcileResult {
  if (cache && !cache.filled) cache.fill(view);
  const { ns, name } = splitKey(key);
  const pod = view.get(PODS, ns, name);
  if (!pod || !wantsScheduling(pod)) return { writes: [] };
  cache?.forgetStale(view);
  const snap = cache ?? snapshot(view);
  const batch = [pod, ...firstAttempts(view).filter((p) => p.metadata.uid !== pod.metadata.uid)].slice(0, SCHEDULING_BATCH);
  return { writes: batch.flatMap((p) => scheduleOne(p, snap, view, now)) };
}

function scheduleOne(pod: KObject, snap: Snapshot, view: ReadView, now: number): Mutation[] {
  const volumes = volumeBinding(pod, view);
  if (volumes.unresolvable) return markUnschedulable(pod, preFilterMessage(snap.nodes.length, volumes.unresolvable), now);
  const feasible: NodeInfo[] = [];
  const failures = new Map<string, FilterFailure[]>();
  for (const info of snap.nodes) {
    const early = filterNode(pod, info);
    const why = early.length ? early : volumes.filter(info);
    if (why.length === 0) feasible.push(info);
    else failures.set(info.node.metadata.name!, why);
  }
  const chosen = selectNode(pod, feasible, snap);
  if (!chosen) return markUnschedulable(pod, fitErrorMessage(snap.nodes.length, failures), now);
  snap.assume(pod, chosen);
  return [...volumes.preBind(chosen.node.metadata.name!), ...bind(pod, chosen.node.metadata.name!, now)];
}

/** Pods never tried yet (no PodScheduled condition), oldest first. */
function firstAttempts(view: ReadView): KObject[] {
  const pending = view.list(PODS, { fields: UNBOUND, filter: (p) => wantsScheduling(p) && !conditionsOf(p).some((c) => c.type === 'PodScheduled') }).items;
  const created = (p: KObject) => p.metadata.creationTimestamp ?? '';
  return [...pending].sort((a, b) => (created(a) < created(b) ? -1 : created(a) > created(b) ? 1 : 0));
}

function bind(pod: KObject, nodeName: string, now: number): Mutation[] {
  const { namespace = '', name = '' } = pod.metadata;
  const scheduled: PodCondition = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now) };
  return [
    {
      op: 'patch',
      res: PODS,
      ns: namespace,
      name,
      expectedRV: pod.metadata.resourceVersion,
      apply: (cur) => ({
        ...cur,
        spec: { ...(cur.spec as object), nodeName },
        status: { ...(cur.status as object), conditions: withCondition(conditionsOf(cur), scheduled) },
      }),
    },
    recordEvent(SCHEDULER_NAME, { object: pod, type: 'Normal', reason: 'Scheduled', message: `Successfully assigned ${namespace}/${name} to ${nodeName}` }, now),
  ];
}

/** PodScheduled=False with the reason, unless the pod already says exactly that. */
function markUnschedulable(pod: KObject, message: string, now: number): Mutation[] {
  const current = conditionsOf(pod).find((c) => c.type === 'PodScheduled');
  if (current?.status === 'False' && current.message === message) return [];
  const condition: PodCondition = { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: rfc3339(now) };
  return [
    {
      op: 'patch',
      res: PODS,
      ns: pod.metadata.namespace ?? '',
      name: pod.metadata.name!,
      expectedRV: pod.metadata.resourceVersion,
      apply: (cur) => ({ ...cur, status: { phase: 'Pending', ...(cur.status as object), conditions: withCondition(conditionsOf(cur), condition) } }),
    },
    recordEvent(SCHEDULER_NAME, { object: pod, type: 'Warning', reason: 'FailedScheduling', message }, now),
  ];
}

function withCondition(conditions: PodCondition[], c: PodCondition): PodCondition[] {
  return [...conditions.filter((x) => x.type !== c.type), c];
}

/**
 * framework.FitError.Error() followed by the preemption PostFilter's message: reasons counted over
 * nodes and sorted, then which nodes preemption could have helped on (none here: Rewind has no
 * lower-priority victims to offer, so "No preemption victims found for incoming pod").
 */
export function fitErrorMessage(total: number, failures: Map<string, FilterFailure[]>): string {
  if (total === 0) return 'no nodes available to schedule pods';
  const reasons = new Map<string, number>();
  const preemption = new Map<string, number>();
  for (const list of failures.values()) {
    for (const f of list) reasons.set(f.reason, (reasons.get(f.reason) ?? 0) + 1);
    const verdict = list.every((f) => f.resolvable) ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling';
    preemption.set(verdict, (preemption.get(verdict) ?? 0) + 1);
  }
  return `${available(total, reasons)} preemption: ${available(total, preemption)}`;
}

function available(total: number, counts: Map<string, number>): string {
  const parts = [...counts].map(([reason, n]) => `${n} ${reason}`).sort();
  return `0/${total} nodes are available: ${parts.join(', ')}.`;
}

/** Pods waiting because nothing fit: the ones to try again when the cluster changes. */
function unschedulableKeys(view: ReadView): Key[] {
  return view
    .list(PODS, { fields: UNBOUND, filter: (p) => wantsScheduling(p) && conditionsOf(p).some((c) => c.type === 'PodScheduled' && c.status === 'False') })
    .items.map((p) => objectKey(p.metadata.namespace ?? '', p.metadata.name!));
}

function podKeys(e: Event, view: ReadView): Key[] {
  if (e.type !== 'DELETED') return wantsScheduling(e.object) ? [objectKey(e.ns, e.name)] : [];
  return podSpec(e.object).nodeName ? unschedulableKeys(view) : [];
}

export const schedulerController: ControllerFactory = (): Controller => {
  const cache = new NodeInfoCache();
  return {
    name: 'scheduler',
    actorKind: 'scheduler',
    watches: [
      { res: PODS, keys: podKeys },
      { res: NODES, keys: (_e, view) => unschedulableKeys(view) },
      { res: PVCS, keys: (_e, view) => unschedulableKeys(view) },
    ],
    observe: (e) => cache.observe(e),
    reconcile: (key, ctx) => reconcileSchedule(key, ctx, cache),
    initialKeys: (view) => view.list(PODS, { fields: UNBOUND, filter: wantsScheduling }).items.map((p) => objectKey(p.metadata.namespace ?? '', p.metadata.name!)),
  };
};
