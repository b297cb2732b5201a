// The garbage collector (pkg/controller/garbagecollector): objects whose owners are gone are deleted,
// and the three deletion propagation policies the API records on the owner are carried out.
//
//   Background (the default): the owner is removed at once; each dependent whose ownerReferences
//     now all point at missing owners (by uid) is deleted in turn — RS gone → its pods go.
//   Orphan (`kubectl delete rc kubia --cascade=orphan`, seed 001): the owner carries
//     deletionTimestamp + finalizer "orphan"; the collector strips the owner's reference from every
//     dependent and removes the finalizer in the same commit, which completes the deletion.
//   Foreground: the owner carries deletionTimestamp + finalizer "foregroundDeletion" and stays while
//     it has dependents; they are deleted first (those with dependents of their own, in foreground
//     too), and when none is left the finalizer goes and with it the owner.
//
// Keys are "res|ns|name" of any resource. An object is looked at when it is added (it may name an
// owner already gone) and when it is terminating with one of the two finalizers; a deleted object's
// dependents are looked at — found by scanning its namespace, except for pods and events, which by
// volume dominate deletions and own nothing in Rewind — and so are its terminating owners.

import type { Event, Mutation } from '../core/events.ts';
import { keyString, type KObject, type OwnerReference } from '../core/object.ts';
import { lookupKind, RESOURCES } from '../core/registry.ts';
import type { ReadView } from '../store/store.ts';
import { deleteObject } from './runtime/delete.ts';
import { ownerRefsPatch } from './runtime/ownership.ts';
import type { Controller, ControllerFactory, Key, ReconcileContext, ReconcileResult } from './runtime/types.ts';

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';
const NO_DEPENDENTS = new Set(['v1/pods', 'v1/events']);

const storageKeys = [...new Set(RESOURCES.map((r) => r.res))];
const namespaced = new Set(RESOURCES.filter((r) => r.scope === 'Namespaced').map((r) => r.res));

function parseKey(key: Key): { res: string; ns: string; name: string } {
  const [res, ns, name] = key.split('|');
  return { res, ns, name };
}

/** Every object with an ownerReference to `owner`'s uid: in its namespace, or anywhere for a cluster-scoped owner. */
export function dependentsOf(view: ReadView, ownerRes: string, owner: KObject): { res: string; object: KObject }[] {
  const uid = owner.metadata.uid;
  const ns = namespaced.has(ownerRes) ? owner.metadata.namespace ?? '' : undefined;
  const out: { res: string; object: KObject }[] = [];
  for (const res of storageKeys) {
    if (ns !== undefined && !namespaced.has(res)) continue;
    const filter = (o: KObject) => o.metadata.ownerReferences?.some((r) => r.uid === uid) ?? false;
    for (const object of view.list(res, { namespace: ns, filter }).items) out.push({ res, object });
  }
  return out;
}

/** Where an owner reference points: the owner's storage key and namespace, if its kind is known. */
function ownerLocation(ref: OwnerReference, dependentNs: string): { res: string; ns: string } | undefined {
  const info = lookupKind(ref.apiVersion, ref.kind);
  if (!info) return undefined;
  return { res: info.res, ns: info.scope === 'Namespaced' ? dependentNs : '' };
}

function ownerExists(view: ReadView, ref: OwnerReference, dependentNs: string): boolean {
  const at = ownerLocation(ref, dependentNs);
  if (!at) return true; // an unknown kind cannot be judged missing; leave the dependent alone
  return view.get(at.res, at.ns, ref.name)?.metadata.uid === ref.uid;
}

function withoutFinalizer(res: string, o: KObject, finalizer: string): Mutation {
  return {
    op: 'patch',
    res,
    ns: o.metadata.namespace ?? '',
    name: o.metadata.name!,
    apply: (cur) => ({ ...cur, metadata: { ...cur.metadata, finalizers: (cur.metadata.finalizers ?? []).filter((f) => f !== finalizer) } }),
  };
}

/** Orphan: strip the owner from every dependent, then let the owner go. */
function orphanDependents(view: ReadView, res: string, owner: KObject): Mutation[] {
  const writes = dependentsOf(view, res, owner).map((d) => ownerRefsPatch(d.res, d.object, (refs) => refs.filter((r) => r.uid !== owner.metadata.uid)));
  return [...writes, withoutFinalizer(res, owner, ORPHAN)];
}

/** Foreground: delete dependents first; the owner goes when none is left. */
function deleteDependentsFirst(view: ReadView, res: string, owner: KObject, now: number): Mutation[] {
  const deps = dependentsOf(view, res, owner);
  if (deps.length === 0) return [withoutFinalizer(res, owner, FOREGROUND)];
  return deps
    .filter((d) => d.object.metadata.deletionTimestamp === undefined)
    // A dependent with dependents of its own goes into foreground deletion as well.
    .map((d) => deleteObject(d.res, d.object, now, dependentsOf(view, d.res, d.object).length > 0 ? { propagationPolicy: 'Foreground' } : {}));
}

export function reconcileGarbage(key: Key, { view, now }: ReconcileContext): ReconcileResult {
  const { res, ns, name } = parseKey(key);
  const o = view.get(res, ns, name);
  if (!o) return { writes: [] };
  const finalizers = o.metadata.finalizers ?? [];
  if (o.metadata.deletionTimestamp !== undefined && finalizers.includes(ORPHAN)) return { writes: orphanDependents(view, res, o) };
  if (o.metadata.deletionTimestamp !== undefined && finalizers.includes(FOREGROUND)) return { writes: deleteDependentsFirst(view, res, o, now) };
  const refs = o.metadata.ownerReferences ?? [];
  const dangling = refs.filter((r) => !ownerExists(view, r, ns));
  if (dangling.length === 0 || o.metadata.deletionTimestamp !== undefined) return { writes: [] };
  if (dangling.length === refs.length) return { writes: [deleteObject(res, o, now)] };
  const gone = new Set(dangling.map((r) => r.uid));
  return { writes: [ownerRefsPatch(res, o, (rs) => rs.filter((r) => !gone.has(r.uid)))] };
}

function keysFor(e: Event, view: ReadView): Key[] {
  const own = keyString(e);
  const m = e.object.metadata;
  if (e.type === 'ADDED') return m.ownerReferences?.length ? [own] : [];
  if (e.type === 'MODIFIED') {
    const gcFinalizer = m.deletionTimestamp !== undefined && (m.finalizers ?? []).some((f) => f === ORPHAN || f === FOREGROUND);
    return gcFinalizer ? [own] : [];
  }
  const keys: Key[] = [];
  if (!NO_DEPENDENTS.has(e.res)) for (const d of dependentsOf(view, e.res, e.object)) keys.push(keyString({ res: d.res, ns: d.object.metadata.namespace ?? '', name: d.object.metadata.name! }));
  for (const ref of m.ownerReferences ?? []) {
    const at = ownerLocation(ref, e.ns);
    if (at && view.get(at.res, at.ns, ref.name)?.metadata.deletionTimestamp !== undefined) keys.push(keyString({ res: at.res, ns: at.ns, name: ref.name }));
  }
  return keys;
}

export const garbageCollector: ControllerFactory = (): Controller => ({
  name: 'garbagecollector',
  watches: storageKeys.map((res) => ({ res, keys: keysFor })),
  initialKeys: (view) =>
    storageKeys.flatMap((res) =>
      view
        .list(res, { filter: (o) => (o.metadata.ownerReferences?.length ?? 0) > 0 || o.metadata.deletionTimestamp !== undefined })
        .items.map((o) => keyString({ res, ns: o.metadata.namespace ?? '', name: o.metadata.name! })),
    ),
  reconcile: reconcileGarbage,
});
