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
// manager's entry loses the field. Without force too when the object's last-applied-configuration
// sets replicas: that is kubectl moving from client-side to server-side apply (lastAppliedFields).

import { parse } from 'yaml';
import { clone, type KObject } from '../object.ts';
import { applyConflict, badRequest, type ApplyConflict } from '../errors.ts';
import { covers, keyPath, printPath, removeAt, valueAt, type Path } from './fieldset.ts';
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

/**
 * Steps 2: conflicts with other managers; with force, those managers lose the fields. Conflicts on
 * `forgiven` fields are forced too, unless another conflict remains (then only the rest are reported).
 */
function resolveConflicts(current: KObject, applied: KObject, wanted: Set<string>, others: ManagedEntry[], force: boolean, forgiven: Set<string>): void {
  const found: { entry: ManagedEntry; key: string; path: Path }[] = [];
  for (const entry of others) {
    for (const key of wanted) {
      const path = keyPath(key);
      if (!entry.fields.has(key) || path[path.length - 1] === '.') continue;
      if (!deepEqual(valueAt(current, path), valueAt(applied, path))) found.push({ entry, key, path });
    }
  }
  const refused = force ? [] : found.filter((c) => !forgiven.has(c.key));
  if (refused.length > 0) throw applyConflict(refused.map((c): ApplyConflict => ({ manager: printManager(c.entry), field: printPath(c.path) })));
  for (const c of found) c.entry.fields.delete(c.key);
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * The apiserver's lastAppliedManager: manager "kubectl" moving an object from client-side to
 * server-side apply takes over, without a conflict, the fields the object's last-applied-configuration
 * names — `kubectl apply --server-side` (or `diff --server-side`) of a changed image after a plain
 * `kubectl apply` succeeds on a real cluster instead of conflicting with kubectl-client-side-apply.
 */
function lastAppliedFields(current: KObject, manager: string): Set<string> {
  const text = current.metadata.annotations?.[LAST_APPLIED];
  if (manager !== 'kubectl' || typeof text !== 'string') return new Set();
  try {
    const last = JSON.parse(text) as unknown;
    return isObject(last) && typeof last.apiVersion === 'string' && typeof last.kind === 'string' ? ownedFields(last as unknown as KObject) : new Set();
  } catch {
    return new Set();
  }
}

/** Step 4: remove what the manager gave up and nobody else owns; deeper paths go first. */
function removeReleased(obj: KObject, released: string[], others: ManagedEntry[]): void {
  const ownedByOthers = (k: string) => others.some((e) => [...e.fields].some((f) => covers(k, f)));
  const sorted = released.sort((a, b) => keyPath(b).length - keyPath(a).length);
  for (const k of sorted) if (!ownedByOthers(k)) removeAt(obj as unknown as JsonObject, keyPath(k));
}

/**
 * The apiserver's lastAppliedUpdater: when manager "kubectl" applies to an object that carries a
 * last-applied-configuration (it was applied client-side before), the annotation becomes this applied
 * configuration, so a later client-side apply computes its deletions from what was applied last.
 * Encoded as Go encodes an unstructured object (sorted keys, HTML-safe escapes, a final newline).
 */
function syncLastApplied(merged: KObject, applied: KObject, manager: string): void {
  const annotations = merged.metadata.annotations;
  if (manager !== 'kubectl' || typeof annotations?.[LAST_APPLIED] !== 'string') return;
  const config = clone(applied);
  const own = config.metadata.annotations;
  if (own) delete own[LAST_APPLIED];
  merged.metadata.annotations = { ...annotations, [LAST_APPLIED]: `${goJson(config)}\n` };
}

/** encoding/json of a map-based value: keys sorted at every level, <, > and & escaped. */
function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (!isObject(value)) return htmlSafe(JSON.stringify(value) ?? 'null');
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${htmlSafe(JSON.stringify(k))}:${goJson(value[k])}`).join(',')}}`;
}

const htmlSafe = (json: string) => json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function serverSideApply(current: KObject, body: string, manager: string, force: boolean): KObject {
  const applied = parseApplied(body);
  const entries = readManaged(current);
  const others = entries.filter((e) => !isMine(e, manager));
  const previous = entries.find((e) => isMine(e, manager))?.fields ?? new Set<string>();
  const wanted = ownedFields(applied);
  resolveConflicts(current, applied, wanted, others, force, lastAppliedFields(current, manager));
  const { managedFields: _ignored, ...appliedMeta } = applied.metadata;
  const merged = clone(mergeMap(current, { ...applied, metadata: appliedMeta }, rootType(applied.apiVersion, applied.kind)) as KObject);
  removeReleased(merged, [...previous].filter((k) => !wanted.has(k)), others);
  const mine: ManagedEntry = { manager, operation: 'Apply', apiVersion: applied.apiVersion, fields: wanted };
  const at = entries.findIndex((e) => isMine(e, manager));
  const next = at >= 0 ? entries.map((e, i) => (i === at ? mine : e)) : [...entries, mine];
  writeManaged(merged, next);
  syncLastApplied(merged, applied, manager);
  return merged;
}
