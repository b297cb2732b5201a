// A compact description of what one write changed, for history lines and causal chains:
// "spec.replicas 3→5", "+metadata.labels.tier=web", "-spec.paused". Bookkeeping fields every write
// touches (resourceVersion, generation, managedFields) are left out: they say nothing a reader wants.

import jsonpatch from 'fast-json-patch';
import type { KObject } from '../../core/object.ts';
import type { JsonPatchOp } from '../../store/store.ts';

const NOISE = /^\/metadata\/(resourceVersion|generation|managedFields)(\/|$)/;

/** RFC 6902 patch from `before` (absent: {}) to `after`, without bookkeeping fields. */
export function patchBetween(before: KObject | undefined, after: KObject | undefined): JsonPatchOp[] {
  return (jsonpatch.compare(before ?? {}, after ?? {}) as JsonPatchOp[]).filter((op) => !NOISE.test(op.path));
}

/** One short phrase per changed field; values longer than a few words are elided. */
export function describeChanges(before: KObject | undefined, after: KObject, patch = patchBetween(before, after)): string[] {
  return patch.map((op) => {
    const field = dotted(op.path);
    if (op.op === 'remove') return `-${field}`;
    if (op.op === 'add') return `+${field}=${short(op.value)}`;
    return `${field} ${short(valueAt(before, op.path))}→${short(op.value)}`;
  });
}

/** "/spec/template/metadata/labels/app" → "spec.template.metadata.labels.app" (JSON Pointer unescaped). */
function dotted(path: string): string {
  return path.slice(1).split('/').map(unescape).join('.');
}

const unescape = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');

function valueAt(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const seg of path.slice(1).split('/').map(unescape)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}

function short(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? 'null';
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
