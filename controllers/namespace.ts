// The namespace controller (pkg/controller/namespace): a namespace being deleted (the API set its
// deletionTimestamp and status.phase Terminating: `kubectl delete ns czm`, seed 001) is emptied —
// every object in it deleted as a DELETE would (pods gracefully) — and once nothing is left its
// "kubernetes" finalizer is removed from spec.finalizers (the finalize subresource) and, with no
// metadata finalizer left either, the namespace itself is deleted.
// It is woken by the namespace itself and by every deletion inside a terminating namespace.

import type { Event, Mutation } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import { RESOURCES } from '../core/registry.ts';
import type { ReadView } from '../store/store.ts';
import { deleteObject } from './runtime/delete.ts';
import type { Controller, ControllerFactory, Key, ReconcileContext, ReconcileResult } from './runtime/types.ts';

export const NAMESPACES = 'v1/namespaces';
const namespacedKeys = [...new Set(RESOURCES.filter((r) => r.scope === 'Namespaced').map((r) => r.res))];

const terminating = (ns: KObject | undefined) => ns?.metadata.deletionTimestamp !== undefined;

export function reconcileNamespace(key: Key, { view, now }: ReconcileContext): ReconcileResult {
  const ns = view.get(NAMESPACES, '', key);
  if (!ns || !terminating(ns)) return { writes: [] };
  const writes: Mutation[] = [];
  let remaining = 0;
  for (const res of namespacedKeys) {
    for (const o of view.list(res, { namespace: key }).items) {
      remaining++;
      if (o.metadata.deletionTimestamp === undefined) writes.push(deleteObject(res, o, now));
    }
  }
  if (remaining > 0) return { writes };
  const spec = (ns.spec ?? {}) as { finalizers?: string[] };
  if (spec.finalizers?.includes('kubernetes')) return { writes: [finalize(key)] };
  if ((ns.metadata.finalizers?.length ?? 0) === 0) return { writes: [{ op: 'delete', res: NAMESPACES, ns: '', name: key, expectedUid: ns.metadata.uid }] };
  return { writes: [] };
}

/** The finalize subresource: drop "kubernetes" from spec.finalizers. */
function finalize(name: string): Mutation {
  return {
    op: 'patch',
    res: NAMESPACES,
    ns: '',
    name,
    apply: (cur) => {
      const spec = (cur.spec ?? {}) as { finalizers?: string[] };
      return { ...cur, spec: { ...spec, finalizers: (spec.finalizers ?? []).filter((f) => f !== 'kubernetes') } };
    },
  };
}

function contentKeys(e: Event, view: ReadView): Key[] {
  return e.type === 'DELETED' && terminating(view.get(NAMESPACES, '', e.ns)) ? [e.ns] : [];
}

export const namespaceController: ControllerFactory = (): Controller => ({
  name: 'namespace',
  watches: [{ res: NAMESPACES, keys: (e) => [e.name] }, ...namespacedKeys.map((res) => ({ res, keys: contentKeys }))],
  reconcile: reconcileNamespace,
});
