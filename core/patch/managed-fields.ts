// metadata.managedFields: one entry per (manager, operation, apiVersion) with the set of fields that
// manager owns. Server-side apply (apply.ts) reads and rewrites them; every other write records an
// `Update` entry owning the fields it changed, taking them away from other managers, as
// kube-apiserver's FieldManager does. Only FieldsV1 entries are understood.

import type { KObject } from '../object.ts';
import { fieldsOf, fromFieldsV1, keyPath, toFieldsV1, valueAt } from './fieldset.ts';
import { isObject, type JsonObject } from './json.ts';
import { deepEqual } from '../metadata.ts';
import { withStringData } from '../kinds/secret.ts';
import { rootType } from './schema.ts';

export interface ManagedEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  subresource?: string;
  fields: Set<string>;
}

/** Parse metadata.managedFields; entries that are not FieldsV1 are dropped. */
export function readManaged(obj: KObject): ManagedEntry[] {
  const raw = obj.metadata.managedFields;
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).filter((e) => e.fieldsType === 'FieldsV1' && typeof e.manager === 'string').map((e) => ({
    manager: e.manager as string,
    operation: e.operation === 'Apply' ? 'Apply' : 'Update',
    apiVersion: typeof e.apiVersion === 'string' ? e.apiVersion : obj.apiVersion,
    ...(typeof e.subresource === 'string' && e.subresource ? { subresource: e.subresource } : {}),
    fields: fromFieldsV1(e.fieldsV1),
  }));
}

/** Write entries back; entries owning nothing are dropped, as the apiserver does. */
export function writeManaged(obj: KObject, entries: ManagedEntry[]): void {
  const out = entries.filter((e) => e.fields.size > 0).map((e) => ({
    manager: e.manager,
    operation: e.operation,
    apiVersion: e.apiVersion,
    fieldsType: 'FieldsV1',
    fieldsV1: toFieldsV1(e.fields),
    ...(e.subresource ? { subresource: e.subresource } : {}),
  }));
  if (out.length > 0) obj.metadata.managedFields = out;
  else delete obj.metadata.managedFields;
}

/**
 * The fields of an object that ownership tracks: identity and server-set metadata (name, uid,
 * resourceVersion, managedFields, …) and status are never owned on the main resource.
 */
export function ownedFields(obj: KObject): Set<string> {
  const { apiVersion: _a, kind: _k, status: _s, metadata, ...rest } = obj;
  const {
    name: _n, namespace: _ns, uid: _u, resourceVersion: _rv, generation: _g, creationTimestamp: _c,
    deletionTimestamp: _d, deletionGracePeriodSeconds: _dg, managedFields: _m, selfLink: _sl, ...meta
  } = metadata ?? {};
  const body: JsonObject = { ...rest };
  if (Object.keys(meta).length > 0) body.metadata = meta;
  return fieldsOf(body, rootType(obj.apiVersion, obj.kind));
}

/**
 * Record a non-apply write by `manager`: it takes ownership of every field whose value it changed
 * (and other managers lose them); fields it removed are owned by nobody. A write that sets
 * managedFields itself (kubectl's csaupgrade JSON patch; `[]` resets them) is kept as written; one
 * that leaves them out (a PUT of a manifest) keeps the live ones, as kube-apiserver's FieldManager does.
 * A write through a subresource (`/scale`) is recorded in an entry of its own naming it.
 */
export function recordUpdate(before: KObject | undefined, after: KObject, manager: string, subresource?: string): KObject {
  const given = after.metadata.managedFields;
  if (before && given !== undefined && !deepEqual(before.metadata.managedFields, given)) return after;
  const entries = before ? readManaged(before) : [];
  // The apiserver's field manager sees the request decoded: a Secret's stringData is data by then,
  // so kubectl-client-side-apply owns .data.X, and a later server-side apply of stringData.X does
  // not conflict with it.
  const decoded = after.kind === 'Secret' && after.apiVersion === 'v1' ? withStringData(after) : after;
  const now = ownedFields(decoded);
  const changed = new Set([...now].filter((k) => !before || !deepEqual(valueAt(before, keyPath(k)), valueAt(decoded, keyPath(k)))));
  const removed = before ? [...ownedFields(before)].filter((k) => !now.has(k)) : [];
  for (const e of entries) for (const k of [...changed, ...removed]) e.fields.delete(k);
  let mine = entries.find((e) => e.manager === manager && e.operation === 'Update' && e.apiVersion === after.apiVersion && e.subresource === subresource);
  if (!mine) entries.push((mine = { manager, operation: 'Update', apiVersion: after.apiVersion, ...(subresource ? { subresource } : {}), fields: new Set() }));
  for (const k of changed) mine.fields.add(k);
  const out: KObject = { ...after, metadata: { ...after.metadata } };
  writeManaged(out, entries);
  return out;
}
