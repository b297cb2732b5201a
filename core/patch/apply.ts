// Server-side apply (`kubectl apply --server-side`, content type application/apply-patch+yaml):
// the body is the manager's whole intent. Following sigs.k8s.io/structured-merge-diff:
//
//   1. the fields the applied config sets are the manager's new set;
//   2. a field another manager owns whose current value differs from the applied one is a conflict
//      (409, kubectl's "Apply failed with N conflict(s)") unless force=true, which takes it over;
//   3. the applied config merges into the live object (maps by key, keyed lists by merge key);
//   4. fields this manager applied before and omits now are removed unless another manager owns them.
//
// Worked example: the live Deployment's .spec.replicas=2 is owned by "kubectl-client-side-apply";
// manager "kubectl" applies replicas 3 → conflict; with force, "kubectl" owns it and the other
// manager's entry loses the field.

import { parse } from 'yaml';
import { clone, type KObject } from '../object.ts';
import { applyConflict, badRequest, type ApplyConflict } from '../errors.ts';
import { covers, keyPath, printPath, removeAt, valueAt } from './fieldset.ts';
import { isObject, type JsonObject } from './json.ts';
import { deepEqual } from '../metadata.ts';
import { ownedFields, readManaged, writeManaged, type ManagedEntry } from './managed-fields.ts';
import { rootType } from './schema.ts';
import { mergeMap } from './strategic-merge.ts';

/** The applied configuration: YAML or JSON, one object with apiVersion and kind. */
export function parseApplied(body: string): KObject {
  let doc: unknown;
  try {
    doc = parse(body);
  } catch (e) {
    throw badRequest(`error decoding YAML: ${(e as Error).message}`);
  }
  if (!isObject(doc)) throw badRequest('the body of an apply patch must be an object');
  if (typeof doc.apiVersion !== 'string' || !doc.apiVersion) throw badRequest("Object 'apiVersion' is missing in apply patch");
  if (typeof doc.kind !== 'string' || !doc.kind) throw badRequest("Object 'Kind' is missing in apply patch");
  if (doc.metadata !== undefined && !isObject(doc.metadata)) throw badRequest('metadata must be an object');
  const directive = findDirective(doc);
  if (directive) throw badRequest(`an apply configuration cannot contain the patch directive "${directive}"`);
  return { ...doc, metadata: { ...(doc.metadata as JsonObject | undefined) } } as KObject;
}

/**
 * The first `$`-prefixed key (`$patch`, `$retainKeys`, …): strategic merge patch directives mean
 * nothing in an apply configuration, and no Kubernetes field or map key starts with `$`.
 */
function findDirective(v: unknown): string | undefined {
  if (Array.isArray(v)) return v.map(findDirective).find(Boolean);
  if (!isObject(v)) return undefined;
  for (const [k, x] of Object.entries(v)) {
    if (k.startsWith('$')) return k;
    const found = findDirective(x);
    if (found) return found;
  }
  return undefined;
}

/** `"kubectl-client-side-apply" using apps/v1` for an Update manager, `"kubectl"` for an Apply one. */
function printManager(e: ManagedEntry): string {
  const name = JSON.stringify(e.manager) + (e.subresource ? ` with subresource ${JSON.stringify(e.subresource)}` : '');
  return e.operation === 'Update' ? `${name} using ${e.apiVersion}` : name;
}

const isMine = (e: ManagedEntry, manager: string) => e.manager === manager && e.operation === 'Apply' && !e.subresource;

/** Steps 2: conflicts with other managers; with force, those managers lose the fields. */
function resolveConflicts(current: KObject, applied: KObject, wanted: Set<string>, others: ManagedEntry[], force: boolean): void {
  const conflicts: ApplyConflict[] = [];
  for (const e of others) {
    for (const k of wanted) {
      const path = keyPath(k);
      if (!e.fields.has(k) || path[path.length - 1] === '.') continue;
      if (deepEqual(valueAt(current, path), valueAt(applied, path))) continue;
      if (force) e.fields.delete(k);
      else conflicts.push({ manager: printManager(e), field: printPath(path) });
    }
  }
  if (conflicts.length > 0) throw applyConflict(conflicts);
}

/** Step 4: remove what the manager gave up and nobody else owns; deeper paths go first. */
function removeReleased(obj: KObject, released: string[], others: ManagedEntry[]): void {
  const ownedByOthers = (k: string) => others.some((e) => [...e.fields].some((f) => covers(k, f)));
  const sorted = released.sort((a, b) => keyPath(b).length - keyPath(a).length);
  for (const k of sorted) if (!ownedByOthers(k)) removeAt(obj as unknown as JsonObject, keyPath(k));
}

export function serverSideApply(current: KObject, body: string, manager: string, force: boolean): KObject {
  const applied = parseApplied(body);
  const entries = readManaged(current);
  const others = entries.filter((e) => !isMine(e, manager));
  const previous = entries.find((e) => isMine(e, manager))?.fields ?? new Set<string>();
  const wanted = ownedFields(applied);
  resolveConflicts(current, applied, wanted, others, force);
  const { managedFields: _ignored, ...appliedMeta } = applied.metadata;
  const merged = clone(mergeMap(current, { ...applied, metadata: appliedMeta }, rootType(applied.apiVersion, applied.kind)) as KObject);
  removeReleased(merged, [...previous].filter((k) => !wanted.has(k)), others);
  const mine: ManagedEntry = { manager, operation: 'Apply', apiVersion: applied.apiVersion, fields: wanted };
  const at = entries.findIndex((e) => isMine(e, manager));
  const next = at >= 0 ? entries.map((e, i) => (i === at ? mine : e)) : [...entries, mine];
  writeManaged(merged, next);
  return merged;
}
