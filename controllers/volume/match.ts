// Which PersistentVolume a claim binds (pkg/controller/volume/persistentvolume/index.go,
// findMatchingVolume): among the volumes of the claim's class that are free (or pre-bound to this
// very claim), with every access mode the claim asks, the same volumeMode, labels matching the
// claim's selector and — for a claim waiting on its first consumer — node affinity admitting the
// selected node, the one with the smallest capacity that still holds the request. A volume
// pre-bound to the claim (claimRef naming it) wins outright.
//
// Example (seed 001): volumes pv1 1Gi RWO, pv2 2Gi RWX, pv3 5Gi RWO; a claim for 2Gi RWO gets pv3
// (pv1 is too small, pv2 lacks RWO); a second claim for 1Gi RWO then gets pv1 — a volume binds one
// claim, whatever is left of it.

import type { KObject } from '../../core/object.ts';
import { parseQuantity } from '../../core/quantity.ts';
import { selectorFromSpec } from '../../core/selectors.ts';
import { matchesRequirement, type NodeSelectorRequirement } from '../scheduler/filters.ts';
import { claimSpec, volumeSpec, type ClaimRef } from './claims.ts';

export const storageOf = (q: unknown) => parseQuantity(q) ?? 0;

/** Whether `ref` names this claim (uid checked when both have one). */
export function refersTo(ref: ClaimRef | undefined, claim: KObject): boolean {
  if (!ref) return false;
  const m = claim.metadata;
  return ref.namespace === m.namespace && ref.name === m.name && (!ref.uid || ref.uid === m.uid);
}

/** A volume's required node affinity admits the node (terms ORed, expressions ANDed); none admits all. */
export function volumeAdmitsNode(volume: KObject, node: KObject): boolean {
  const terms = volumeSpec(volume).nodeAffinity?.required?.nodeSelectorTerms as
    | { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }[]
    | undefined;
  if (!terms) return true;
  const labels = node.metadata.labels ?? {};
  const fields = { 'metadata.name': node.metadata.name ?? '' };
  return terms.some(
    (t) => (t.matchExpressions ?? []).every((r) => matchesRequirement(r, labels)) && (t.matchFields ?? []).every((r) => matchesRequirement(r, fields)),
  );
}

/** Everything but capacity and availability: class, access modes, volumeMode, selector, node. */
function suits(volume: KObject, claim: KObject, className: string, node: KObject | undefined): boolean {
  const v = volumeSpec(volume);
  const c = claimSpec(claim);
  if ((v.storageClassName ?? '') !== className) return false;
  if (!(c.accessModes ?? []).every((m) => (v.accessModes ?? []).includes(m))) return false;
  if ((v.volumeMode ?? 'Filesystem') !== (c.volumeMode ?? 'Filesystem')) return false;
  if (c.selector && !selectorFromSpec(c.selector)(volume.metadata.labels)) return false;
  return !node || volumeAdmitsNode(volume, node);
}

/**
 * The volume the claim should bind, or undefined. `node` is the selected node of a
 * WaitForFirstConsumer claim (undefined for Immediate binding, where node affinity is the pod's
 * problem later).
 */
export function findMatchingVolume(claim: KObject, volumes: KObject[], className: string, node?: KObject): KObject | undefined {
  const wanted = storageOf(claimSpec(claim).resources?.requests?.storage);
  let best: KObject | undefined;
  for (const volume of volumes) {
    if (volume.metadata.deletionTimestamp) continue;
    const ref = volumeSpec(volume).claimRef;
    if (ref && !refersTo(ref, claim)) continue;
    if (!suits(volume, claim, className, node)) continue;
    if (ref) return volume;
    const size = storageOf(volumeSpec(volume).capacity?.storage);
    if (size < wanted) continue;
    if (!best || size < storageOf(volumeSpec(best).capacity?.storage)) best = volume;
  }
  return best;
}
