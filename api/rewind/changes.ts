// A compact description of what one write changed, for history lines and causal chains:
// "spec.replicas 3→5", "+metadata.labels.tier=web", "-spec.paused",
// "status.conditions[type=Available].status False→True". Bookkeeping fields every write touches
// (resourceVersion, generation, managedFields) are left out: they say nothing a reader wants.
//
// Lists with a strategic-merge key (core/patch/strategies.ts: conditions by `type`, containers and
// env by `name`, ports by `containerPort`…) are matched element by element on that key, as
// kube-apiserver merges them: the deployment controller replaces a condition by removing it and
// appending the new one, which compared by index would read as two elements swapping places.
// Other lists are compared by index.

import jsonpatch from 'fast-json-patch';
import { deepEqual } from '../../core/metadata.ts';
import type { KObject } from '../../core/object.ts';
import { childType, rootType, type FieldType } from '../../core/patch/schema.ts';
import { patchStrategy } from '../../core/patch/strategies.ts';
import type { JsonPatchOp } from '../../store/store.ts';

const NOISE = /^\/metadata\/(resourceVersion|generation|managedFields)(\/|$)/;
const NOISE_FIELDS = new Set(['metadata.resourceVersion', 'metadata.generation', 'metadata.managedFields']);

/** RFC 6902 patch from `before` (absent: {}) to `after`, without bookkeeping fields. */
export function patchBetween(before: KObject | undefined, after: KObject | undefined): JsonPatchOp[] {
  return (jsonpatch.compare(before ?? {}, after ?? {}) as JsonPatchOp[]).filter((op) => !NOISE.test(op.path));
}

/** One short phrase per changed field; values longer than a few words are elided. */
export function describeChanges(before: KObject | undefined, after: KObject): string[] {
  const out: string[] = [];
  changesIn(before ?? {}, after, rootType(after.apiVersion ?? '', after.kind ?? ''), '', out);
  return out;
}

type Json = Record<string, unknown>;
const isMap = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The changes between two values of one field at `path` ("" for the object itself). */
function changesIn(before: unknown, after: unknown, type: FieldType | undefined, path: string, out: string[], mergeKey?: string): void {
  if (deepEqual(before, after) || NOISE_FIELDS.has(path)) return;
  if (isMap(before) && isMap(after)) {
    for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const at = path ? `${path}.${field}` : field;
      const key = type?.t === 'object' ? patchStrategy(type.model, field)?.mergeKey : undefined;
      fieldChange(before[field], after[field], childType(type, field), at, out, key);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const item = type?.t === 'array' ? type.item : undefined;
    const keyed = mergeKey !== undefined && [...before, ...after].every((x) => isMap(x) && x[mergeKey] !== undefined);
    const elements = keyed ? byKey(before, after, mergeKey) : byIndex(before, after);
    for (const [label, b, a] of elements) fieldChange(b, a, item, `${path}${label}`, out);
    return;
  }
  out.push(`${path} ${short(before)}→${short(after)}`);
}

function fieldChange(before: unknown, after: unknown, type: FieldType | undefined, path: string, out: string[], mergeKey?: string): void {
  if (NOISE_FIELDS.has(path)) return;
  if (after === undefined) {
    if (before !== undefined) out.push(`-${path}`);
  } else if (before === undefined) out.push(`+${path}=${short(after)}`);
  else changesIn(before, after, type, path, out, mergeKey);
}

/** Elements of two keyed lists paired by merge key: "[type=Ready]", in before's order, new ones last. */
function byKey(before: unknown[], after: unknown[], key: string): [string, unknown, unknown][] {
  const keyOf = (x: unknown) => String((x as Json)[key]);
  const afterByKey = new Map(after.map((x) => [keyOf(x), x]));
  const beforeKeys = new Set(before.map(keyOf));
  return [
    ...before.map((b): [string, unknown, unknown] => [`[${key}=${keyOf(b)}]`, b, afterByKey.get(keyOf(b))]),
    ...after.filter((a) => !beforeKeys.has(keyOf(a))).map((a): [string, unknown, unknown] => [`[${key}=${keyOf(a)}]`, undefined, a]),
  ];
}

/**
 * `after` with every keyed list in the order of the same list in `before` (new elements last), so a
 * text diff of the two shows changed elements in place rather than as moved blocks.
 */
export function alignedTo(before: KObject, after: KObject): KObject {
  return align(before, after, rootType(after.apiVersion ?? '', after.kind ?? '')) as KObject;
}

function align(before: unknown, after: unknown, type: FieldType | undefined, mergeKey?: string): unknown {
  if (isMap(before) && isMap(after)) {
    const key = (field: string) => (type?.t === 'object' ? patchStrategy(type.model, field)?.mergeKey : undefined);
    return Object.fromEntries(Object.entries(after).map(([f, v]) => [f, align(before[f], v, childType(type, f), key(f))]));
  }
  if (!Array.isArray(before) || !Array.isArray(after) || mergeKey === undefined) return after;
  const item = type?.t === 'array' ? type.item : undefined;
  if (![...before, ...after].every((x) => isMap(x) && x[mergeKey] !== undefined)) return after;
  return byKey(before, after, mergeKey).filter(([, , a]) => a !== undefined).map(([, b, a]) => align(b, a, item));
}

function byIndex(before: unknown[], after: unknown[]): [string, unknown, unknown][] {
  return Array.from({ length: Math.max(before.length, after.length) }, (_, i) => [`.${i}`, before[i], after[i]]);
}

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? 'null';
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
