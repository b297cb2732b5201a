// ControllerRefManager (k8s.io/kubernetes pkg/controller/controller_ref_manager.go): which objects a
// controller owns. An object whose controller reference names this owner is kept while the selector
// matches and released (reference removed) when it stops matching — seed 001's relabelled pod; an
// orphan that matches is adopted (controller reference added). Nothing is adopted by, or released
// from, an owner being deleted, and objects being deleted are neither adopted nor released.

import type { Event, Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { controllerOf, controllerRef } from './pods.ts';
import { objectKey, type Key } from './types.ts';

/** An owned object's event wakes the `kind` owner that controls it (a pod's or a revision's DaemonSet, …). */
export function controllerKeys(kind: string): (e: Event) => Key[] {
  return (e) => {
    const ref = controllerOf(e.object);
    return ref?.kind === kind ? [objectKey(e.ns, ref.name)] : [];
  };
}

export interface Claim {
  /** The objects the owner controls after the claim (adopted ones included). */
  owned: KObject[];
  /** Adoption and release patches (optimistic: each expects the resourceVersion it saw). */
  writes: Mutation[];
}

export function claim(owner: KObject, res: string, candidates: KObject[], matches: (o: KObject) => boolean): Claim {
  const owned: KObject[] = [];
  const writes: Mutation[] = [];
  const ownerDeleting = owner.metadata.deletionTimestamp !== undefined;
  for (const o of candidates) {
    const ref = controllerOf(o);
    const deleting = o.metadata.deletionTimestamp !== undefined;
    if (ref) {
      if (ref.uid !== owner.metadata.uid) continue;
      if (matches(o)) owned.push(o);
      else if (!ownerDeleting && !deleting) writes.push(ownerRefsPatch(res, o, (refs) => refs.filter((r) => r.uid !== ref.uid)));
    } else if (matches(o) && !ownerDeleting && !deleting) {
      const adopted = ownerRefsPatch(res, o, (refs) => [...refs, controllerRef(owner)]);
      writes.push(adopted);
      owned.push({ ...o, metadata: { ...o.metadata, ownerReferences: [...(o.metadata.ownerReferences ?? []), controllerRef(owner)] } });
    }
  }
  return { owned, writes };
}

type Refs = NonNullable<KObject['metadata']['ownerReferences']>;

/** A patch rewriting an object's ownerReferences, valid only against the version that was read. */
export function ownerRefsPatch(res: string, o: KObject, edit: (refs: Refs) => Refs): Mutation {
  return {
    op: 'patch',
    res,
    ns: o.metadata.namespace ?? '',
    name: o.metadata.name!,
    expectedRV: o.metadata.resourceVersion,
    apply: (cur) => {
      const { ownerReferences, ...rest } = cur.metadata;
      const refs = edit(ownerReferences ?? []);
      return { ...cur, metadata: refs.length > 0 ? { ...rest, ownerReferences: refs } : rest };
    },
  };
}
