// Test fixture for controller unit tests, in the manner of sample-controller's fake informers: seed
// a ReadView from a list of objects, reconcile one key, and compare the exact list of writes.
//
//   const view = viewOf([deployment, rs, pod]);
//   const { writes } = controller.reconcile('default/web', { view, now: 0 });
//   t.same(renderWrites(writes, view), [{ op: 'update', res: 'apps/v1/replicasets', ns: 'default', name: 'web-5d4b', object: {...} }]);
//
// Objects are filed under the storage key their apiVersion and kind resolve to in core/registry.ts.
// Like the real store's view, the fixture hands out deep-frozen objects, so a reconcile that edits
// what it read instead of cloning it fails here as it would in production.

import type { Mutation } from '../../core/events.ts';
import { matchFields } from '../../core/field-selectors.ts';
import { clone, type KObject } from '../../core/object.ts';
import { lookupKind } from '../../core/registry.ts';
import type { ListOptions, ListResult, ReadView } from '../../store/store.ts';
import { deepFreeze } from '../../store/view.ts';
import { byNamespaceAndName } from './overlay.ts';

/** The storage key of an object, from its apiVersion and kind; throws for a kind the registry lacks. */
export function resOf(obj: KObject): string {
  const info = lookupKind(obj.apiVersion, obj.kind);
  if (!info) throw new Error(`no resource for ${obj.apiVersion} ${obj.kind}`);
  return info.res;
}

/** A ReadView over the given objects at revision `rev` (default: the number of objects). */
export function viewOf(objects: KObject[], at: { rev?: number; ts?: number } = {}): ReadView {
  const byRes = new Map<string, KObject[]>();
  for (const o of objects) {
    const res = resOf(o);
    const list = byRes.get(res) ?? [];
    list.push(deepFreeze(clone(o)));
    byRes.set(res, list);
  }
  for (const list of byRes.values()) list.sort(byNamespaceAndName);
  const rev = at.rev ?? objects.length;
  return {
    rev,
    ts: at.ts ?? 0,
    get(res, ns, name) {
      return byRes.get(res)?.find((o) => (o.metadata.namespace ?? '') === ns && o.metadata.name === name);
    },
    list(res, opts: ListOptions = {}): ListResult {
      const fields = opts.fields ? matchFields(res, opts.fields) : undefined;
      const items = (byRes.get(res) ?? []).filter(
        (o) => (opts.namespace === undefined || (o.metadata.namespace ?? '') === opts.namespace) && (!fields || fields(o)) && (!opts.filter || opts.filter(o)),
      );
      return { items, rev };
    },
  };
}


/** A write as plain data, comparable with t.same: patches are shown as the object they would produce. */
export interface RenderedWrite {
  op: Mutation['op'];
  res: string;
  ns: string;
  name: string;
  object?: KObject;
}

/**
 * Render mutations for comparison. A patch is applied to the object the view holds (the same input
 * the store would give it), so a test asserts on its outcome rather than on a function.
 */
export function renderWrites(writes: Mutation[], view: ReadView): RenderedWrite[] {
  return writes.map((w) => {
    switch (w.op) {
      case 'create':
      case 'update': {
        const m = w.object.metadata;
        return { op: w.op, res: w.res, ns: m.namespace ?? '', name: m.name ?? m.generateName ?? '', object: w.object };
      }
      case 'patch': {
        const current = view.get(w.res, w.ns, w.name) ?? w.upsert;
        const object = current ? w.apply(clone(current)) : undefined;
        return { op: w.op, res: w.res, ns: w.ns, name: w.name, ...(object ? { object } : {}) };
      }
      case 'delete':
        return { op: w.op, res: w.res, ns: w.ns, name: w.name };
    }
  });
}
