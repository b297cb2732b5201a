// The sync phase shared by every strategy (pkg/controller/deployment/sync.go): find or create the new
// replica set and keep revisions in step, scale proportionally when the deployment is resized in the
// middle of a rollout, clean up old replica sets beyond revisionHistoryLimit.

import { podTemplateHash } from '../../core/hash.ts';
import { controllerOf, controllerRef } from '../runtime/pods.ts';
import { Halt, type Plan } from './plan.ts';
import { condition, syncDeploymentStatus } from './progress.ts';
import { maxRevision, replicasAnnotationsNeedUpdate, setDeploymentRevision, setNewReplicaSetAnnotations, setReplicasAnnotations } from './rollback.ts';
import {
  active,
  byRevision,
  bySizeNewer,
  bySizeOlder,
  desired,
  DESIRED_REPLICAS,
  equalIgnoreHash,
  findActiveOrLatest,
  findNewReplicaSet,
  getCondition,
  HASH_LABEL,
  isRollingUpdate,
  isSaturated,
  maxSurge,
  newRSNewReplicas,
  progressDeadlineMs,
  proportion,
  REPLICASETS,
  REVISION,
  rsReplicas,
  setCondition,
  specTotal,
  type ReplicaSet,
  type ReplicaSetSpec,
} from './util.ts';

export interface ReplicaSets {
  newRS?: ReplicaSet;
  oldRSs: ReplicaSet[];
}

/** getAllReplicaSetsAndSyncRevision: the new replica set (created if asked) and all the old ones. */
export function replicaSetsAndSyncRevision(plan: Plan, createIfMissing: boolean): ReplicaSets {
  const existing = findNewReplicaSet(plan.d, plan.rss);
  const oldRSs = plan.rss.filter((rs) => rs !== existing);
  return { newRS: newReplicaSet(plan, existing, oldRSs, createIfMissing), oldRSs };
}

/**
 * getNewReplicaSet: bring an existing new replica set's annotations and minReadySeconds up to date,
 * or create `<deployment>-<pod-template-hash>` with the next revision. A different replica set already
 * holding that name is a hash collision: status.collisionCount goes up (changing the hash) and the
 * sync stops until that is written.
 */
function newReplicaSet(plan: Plan, existing: ReplicaSet | undefined, oldRSs: ReplicaSet[], create: boolean): ReplicaSet | undefined {
  const d = plan.d;
  const newRevision = maxRevision(oldRSs) + 1;
  if (existing) {
    const annotationsChanged = setNewReplicaSetAnnotations(d, existing, newRevision, true);
    if (annotationsChanged || (existing.spec.minReadySeconds ?? 0) !== (d.spec.minReadySeconds ?? 0)) {
      existing.spec = withMinReady({ ...existing.spec }, d.spec.minReadySeconds);
      plan.touch(existing);
    }
    setDeploymentRevision(d, existing.metadata.annotations?.[REVISION]);
    if (progressDeadlineMs(d) !== undefined && !getCondition(d.status, 'Progressing')) {
      d.status = { ...(d.status ?? {}) };
      setCondition(d.status, condition('Progressing', 'True', 'FoundNewReplicaSet', `Found new replica set "${existing.metadata.name}"`, plan.now));
    }
    return existing;
  }
  if (!create) return undefined;
  const hash = podTemplateHash(d.spec.template, d.status?.collisionCount);
  const name = `${d.metadata.name}-${hash}`;
  const ns = d.metadata.namespace ?? '';
  const clash = plan.view.get(REPLICASETS, ns, name) as ReplicaSet | undefined;
  if (clash) {
    const ours = controllerOf(clash)?.uid === d.metadata.uid && equalIgnoreHash(clash.spec.template, d.spec.template);
    if (!ours) d.status = { ...(d.status ?? {}), collisionCount: (d.status?.collisionCount ?? 0) + 1 };
    throw new Halt(`replica set ${name} already exists`);
  }
  const template = structuredClone(d.spec.template ?? {});
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH_LABEL]: hash } };
  const selector = structuredClone(d.spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [HASH_LABEL]: hash };
  const rs: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name, namespace: ns, labels: { ...template.metadata.labels }, ownerReferences: [controllerRef(d)] },
    spec: withMinReady<ReplicaSetSpec>({ replicas: 0, selector, template }, d.spec.minReadySeconds),
  };
  rs.spec.replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  setNewReplicaSetAnnotations(d, rs, newRevision, false);
  plan.create(rs);
  if (rs.spec.replicas > 0) plan.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${name} from 0 to ${rs.spec.replicas}`);
  setDeploymentRevision(d, String(newRevision));
  if (progressDeadlineMs(d) !== undefined) {
    d.status = { ...(d.status ?? {}) };
    setCondition(d.status, condition('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${name}"`, plan.now));
  }
  return rs;
}

/** minReadySeconds is omitted when 0, as the API serializes it. */
function withMinReady<T extends { minReadySeconds?: number }>(spec: T, minReadySeconds: number | undefined): T {
  const { minReadySeconds: _, ...rest } = spec;
  return (minReadySeconds ? { ...rest, minReadySeconds } : rest) as T;
}

/** scaleReplicaSet: resize (and refresh desired/max-replicas); an event when the size changes. */
export function scaleReplicaSet(plan: Plan, rs: ReplicaSet, newScale: number, operation: 'up' | 'down'): boolean {
  const d = plan.d;
  const from = rsReplicas(rs);
  const sizeChanges = from !== newScale;
  if (!sizeChanges && !replicasAnnotationsNeedUpdate(rs, desired(d), desired(d) + maxSurge(d))) return false;
  rs.spec = { ...rs.spec, replicas: newScale };
  setReplicasAnnotations(rs, desired(d), desired(d) + maxSurge(d));
  plan.touch(rs);
  if (sizeChanges) plan.event('Normal', 'ScalingReplicaSet', `Scaled ${operation} replica set ${rs.metadata.name} from ${from} to ${newScale}`);
  return sizeChanges;
}

/** scaleReplicaSetAndRecordEvent. */
export function scaleTo(plan: Plan, rs: ReplicaSet, newScale: number): boolean {
  if (rsReplicas(rs) === newScale) return false;
  return scaleReplicaSet(plan, rs, newScale, rsReplicas(rs) < newScale ? 'up' : 'down');
}

/**
 * scale: a resize outside a rollout goes to the only active replica set; in the middle of a rolling
 * update it is spread over the active replica sets in proportion to their size (see util.proportion),
 * leftovers going to the largest, so a rollout does not speed up or slow down because of a resize.
 */
export function scale(plan: Plan, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): void {
  const d = plan.d;
  const only = findActiveOrLatest(newRS, oldRSs);
  if (only) {
    if (rsReplicas(only) !== desired(d)) scaleTo(plan, only, desired(d));
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of active(oldRSs)) scaleTo(plan, old, 0);
    return;
  }
  if (!isRollingUpdate(d)) return;
  const all = active(newRS ? [...oldRSs, newRS] : oldRSs);
  const allowed = desired(d) > 0 ? desired(d) + maxSurge(d) : 0;
  const toAdd = allowed - specTotal(all);
  const operation = toAdd > 0 ? 'up' : 'down';
  all.sort(toAdd > 0 ? bySizeNewer : bySizeOlder);
  let added = 0;
  const sizes = all.map((rs) => {
    const p = proportion(rs, d, toAdd, added);
    added += p;
    return rsReplicas(rs) + p;
  });
  if (all.length > 0) sizes[0] = Math.max(0, sizes[0] + toAdd - added);
  all.forEach((rs, i) => scaleReplicaSet(plan, rs, sizes[i], operation));
}

/** isScalingEvent: an active replica set's desired-replicas annotation differs from spec.replicas. */
export function isScalingEvent(plan: Plan): boolean {
  const { newRS, oldRSs } = replicaSetsAndSyncRevision(plan, false);
  return active(newRS ? [...oldRSs, newRS] : oldRSs).some((rs) => {
    const annotated = rs.metadata.annotations?.[DESIRED_REPLICAS];
    return annotated !== undefined && Number(annotated) !== desired(plan.d);
  });
}

/** sync: scaling and paused deployments — resize, clean up if paused, status without progress. */
export function sync(plan: Plan): void {
  const { newRS, oldRSs } = replicaSetsAndSyncRevision(plan, false);
  scale(plan, newRS, oldRSs);
  if (plan.d.spec.paused) cleanupDeployment(plan, oldRSs);
  syncDeploymentStatus(plan, newRS ? [...oldRSs, newRS] : oldRSs, newRS);
}

/** syncStatusOnly: a deployment being deleted only reports status. */
export function syncStatusOnly(plan: Plan): void {
  const { newRS, oldRSs } = replicaSetsAndSyncRevision(plan, false);
  syncDeploymentStatus(plan, newRS ? [...oldRSs, newRS] : oldRSs, newRS);
}

/**
 * cleanupDeployment: keep revisionHistoryLimit (default 10) old replica sets for `rollout undo`;
 * delete the oldest revisions beyond that, but only empty, settled ones.
 */
export function cleanupDeployment(plan: Plan, oldRSs: ReplicaSet[]): void {
  const limit = plan.d.spec.revisionHistoryLimit ?? 10;
  const cleanable = oldRSs.filter((rs) => rs.metadata.deletionTimestamp === undefined).sort(byRevision);
  const diff = cleanable.length - limit;
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i];
    if ((rs.status?.replicas ?? 0) !== 0 || rsReplicas(rs) !== 0 || (rs.metadata.generation ?? 1) > (rs.status?.observedGeneration ?? 0)) continue;
    plan.remove(rs);
  }
}
