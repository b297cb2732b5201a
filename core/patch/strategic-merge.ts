// Kubernetes strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch), the patch type
// kubectl sends for `apply` (client-side), `set image`, `edit`, `patch`, `rollout restart`:
//
//   - a map merges key by key; `null` removes a key;
//   - a list with a merge key (containers by name, ports by containerPort…) merges element by
//     element; `{"$patch":"delete","name":"b"}` removes one; `$setElementOrder/<list>` orders the
//     result; a list element `{"$patch":"replace"}` replaces the whole list;
//   - a primitive list with strategy "merge" (finalizers) is a set union, and
//     `$deleteFromPrimitiveList/<list>` removes values from it;
//   - `$patch: replace` on a map replaces it, `$patch: delete` removes it;
//   - `$retainKeys: [...]` keeps only the named keys (union types such as Deployment.spec.strategy);
//   - every other list (tolerations, args, …) is replaced whole.
//
// Types come from the model classes (schema.ts) and the struct tags (strategies.ts); a field of no
// known type merges like a map when both sides are maps and is replaced otherwise.

import { childType, type FieldType } from './schema.ts';
import { patchStrategy, type PatchStrategy } from './strategies.ts';
import { isObject, type JsonObject } from './json.ts';
import { deepEqual } from '../metadata.ts';
import { badRequest } from '../errors.ts';

const PATCH = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

/** The strategy of a field when its parent is a model class. */
function strategyOf(parent: FieldType | undefined, field: string): PatchStrategy | undefined {
  return parent?.t === 'object' ? patchStrategy(parent.model, field) : undefined;
}

/** Merge `patch` into a copy of `original`, both maps of type `type`. Returns undefined to delete. */
export function mergeMap(original: JsonObject, patch: JsonObject, type: FieldType | undefined): JsonObject | undefined {
  const directive = patch[PATCH];
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return stripDirectives(patch, type);
  if (directive !== undefined && directive !== 'merge') throw badRequest(`Unknown patch type: ${String(directive)}`);
  const out: JsonObject = { ...original };
  for (const [key, value] of Object.entries(patch)) {
    if (key === PATCH || key === RETAIN_KEYS || key.startsWith(SET_ORDER)) continue;
    if (key.startsWith(DELETE_FROM)) {
      deleteFromPrimitiveList(out, key.slice(DELETE_FROM.length), value);
      continue;
    }
    if (value === null) {
      delete out[key];
      continue;
    }
    const merged = mergeValue(out[key], value, type, key, patch[SET_ORDER + key]);
    if (merged === undefined) delete out[key];
    else out[key] = merged;
  }
  reorderUnpatchedLists(out, patch, type);
  retainKeys(out, patch[RETAIN_KEYS]);
  return out;
}

/** kubectl sends only `$setElementOrder/<list>` when a list was merely reordered. */
function reorderUnpatchedLists(out: JsonObject, patch: JsonObject, type: FieldType | undefined): void {
  for (const [key, order] of Object.entries(patch)) {
    const field = key.slice(SET_ORDER.length);
    if (!key.startsWith(SET_ORDER) || field in patch || !Array.isArray(out[field]) || !Array.isArray(order)) continue;
    out[field] = applyElementOrder(out[field] as unknown[], order, strategyOf(type, field)?.mergeKey, out[field] as unknown[]);
  }
}

function mergeValue(original: unknown, patch: unknown, parent: FieldType | undefined, key: string, order: unknown): unknown {
  const type = childType(parent, key);
  if (isObject(patch)) {
    return mergeMap(isObject(original) ? original : {}, patch, type);
  }
  if (Array.isArray(patch)) {
    const strategy = strategyOf(parent, key);
    const item = type?.t === 'array' ? type.item : undefined;
    return mergeList(Array.isArray(original) ? original : [], patch, strategy, item, order);
  }
  return patch;
}

function mergeList(original: unknown[], patch: unknown[], strategy: PatchStrategy | undefined, item: FieldType | undefined, order: unknown): unknown[] {
  if (!strategy?.strategy.includes('merge')) return patch.map((p) => (isObject(p) ? stripDirectives(p, item) : p));
  if (patch.some((p) => isObject(p) && p[PATCH] === 'replace')) {
    return patch.filter((p) => !(isObject(p) && p[PATCH] === 'replace')).map((p) => (isObject(p) ? stripDirectives(p, item) : p));
  }
  const key = strategy.mergeKey;
  const merged = key ? mergeKeyedList(original, patch, key, item) : unionList(original, patch);
  return Array.isArray(order) ? applyElementOrder(merged, order, key, original) : merged;
}

/** A list of objects merged by `key`: matching elements merge, new ones are appended, deletes remove. */
function mergeKeyedList(original: unknown[], patch: unknown[], key: string, item: FieldType | undefined): unknown[] {
  const out = [...original];
  const indexOf = (v: unknown) => out.findIndex((o) => isObject(o) && deepEqual(o[key], v));
  for (const p of patch) {
    if (!isObject(p)) throw badRequest(`unable to find api field in struct for the list element ${JSON.stringify(p)}`);
    if (!(key in p)) throw badRequest(`map: ${JSON.stringify(p)} does not contain declared merge key: ${key}`);
    const at = indexOf(p[key]);
    if (p[PATCH] === 'delete') {
      if (at >= 0) out.splice(at, 1);
      continue;
    }
    const merged = mergeMap(at >= 0 ? (out[at] as JsonObject) : {}, p, item);
    if (at >= 0) out[at] = merged;
    else out.push(merged);
  }
  return out.filter((o) => o !== undefined);
}

function unionList(original: unknown[], patch: unknown[]): unknown[] {
  const out = [...original];
  for (const p of patch) if (!out.some((o) => deepEqual(o, p))) out.push(p);
  return out;
}

/**
 * `$setElementOrder/<list>` lists the patch's elements (by merge key, or the values of a primitive
 * list) in the order the user wrote them (strategicpatch normalizeElementOrder). The merged list is
 * split into the elements the order names, sorted by it, and server-only elements (added by another
 * writer), kept in their live order; the two are interleaved by their positions in the live list.
 * Worked example: live [side, c], order [c] → [side, c] (side stays in front, as it was).
 */
function applyElementOrder(merged: unknown[], order: unknown[], key: string | undefined, live: unknown[]): unknown[] {
  const idOf = (v: unknown) => (key && isObject(v) ? v[key] : v);
  const indexIn = (list: unknown[], v: unknown) => list.findIndex((o) => deepEqual(idOf(o), idOf(v)));
  const named = merged.filter((v) => indexIn(order, v) >= 0).sort((a, b) => indexIn(order, a) - indexIn(order, b));
  const serverOnly = merged.filter((v) => indexIn(order, v) < 0).sort((a, b) => indexIn(live, a) - indexIn(live, b));
  return interleave(serverOnly, named, (v) => indexIn(live, v));
}

/**
 * strategicpatch mergeSortedSlice: insert each server-only element before the first named element
 * that comes after it in the live list; both inputs keep their own order.
 */
function interleave(serverOnly: unknown[], named: unknown[], liveIndex: (v: unknown) => number): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < named.length) {
    const l = liveIndex(serverOnly[i]);
    const r = j < named.length ? liveIndex(named[j]) : -1;
    const takeLeft = j >= named.length || (i < serverOnly.length && l >= 0 && r >= 0 && l < r);
    out.push(takeLeft ? serverOnly[i++] : named[j++]);
  }
  return out;
}

function deleteFromPrimitiveList(out: JsonObject, field: string, values: unknown): void {
  const list = out[field];
  if (!Array.isArray(list) || !Array.isArray(values)) return;
  out[field] = list.filter((v) => !values.some((d) => deepEqual(d, v)));
}

/** `$retainKeys`: drop every key of the merged map that the list does not name. */
function retainKeys(out: JsonObject, keys: unknown): void {
  if (keys === undefined) return;
  if (!Array.isArray(keys)) throw badRequest('$retainKeys must be a list of field names');
  for (const k of Object.keys(out)) if (!keys.includes(k)) delete out[k];
}

/** A patch value stored as is (no original to merge with) loses its directives. */
function stripDirectives(patch: JsonObject, type: FieldType | undefined): JsonObject {
  const { [PATCH]: _directive, ...rest } = patch;
  return mergeMap({}, rest, type) ?? {};
}

/** Apply a strategic merge patch document to an object whose root type is `type`. */
export function strategicMerge(current: JsonObject, patch: unknown, type: FieldType | undefined): JsonObject {
  if (!isObject(patch)) throw badRequest('the body of a strategic merge patch must be a JSON object');
  return mergeMap(current, patch, type) ?? {};
}
