// Revisions: how a rollout and a rollback are recorded (deployment_util.go SetNewReplicaSetAnnotations,
// SetDeploymentRevision, MaxRevision). kubectl 1.32's `rollout undo` is client-side: it copies an old
// replica set's template back into the deployment. The controller's share of a rollback is what
// follows: the old replica set is found again by its template (the same template gives the same
// pod-template-hash, so the same name), it becomes the new replica set and takes the next revision,
// and its former revisions are kept in revision-history.
//
// Worked example: web-aaa is revision 1, web-bbb revision 2. `kubectl rollout undo` restores
// web-aaa's template, so web-aaa is new again: revision 3, revision-history "1"; `kubectl rollout
// history` then lists revisions 2 and 3.

import { DESIRED_REPLICAS, MAX_REPLICAS, REVISION, REVISION_HISTORY, desired, maxSurge, revisionOf, type Deployment, type ReplicaSet } from './util.ts';

/** The annotations of a deployment that a replica set does not copy (annotationsToSkip). */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  REVISION_HISTORY,
  DESIRED_REPLICAS,
  MAX_REPLICAS,
  'deprecated.deployment.rollback.to',
]);

/** deployment controller's maxRevHistoryLengthInChars. */
const MAX_HISTORY_CHARS = 2000;

export function maxRevision(rss: ReplicaSet[]): number {
  return rss.reduce((m, rs) => Math.max(m, revisionOf(rs)), 0);
}

/**
 * SetNewReplicaSetAnnotations: copy the deployment's annotations (kubernetes.io/change-cause among
 * them), raise the revision (moving the old one into revision-history), and on a fresh replica set
 * set desired-replicas and max-replicas. Edits `rs` (a private copy); returns whether it changed.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: number, exists: boolean): boolean {
  const ann = (rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}) });
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (NOT_COPIED.has(k) || ann[k] === v) continue;
    ann[k] = v;
    changed = true;
  }
  const old = ann[REVISION];
  const oldRevision = revisionOf(rs);
  if (oldRevision < newRevision) {
    ann[REVISION] = String(newRevision);
    changed = true;
    if (old !== undefined) ann[REVISION_HISTORY] = appendHistory(ann[REVISION_HISTORY], old);
  }
  if (!exists && setReplicasAnnotations(rs, desired(d), desired(d) + maxSurge(d))) changed = true;
  return changed;
}

/** revision-history: comma-separated earlier revisions, oldest dropped beyond 2000 characters. */
function appendHistory(history: string | undefined, revision: string): string {
  const list = history ? history.split(',') : [];
  list.push(revision);
  while (list.join(',').length > MAX_HISTORY_CHARS && list.length > 1) list.shift();
  return list.join(',');
}

/** SetReplicasAnnotations: desired-replicas and max-replicas, which proportional scaling reads. */
export function setReplicasAnnotations(rs: ReplicaSet, desiredReplicas: number, maxReplicas: number): boolean {
  const ann = (rs.metadata.annotations = { ...(rs.metadata.annotations ?? {}) });
  if (ann[DESIRED_REPLICAS] === String(desiredReplicas) && ann[MAX_REPLICAS] === String(maxReplicas)) return false;
  ann[DESIRED_REPLICAS] = String(desiredReplicas);
  ann[MAX_REPLICAS] = String(maxReplicas);
  return true;
}

/** ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desiredReplicas: number, maxReplicas: number): boolean {
  const ann = rs.metadata.annotations ?? {};
  return ann[DESIRED_REPLICAS] !== String(desiredReplicas) || ann[MAX_REPLICAS] !== String(maxReplicas);
}

/** SetDeploymentRevision: the deployment carries its newest revision (what `rollout history` marks current). */
export function setDeploymentRevision(d: Deployment, revision: string | undefined): boolean {
  if (revision === undefined || d.metadata.annotations?.[REVISION] === revision) return false;
  d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [REVISION]: revision };
  return true;
}
