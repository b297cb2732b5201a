// The materialized state at one revision: maps res → namespace → name → object, plus Kubernetes
// list semantics (order by namespace then name, limit/continue, remainingItemCount).
//
// Objects in a view are deep-frozen and shared, never copied: a get or list hands out the stored
// object itself, which is safe because nobody can modify it (callers clone before editing, e.g. with
// core/object.ts `clone`). They are frozen as the codec decodes them from the bytes written to the
// log (codec.ts, msgpackr `freezeData`), so freezing costs no separate walk; cloning on every read
// would cost a copy on every get and on every item of every list.

import type { Event } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import { badRequest } from '../core/errors.ts';
import { matchFields, selectableField, type FieldGetter } from '../core/field-selectors.ts';
import type { ListOptions, ListResult } from './store.ts';

/** Deep-freeze plain data in place (for objects that do not come from the codec, e.g. test fixtures). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

type NsMap = Map<string, Map<string, KObject>>;

/**
 * Fields the view indexes, per resource: pods by spec.nodeName. Every kubelet lists the pods of its
 * node (a real one watches `fieldSelector=spec.nodeName=<node>`), the node lifecycle controller the
 * pods of a failing node, and `spec.nodeName=` selects the pods not yet bound. Without the index each
 * of those lists tested every pod of the cluster: with a kubelet sync per pod, O(pods²).
 */
const INDEXED_FIELDS: Record<string, [path: string, get: FieldGetter][]> = {
  'v1/pods': [['spec.nodeName', selectableField('v1/pods', 'spec.nodeName')!]],
};

/** What a list reads: the sorted objects that may match, and the test each must pass. */
export interface Selection {
  objects: KObject[];
  filter?: (obj: KObject) => boolean;
}

export class MemView {
  private readonly data = new Map<string, NsMap>();
  /** The same objects by "res|ns|name": one lookup per decision in the write path. */
  private readonly byKey = new Map<string, KObject>();
  /**
   * Sorted object lists, per res (all namespaces) and per res and namespace (key `res\0ns`): an
   * update swaps the object in place (its position cannot change); an add or a delete drops the
   * list, rebuilt on the next list. Without the cache, every namespaced list sorted the namespace
   * and every write re-sorted the whole resource — a pod status update per pod made listing pods
   * O(n log n) per reconcile.
   */
  private readonly sorted = new Map<string, KObject[]>();
  /**
   * Objects by the value of an indexed field: key `res\u0001path\u0001value` → "ns\0name" → object.
   * Their sorted lists share `sorted` under the same key and follow the same rules.
   */
  private readonly buckets = new Map<string, Map<string, KObject>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(res: string, ns: string, name: string): KObject | undefined {
    return this.data.get(res)?.get(ns)?.get(name);
  }

  getByKey(key: string): KObject | undefined {
    return this.byKey.get(key);
  }

  /** Set (or, with `undefined`, remove) one object. The object must already be frozen. */
  put(res: string, ns: string, name: string, obj: KObject | undefined): void {
    let byNs = this.data.get(res);
    if (!byNs) this.data.set(res, (byNs = new Map()));
    let byName = byNs.get(ns);
    if (!byName) byNs.set(ns, (byName = new Map()));
    const old = byName.get(name);
    const had = old !== undefined;
    const key = `${res}|${ns}|${name}`;
    if (obj) this.byKey.set(key, obj);
    else this.byKey.delete(key);
    if (obj) {
      byName.set(name, obj);
      if (!had) this.count++;
    } else if (had) {
      byName.delete(name);
      this.count--;
      if (byName.size === 0) byNs.delete(ns);
    }
    const nsKey = `${res}\0${ns}`;
    if (had && obj) {
      replaceSorted(this.sorted.get(res), ns, name, obj);
      replaceSorted(this.sorted.get(nsKey), ns, name, obj);
    } else {
      this.sorted.delete(res);
      this.sorted.delete(nsKey);
    }
    this.reindex(res, ns, name, old, obj);
  }

  /** Keep the field buckets of (ns, name) in step with a put: swap in place while the value holds. */
  private reindex(res: string, ns: string, name: string, old: KObject | undefined, obj: KObject | undefined): void {
    for (const [path, get] of INDEXED_FIELDS[res] ?? []) {
      const was = old && get(old);
      const is = obj && get(obj);
      const member = `${ns}\0${name}`;
      if (was !== undefined && was === is) {
        const key = bucketKey(res, path, was);
        this.buckets.get(key)!.set(member, obj!);
        replaceSorted(this.sorted.get(key), ns, name, obj!);
        continue;
      }
      if (was !== undefined) {
        const key = bucketKey(res, path, was);
        const bucket = this.buckets.get(key)!;
        bucket.delete(member);
        if (bucket.size === 0) this.buckets.delete(key);
        this.sorted.delete(key);
      }
      if (is !== undefined) {
        const key = bucketKey(res, path, is);
        let bucket = this.buckets.get(key);
        if (!bucket) this.buckets.set(key, (bucket = new Map()));
        bucket.set(member, obj!);
        this.sorted.delete(key);
      }
    }
  }

  /**
   * What a list of `res` with `opts` reads. An equality on an indexed field (opts.fields) narrows
   * the objects to that field's bucket, and the namespace and the other terms join the filter;
   * otherwise the objects are the namespace's (or the resource's) and the field terms join the filter.
   */
  select(res: string, opts: ListOptions): Selection {
    const fields = opts.fields ?? {};
    const indexed = (INDEXED_FIELDS[res] ?? []).find(([path]) => path in fields);
    if (!indexed) return scan(this.objects(res, opts.namespace), res, opts);
    const [path] = indexed;
    const { [path]: value, ...rest } = fields;
    const ns = opts.namespace;
    const inNamespace = ns === undefined ? undefined : (o: KObject) => (o.metadata.namespace ?? '') === ns;
    const others = Object.keys(rest).length ? matchFields(res, rest) : undefined;
    return { objects: this.bucket(res, path, value), filter: both(both(inNamespace, others), opts.filter) };
  }

  /** One bucket of an indexed field, in (namespace, name) order (sorted once, cached as `sorted`). */
  private bucket(res: string, path: string, value: string): KObject[] {
    const key = bucketKey(res, path, value);
    let items = this.sorted.get(key);
    if (!items) {
      const members = this.buckets.get(key);
      items = members ? [...members.keys()].sort(cmp).map((m) => members.get(m)!) : [];
      this.sorted.set(key, items);
    }
    return items;
  }

  apply(e: Event): void {
    this.put(e.res, e.ns, e.name, e.type === 'DELETED' ? undefined : e.object);
  }

  /** Every object of `res` (or of one namespace of it), in (namespace, name) order. */
  objects(res: string, namespace?: string): KObject[] {
    const byNs = this.data.get(res);
    if (!byNs) return [];
    if (namespace !== undefined) {
      const byName = byNs.get(namespace);
      if (!byName) return [];
      const nsKey = `${res}\0${namespace}`;
      let items = this.sorted.get(nsKey);
      if (!items) this.sorted.set(nsKey, (items = [...byName.keys()].sort(cmp).map((n) => byName.get(n)!)));
      return items;
    }
    let all = this.sorted.get(res);
    if (!all) {
      all = [];
      for (const ns of [...byNs.keys()].sort(cmp)) {
        const byName = byNs.get(ns)!;
        for (const n of [...byName.keys()].sort(cmp)) all.push(byName.get(n)!);
      }
      this.sorted.set(res, all);
    }
    return all;
  }

  /** Every (res, object) pair, for checkpoints. */
  *entries(): IterableIterator<[string, KObject]> {
    for (const [res, byNs] of this.data) {
      for (const byName of byNs.values()) for (const obj of byName.values()) yield [res, obj];
    }
  }

  resources(): string[] {
    return [...this.data.keys()].sort(cmp);
  }
}

/**
 * A list's selection over objects already narrowed to its namespace, without an index (a past view,
 * or a field the view does not index): every field term joins the filter.
 */
export function scan(objects: KObject[], res: string, opts: ListOptions): Selection {
  const fields = opts.fields && Object.keys(opts.fields).length ? matchFields(res, opts.fields) : undefined;
  return { objects, filter: both(fields, opts.filter) };
}

const bucketKey = (res: string, path: string, value: string) => `${res}\u0001${path}\u0001${value}`;

/** Both tests (either may be absent). */
function both(a?: (o: KObject) => boolean, b?: (o: KObject) => boolean): ((o: KObject) => boolean) | undefined {
  return a && b ? (o) => a(o) && b(o) : (a ?? b);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Swap the object at (ns, name) of a sorted list, found by binary search; no-op without a list. */
function replaceSorted(list: KObject[] | undefined, ns: string, name: string, obj: KObject): void {
  if (!list) return;
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = list[mid].metadata;
    const c = cmp(m.namespace ?? '', ns) || cmp(m.name ?? '', name);
    if (c === 0) {
      list[mid] = obj;
      return;
    }
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
}

// ---- list paging -------------------------------------------------------------------------------

/** A continue token, as Kubernetes encodes it: base64 of {"v","rv","start"}; start = "ns/name\0". */
interface Token {
  rv: number;
  ns: string;
  name: string;
}

export function encodeContinue(rv: number, ns: string, name: string): string {
  const json = JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: `${ns}/${name}\u0000` });
  return Buffer.from(json).toString('base64url');
}

/** Parse a continue token; BadRequest (as Kubernetes) if it is not one of ours. */
export function decodeContinue(token: string): Token {
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw badRequest('continue key is not valid: illegal base64 data or JSON');
  }
  const { v, rv, start } = parsed ?? {};
  if (v !== 'meta.k8s.io/v1') throw badRequest(`continue key is not valid: server does not recognize this encoded key version "${String(v)}"`);
  if (typeof rv !== 'number' || !Number.isInteger(rv) || rv < 0) throw badRequest('continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  if (typeof start !== 'string' || !start.endsWith('\u0000') || !start.includes('/')) throw badRequest('continue key is not valid: invalid start key');
  const body = start.slice(0, -1);
  const slash = body.indexOf('/');
  return { rv, ns: body.slice(0, slash), name: body.slice(slash + 1) };
}

/**
 * One page of a list over `objects` (sorted by namespace, name) as of `rev`, starting after the
 * token's key when continuing. Kubernetes counts remainingItemCount only without selectors; we count
 * the objects after the page that pass the filter, which is the same number when there is no filter.
 */
export function page(objects: KObject[], rev: number, opts: ListOptions, after?: Token): ListResult {
  let i = after ? firstAfter(objects, after.ns, after.name) : 0;
  const limit = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  const items: KObject[] = [];
  for (; i < objects.length && items.length < limit; i++) {
    if (!opts.filter || opts.filter(objects[i])) items.push(objects[i]);
  }
  let remaining = 0;
  for (let j = i; j < objects.length; j++) if (!opts.filter || opts.filter(objects[j])) remaining++;
  if (remaining === 0) return { items, rev };
  const last = items[items.length - 1].metadata;
  return { items, rev, continue: encodeContinue(rev, last.namespace ?? '', last.name ?? ''), remaining };
}

/** Index of the first object strictly after (ns, name) in a sorted array (binary search). */
function firstAfter(objects: KObject[], ns: string, name: string): number {
  let lo = 0;
  let hi = objects.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const m = objects[mid].metadata;
    const c = cmp(m.namespace ?? '', ns) || cmp(m.name ?? '', name);
    if (c <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
