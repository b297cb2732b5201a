// What changed between two points: the objects created, deleted and changed, optionally only of one
// type, one namespace or one object. Only objects the log touched in (from, to] can differ, so the
// keys come from reading that window, and each is compared at both ends.

import type { KObject } from '../../core/object.ts';
import type { JsonPatchOp, Store } from '../../store/store.ts';
import { patchBetween } from './changes.ts';

export interface DiffScope {
  res?: string;
  ns?: string;
  name?: string;
}

export interface ObjectChange {
  res: string;
  kind: string;
  ns: string;
  name: string;
  before?: KObject;
  after?: KObject;
  patch: JsonPatchOp[];
}

export interface PointDiff {
  from: number;
  to: number;
  created: ObjectChange[];
  deleted: ObjectChange[];
  changed: ObjectChange[];
}

export async function diffPoints(store: Store, from: number, to: number, scope: DiffScope): Promise<PointDiff> {
  const [lo, hi] = from <= to ? [from, to] : [to, from];
  const touched = new Map<string, { res: string; ns: string; name: string; kind: string }>();
  for await (const e of store.read(lo, hi)) {
    if (scope.res && e.res !== scope.res) continue;
    if (scope.ns !== undefined && e.ns !== scope.ns) continue;
    if (scope.name && e.name !== scope.name) continue;
    touched.set(`${e.res}|${e.ns}|${e.name}`, { res: e.res, ns: e.ns, name: e.name, kind: e.object.kind ?? '' });
  }
  const [a, b] = await Promise.all([store.at(from), store.at(to)]);
  const out: PointDiff = { from, to, created: [], deleted: [], changed: [] };
  for (const k of [...touched.values()].sort(byKey)) {
    const before = a.get(k.res, k.ns, k.name);
    const after = b.get(k.res, k.ns, k.name);
    const patch = patchBetween(before, after);
    if (before === undefined && after === undefined) continue;
    const change: ObjectChange = { ...k, before, after, patch };
    if (before === undefined) out.created.push(change);
    else if (after === undefined) out.deleted.push(change);
    else if (patch.length > 0) out.changed.push(change);
  }
  return out;
}

const byKey = (x: { res: string; ns: string; name: string }, y: { res: string; ns: string; name: string }) =>
  x.res.localeCompare(y.res) || x.ns.localeCompare(y.ns) || x.name.localeCompare(y.name);
