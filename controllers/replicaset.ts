// ReplicaSet and ReplicationController: keep the number of active pods matching the selector at
// spec.replicas (k8s.io/kubernetes pkg/controller/replicaset/replica_set.go; the RC controller there
// is the same code behind an adapter, and so it is here). One reconcile:
//   1. claim pods: keep owned ones that still match, release owned ones that stopped matching (seed
//      001: `kubectl label po kubia-x app=foo --overwrite` moves the pod out; a replacement appears),
//      adopt matching orphans;
//   2. manageReplicas: create the missing pods or delete the surplus, at most 500 per run
//      (burstReplicas), surplus chosen by the ActivePods ranking (unscheduled, pending, not ready,
//      doubled up on a node, newest first);
//   3. status: replicas, fullyLabeledReplicas, readyReplicas, availableReplicas, observedGeneration.
// Pods being deleted or finished don't count (FilterActivePods).
//
// A refused create (a ResourceQuota exceeded, any admission error) is reported as the real
// controller does: a Warning Event "FailedCreate" ("Error creating: <the API error>") and the
// condition ReplicaFailure=True reason FailedCreate with the error as message (the Deployment copies
// it). While the condition stands, the set creates one pod per run — the first step of client-go's
// slowStartBatch — so a quota with room for two of four missing pods lets two in; the condition goes
// once no pod is missing. Example: quota pods=2, replicas 4 → 2 pods, ReplicaFailure=True; the quota
// raised to 10 → the set is woken (it watches quotas), creates the last 2, the condition is cleared.

import { rfc3339 } from '../core/clock.ts';
import type { KObject } from '../core/object.ts';
import { deepEqual } from '../core/metadata.ts';
import { selectorFromSpec, type LabelPredicate } from '../core/selectors.ts';
import type { Mutation } from '../core/events.ts';
import { RESOURCE_QUOTAS } from '../core/quota.ts';
import { recordEvent, type EventRecord } from './events.ts';
import { podFailure, reportPodFailure } from './pod-failures.ts';
import { deleteObject } from './runtime/delete.ts';
import { claim } from './runtime/ownership.ts';
import {
  controllerOf,
  deletionOrder,
  isPodActive,
  isPodAvailable,
  isPodReady,
  podFromTemplate,
  podSpec,
  PODS,
  requeueForAvailability,
  type PodTemplate,
} from './runtime/pods.ts';
import { objectKey, splitKey, type CommitFailure, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from './runtime/types.ts';

/** replica_set.go BurstReplicas: the most pods created or deleted by one sync. */
export const BURST_REPLICAS = 500;
/** apps.ReplicaSetReplicaFailure (the RC's condition has the same name). */
const REPLICA_FAILURE = 'ReplicaFailure';

interface ReplicaKind {
  /** Controller name (kube-controller-manager's --controllers name). */
  name: string;
  /** Event source component. */
  component: string;
  res: string;
  kind: string;
  selector: (owner: KObject) => LabelPredicate;
}

interface ReplicaCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

interface ReplicaSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: unknown;
  template?: PodTemplate;
}

const specOf = (o: KObject) => (o.spec ?? {}) as ReplicaSpec;
const conditionsOf = (o: KObject) => ((o.status as { conditions?: ReplicaCondition[] } | undefined)?.conditions ?? []);
const replicaFailure = (o: KObject) => conditionsOf(o).find((c) => c.type === REPLICA_FAILURE && c.status === 'True');

export const REPLICA_SET: ReplicaKind = {
  name: 'replicaset',
  component: 'replicaset-controller',
  res: 'apps/v1/replicasets',
  kind: 'ReplicaSet',
  selector: (rs) => selectorFromSpec(specOf(rs).selector as Parameters<typeof selectorFromSpec>[0]),
};

/** An RC's selector is a plain label map; when unset the API defaults it to the template's labels. */
export const REPLICATION_CONTROLLER: ReplicaKind = {
  name: 'replicationcontroller',
  component: 'replication-controller',
  res: 'v1/replicationcontrollers',
  kind: 'ReplicationController',
  selector: (rc) => {
    const spec = specOf(rc);
    const sel = (spec.selector as Record<string, string> | undefined) ?? spec.template?.metadata?.labels;
    return selectorFromSpec(sel && Object.keys(sel).length > 0 ? { matchLabels: sel } : undefined);
  },
};

export function reconcileReplicas(k: ReplicaKind, key: Key, { view, now }: ReconcileContext): ReconcileResult {
  const { ns, name } = splitKey(key);
  const owner = view.get(k.res, ns, name);
  if (!owner) return { writes: [] };
  const selects = k.selector(owner);
  // Only pods this owner controls or could adopt; pods of other controllers are skipped in the list.
  const uid = owner.metadata.uid;
  const candidates = view.list(PODS, {
    namespace: ns,
    filter: (p) => {
      if (!isPodActive(p)) return false;
      const ref = controllerOf(p);
      return ref ? ref.uid === uid : selects(p.metadata.labels);
    },
  }).items;
  const { owned, writes } = claim(owner, PODS, candidates, (p) => selects(p.metadata.labels));
  const events: EventRecord[] = [];
  const managed = owner.metadata.deletionTimestamp === undefined ? manageReplicas(owner, owned, view, now, events) : [];
  writes.push(...managed, ...events.map((e) => recordEvent(k.component, e, now)));
  // The failure stands while pods are still being created one at a time (see the header).
  const failing = managed.some((w) => w.op === 'create');
  const status = calculateStatus(owner, owned, now, failing);
  if (!deepEqual(status, owner.status)) writes.push({ op: 'update', res: k.res, object: { ...owner, status } });
  return { writes, ...requeueForAvailability(specOf(owner).minReadySeconds ?? 0, owned, now) };
}

/** Creates or deletes pods so that `owned` reaches spec.replicas (at most BURST_REPLICAS per run). */
function manageReplicas(owner: KObject, owned: KObject[], view: ReconcileContext['view'], now: number, events: EventRecord[]): Mutation[] {
  const spec = specOf(owner);
  const diff = owned.length - (spec.replicas ?? 1);
  if (diff < 0) {
    const batch = replicaFailure(owner) ? 1 : BURST_REPLICAS;
    const pods = Array.from({ length: Math.min(-diff, batch) }, (_, i) => podFromTemplate(spec.template ?? {}, owner, view, i));
    for (const p of pods) events.push({ object: owner, type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${p.metadata.name}` });
    return pods.map((object) => ({ op: 'create', res: PODS, object }));
  }
  if (diff > 0) {
    const victims = deletionOrder(owned, colocationRank(owner, owned, view)).slice(0, Math.min(diff, BURST_REPLICAS));
    for (const p of victims) events.push({ object: owner, type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${p.metadata.name}` });
    return victims.map((p) => deleteObject(PODS, p, now));
  }
  return [];
}

/**
 * getPodsRankedByRelatedPodsOnSameNode: a pod's rank is how many pods related to its owner (its own
 * and those of its sibling replica sets under the same Deployment) share its node.
 */
function colocationRank(owner: KObject, owned: KObject[], view: ReconcileContext['view']): (p: KObject) => number {
  const parent = controllerOf(owner)?.uid;
  const siblings = new Set([owner.metadata.uid]);
  if (parent) {
    for (const rs of view.list(REPLICA_SET.res, { namespace: owner.metadata.namespace ?? '' }).items) {
      if (controllerOf(rs)?.uid === parent) siblings.add(rs.metadata.uid);
    }
  }
  const related = parent
    ? view.list(PODS, { namespace: owner.metadata.namespace, filter: (p) => isPodActive(p) && siblings.has(controllerOf(p)?.uid) }).items
    : owned;
  const perNode = new Map<string, number>();
  for (const p of related) {
    const node = podSpec(p).nodeName;
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  return (p) => perNode.get(podSpec(p).nodeName ?? '') ?? 0;
}

/**
 * ReplicaSetStatus; zero counts are omitted as the API's omitempty does (replicas always shown).
 * ReplicaFailure is kept while `failing` (set by reportFailure), dropped otherwise.
 */
function calculateStatus(owner: KObject, owned: KObject[], now: number, failing: boolean): Record<string, unknown> {
  const spec = specOf(owner);
  const templateLabels = Object.entries(spec.template?.metadata?.labels ?? {});
  const fullyLabeled = owned.filter((p) => templateLabels.every(([k, v]) => p.metadata.labels?.[k] === v)).length;
  const ready = owned.filter(isPodReady).length;
  const available = owned.filter((p) => isPodAvailable(p, spec.minReadySeconds ?? 0, now)).length;
  const status: Record<string, unknown> = { replicas: owned.length };
  if (fullyLabeled) status.fullyLabeledReplicas = fullyLabeled;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  status.observedGeneration = owner.metadata.generation ?? 1;
  const conditions = conditionsOf(owner).filter((c) => failing || c.type !== REPLICA_FAILURE);
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

/**
 * onCommitError: the Warning Event of pod-failures.ts and, when not yet set, the ReplicaFailure
 * condition with the API error as message (replica_set.go calculateStatus).
 */
export function reportFailure(k: ReplicaKind, key: Key, failure: CommitFailure, ctx: ReconcileContext): Mutation[] {
  const out = reportPodFailure(k.component, k.res)(key, failure, ctx);
  const { ns, name } = splitKey(key);
  const owner = ctx.view.get(k.res, ns, name);
  if (!owner || out.length === 0 || replicaFailure(owner)) return out;
  const reason = podFailure(failure)!.reason;
  const condition: ReplicaCondition = { type: REPLICA_FAILURE, status: 'True', lastTransitionTime: rfc3339(ctx.now), reason, message: failure.error.message };
  const status = { ...(owner.status ?? {}), conditions: [...conditionsOf(owner).filter((c) => c.type !== REPLICA_FAILURE), condition] };
  return [...out, { op: 'update', res: k.res, object: { ...owner, status } }];
}

/** A quota that changes may let a failing set create again: wake the sets of its namespace that report ReplicaFailure. */
function quotaKeys(k: ReplicaKind): Controller['watches'][number]['keys'] {
  return (e, view) =>
    view
      .list(k.res, { namespace: e.ns, filter: (o) => replicaFailure(o) !== undefined })
      .items.map((o) => objectKey(e.ns, o.metadata.name!));
}

/** Pod events go to the pod's controller, or, for an orphan, to every owner whose selector matches it. */
function podKeys(k: ReplicaKind): Controller['watches'][number]['keys'] {
  return (e, view) => {
    const ref = controllerOf(e.object);
    if (ref) return ref.kind === k.kind ? [objectKey(e.ns, ref.name)] : [];
    if (e.type === 'DELETED') return [];
    return view
      .list(k.res, { namespace: e.ns })
      .items.filter((o) => k.selector(o)(e.object.metadata.labels))
      .map((o) => objectKey(e.ns, o.metadata.name!));
  };
}

export function replicaController(k: ReplicaKind): Controller {
  return {
    name: k.name,
    watches: [
      { res: k.res, keys: (e) => [objectKey(e.ns, e.name)] },
      { res: PODS, keys: podKeys(k) },
      { res: RESOURCE_QUOTAS, keys: quotaKeys(k) },
    ],
    reconcile: (key, ctx) => reconcileReplicas(k, key, ctx),
    onCommitError: (key, failure, ctx) => reportFailure(k, key, failure, ctx),
  };
}

export const replicaSetController: ControllerFactory = () => replicaController(REPLICA_SET);
export const replicationControllerController: ControllerFactory = () => replicaController(REPLICATION_CONTROLLER);
