// DaemonSet updates (k8s.io/kubernetes pkg/controller/daemon/update.go rollingUpdate and
// podsShouldBeOnNode's surge rule). Pure arithmetic over the pods of each eligible node: a pod is
// "new" when its controller-revision-hash is the template's, "old" otherwise.
//
// RollingUpdate without surge (maxSurge 0): an old pod that is not available is deleted at once; old
// available pods are deleted while fewer than maxUnavailable nodes are unavailable (a node without a
// pod, or whose new pod is not available yet, counts as unavailable). Example: 5 nodes,
// maxUnavailable 2, all old and available → 2 old pods deleted; the manage loop then creates their
// replacements; once those are available, 2 more.
//
// RollingUpdate with surge (maxSurge > 0, maxUnavailable 0): a new pod is created next to the old one
// on up to maxSurge nodes (at once where the old pod is not available); when the new pod is available
// the old one is deleted. Both numbers may be percentages of the desired number of nodes, rounded up;
// both zero means maxUnavailable 1 (util.UnavailableCount / SurgeCount).
//
// OnDelete: nothing is replaced; a pod the user deletes comes back with the new template.

import type { KObject } from '../core/object.ts';
import { scaledValue, type IntOrPercent } from './deployment/util.ts';
import { REVISION_HASH } from './history.ts';
import { isPodAvailable, isPodReady } from './runtime/pods.ts';

interface RollingUpdate {
  maxUnavailable?: IntOrPercent;
  maxSurge?: IntOrPercent;
}

interface UpdateSpec {
  minReadySeconds?: number;
  updateStrategy?: { type?: string; rollingUpdate?: RollingUpdate };
}

const specOf = (ds: KObject) => (ds.spec ?? {}) as UpdateSpec;

/** maxSurge and maxUnavailable for `desired` nodes; both zero means maxUnavailable 1. */
export function updateBudget(ds: KObject, desired: number): { maxSurge: number; maxUnavailable: number } {
  const rolling = specOf(ds).updateStrategy?.rollingUpdate ?? {};
  const maxSurge = scaledValue(rolling.maxSurge ?? 0, desired, true);
  const maxUnavailable = scaledValue(rolling.maxUnavailable ?? 0, desired, true);
  return { maxSurge, maxUnavailable: maxSurge === 0 && maxUnavailable === 0 ? 1 : maxUnavailable };
}

export const allowsSurge = (ds: KObject, desired: number) => isRollingUpdate(ds) && updateBudget(ds, desired).maxSurge > 0;
const isRollingUpdate = (ds: KObject) => (specOf(ds).updateStrategy?.type ?? 'RollingUpdate') === 'RollingUpdate';

/** The pods of one eligible node that keep running (not failed, not terminating), oldest first. */
export interface NodePods {
  node: string;
  running: KObject[];
}

/** What a rolling update step does: pods to delete, nodes to create a (new) pod on. */
export interface UpdateStep {
  delete: KObject[];
  create: string[];
}

/**
 * podsShouldBeOnNode: which of a node's running pods are surplus. Without surge all but the oldest;
 * with surge, the oldest new and the oldest old pod may share the node while the old one is ready
 * and the new one is not yet available (ready for minReadySeconds).
 */
export function surplusOnNode(running: KObject[], hash: string, surge: boolean, available: (p: KObject) => boolean): KObject[] {
  if (running.length <= 1) return [];
  if (!surge) return running.slice(1);
  const isNew = (p: KObject) => p.metadata.labels?.[REVISION_HASH] === hash;
  const oldestNew = running.find(isNew);
  const oldestOld = running.find((p) => !isNew(p));
  const surplus = running.filter((p) => p !== oldestNew && p !== oldestOld);
  if (oldestNew && oldestOld) {
    if (!isPodReady(oldestOld) || available(oldestNew)) surplus.push(oldestOld);
  }
  return surplus;
}

/** rollingUpdate: the next step of replacing old pods, within the budget. */
export function rollingUpdate(ds: KObject, nodes: NodePods[], hash: string, now: number): UpdateStep {
  if (!isRollingUpdate(ds)) return { delete: [], create: [] };
  const min = specOf(ds).minReadySeconds ?? 0;
  const available = (p: KObject) => isPodAvailable(p, min, now);
  const { maxSurge, maxUnavailable } = updateBudget(ds, nodes.length);
  const sides = nodes.map(({ node, running }) => ({
    node,
    newPod: running.find((p) => p.metadata.labels?.[REVISION_HASH] === hash),
    oldPod: running.find((p) => p.metadata.labels?.[REVISION_HASH] !== hash),
  }));
  return maxSurge === 0 ? withoutSurge(sides, maxUnavailable, available) : withSurge(sides, maxSurge, available);
}

type Side = { node: string; newPod?: KObject; oldPod?: KObject };

function withoutSurge(sides: Side[], maxUnavailable: number, available: (p: KObject) => boolean): UpdateStep {
  let unavailable = 0;
  const doomed: KObject[] = [];
  const candidates: KObject[] = [];
  for (const { newPod, oldPod } of sides) {
    if (!oldPod === !newPod) unavailable++; // nothing there, or both: the manage loop settles it
    else if (newPod) {
      if (!available(newPod)) unavailable++;
    } else if (!available(oldPod!)) doomed.push(oldPod!);
    else candidates.push(oldPod!);
  }
  return { delete: [...doomed, ...candidates.slice(0, Math.max(0, maxUnavailable - unavailable))], create: [] };
}

function withSurge(sides: Side[], maxSurge: number, available: (p: KObject) => boolean): UpdateStep {
  let surging = 0;
  const doomed: KObject[] = [];
  const allowed: string[] = [];
  const candidates: string[] = [];
  for (const { node, newPod, oldPod } of sides) {
    if (!oldPod) continue;
    if (!newPod) (available(oldPod) ? candidates : allowed).push(node);
    else if (!available(newPod)) surging++;
    else doomed.push(oldPod);
  }
  return { delete: doomed, create: [...allowed, ...candidates.slice(0, Math.max(0, maxSurge - surging))] };
}
