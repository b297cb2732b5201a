// Query parameters shared by reads, writes and watches, parsed once with the apiserver's errors.

import { badRequest, tooLargeResourceVersion } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { fieldEqualities, parseFieldSelector, parseLabelSelector } from '../../core/selectors.ts';

export type Query = Record<string, string | undefined>;

/** fastify's query (repeated keys become arrays) as one string per key: the first, as Go's url.Values.Get reads it. */
export function flatQuery(raw: unknown): Query {
  const out: Query = {};
  for (const [k, v] of Object.entries((raw ?? {}) as Record<string, unknown>)) {
    out[k] = Array.isArray(v) ? String(v[0]) : v === undefined ? undefined : String(v);
  }
  return out;
}

/** `labelSelector` and `fieldSelector` as one predicate; undefined when neither is given. */
export function selectorFilter(q: Query, res: string): ((obj: KObject) => boolean) | undefined {
  const checks: ((obj: KObject) => boolean)[] = [];
  if (q.labelSelector) {
    const labels = parseLabelSelector(q.labelSelector);
    checks.push((o) => labels(o.metadata.labels));
  }
  if (q.fieldSelector) checks.push(parseFieldSelector(q.fieldSelector, res));
  if (checks.length === 0) return undefined;
  return (o) => checks.every((c) => c(o));
}

/**
 * The equality terms of `fieldSelector` (e.g. `spec.nodeName=node-1`, what a kubelet lists), for the
 * store to answer from its index (ListOptions.fields); selectorFilter still checks every term.
 */
export function selectorFields(q: Query): Record<string, string> | undefined {
  return q.fieldSelector ? fieldEqualities(q.fieldSelector) : undefined;
}

/** Boolean query flags as Go's strconv.ParseBool reads them (`watch=1`, `watch=true`). */
export function flag(q: Query, name: string): boolean {
  const v = q[name];
  return v === '1' || v === 'true' || v === 'True' || v === 'TRUE' || v === 't';
}

/**
 * `resourceVersion` as a number: undefined when absent or empty ("most recent"), 0 for "any".
 * A revision beyond the head is refused as the apiserver does after its wait ("Too large resource version").
 */
export function resourceVersion(q: Query, head: number): number | undefined {
  const v = q.resourceVersion;
  if (v === undefined || v === '') return undefined;
  const rv = Number(v);
  // Beyond 2^53 a revision cannot be ours (the apiserver refuses what overflows its uint64 as well).
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(rv)) throw badRequest(`invalid resource version "${v}"`);
  if (rv > head) throw tooLargeResourceVersion(rv, head);
  return rv;
}

/**
 * An int64 query parameter (`limit`, `timeoutSeconds`), undefined when absent or empty. Anything
 * else is the 400 the apiserver's parameter codec answers (it parses with Go's strconv.ParseInt).
 */
function int64Param(q: Query, name: string): number | undefined {
  const v = q[name];
  if (v === undefined || v === '') return undefined;
  if (!/^[+-]?\d+$/.test(v)) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: invalid syntax`);
  if (!Number.isSafeInteger(Number(v))) throw badRequest(`strconv.ParseInt: parsing ${JSON.stringify(v)}: value out of range`);
  return Number(v);
}

/** `limit` for lists; 0 means no limit. */
export function limit(q: Query): number {
  return Math.max(0, int64Param(q, 'limit') ?? 0);
}

/** A watch's `timeoutSeconds`: the stream ends after it (undefined or ≤ 0: it stays open). */
export function timeoutSeconds(q: Query): number | undefined {
  return int64Param(q, 'timeoutSeconds');
}

/** `dryRun=All` (the only value Kubernetes defines); anything else is refused. */
export function dryRun(q: Query): boolean {
  const v = q.dryRun;
  if (v === undefined || v === '') return false;
  if (v !== 'All') throw badRequest(`Invalid dry run value: "${v}" (supported values: "All")`);
  return true;
}
