// Turning mutations into events: existence and optimistic-concurrency checks, admission, metadata
// stamping and the deletion rule. Pure given its lookup: it reads state only through `Overlay`, which
// layers not-yet-durable changes (earlier mutations of the same call, earlier calls of the same batch)
// over the view, so mutations see each other's effects in order.

import type { CommitOptions, Event, EventType, Mutation } from '../core/events.ts';
import { alreadyExists, conflict, invalid, notFound, STALE_OBJECT, type ResourceRef } from '../core/errors.ts';
import { deepEqual, deletionComplete, withVersionOf, resolveName, stampCreate, stampDelete, stampUpdate, type StampContext } from '../core/metadata.ts';
import { keyString, type KObject } from '../core/object.ts';
import type { AdmitRequest, StoreOptions } from './store.ts';

/** "apps/v1/deployments" → {group: "apps", resource: "deployments"}; "v1/pods" → {group: "", …}. */
export function refOf(res: string): ResourceRef {
  const parts = res.split('/');
  return parts.length >= 3 ? { group: parts[0], resource: parts[2] } : { group: '', resource: parts[1] ?? res };
}

type Lookup = (key: string) => KObject | undefined;

/**
 * Pending changes by object key over a parent lookup; `null` marks a deletion. Every change is
 * journaled, so the changes of one rejected call can be taken back (`mark`, `rollback`) while the
 * calls before it in the batch stay: one overlay per batch rather than one per call.
 */
export class Overlay {
  readonly changes = new Map<string, KObject | null>();
  /** For each change, in order: its key and what the key held before (`undefined`: no change). */
  private readonly undoKeys: string[] = [];
  private readonly undoValues: Array<KObject | null | undefined> = [];
  /**
   * Where lookups go for keys this overlay has not changed (re-pointed when a batch lands). `below`
   * is the overlay `parent` reads through, if any, so `pending` can list the whole chain; it is
   * cleared together with the re-pointing.
   */
  constructor(
    public parent: Lookup,
    public below?: Overlay,
  ) {}

  /**
   * Resources this overlay has changed (kept after a rollback: a superset), so that `pending` of an
   * untouched resource — admission asks for the ResourceQuotas on every create — skips the scan.
   */
  private readonly touched = new Set<string>();

  /** Every pending change of resource `res` in this overlay and those below it, oldest last applied. */
  pending(res: string, into = new Map<string, KObject | null>()): Map<string, KObject | null> {
    this.below?.pending(res, into);
    if (!this.touched.has(res)) return into;
    const prefix = `${res}|`;
    for (const [k, v] of this.changes) if (k.startsWith(prefix)) into.set(k, v);
    return into;
  }

  get(key: string): KObject | undefined {
    const c = this.changes.get(key);
    return c === null ? undefined : c ?? this.parent(key);
  }

  /** Change `key` ("res|ns|name" of resource `res`) to `obj`, or delete it with `undefined`. */
  set(res: string, key: string, obj: KObject | undefined): void {
    this.undoKeys.push(key);
    this.undoValues.push(this.changes.get(key));
    this.changes.set(key, obj ?? null);
    this.touched.add(res);
  }

  /** A point to roll back to. */
  mark(): number {
    return this.undoKeys.length;
  }

  /** Undo every change made after `mark` (a call of the batch was rejected: all or nothing). */
  rollback(mark: number): void {
    while (this.undoKeys.length > mark) {
      const key = this.undoKeys.pop()!;
      const before = this.undoValues.pop();
      if (before === undefined) this.changes.delete(key);
      else this.changes.set(key, before);
    }
  }
}

export interface DecideContext {
  /** Rev of the first event; each mutation takes the next one. */
  rev: number;
  ts: number;
  seed: number;
  admit?: StoreOptions['admit'];
  /** The committed objects of a resource, or of one namespace of it (the view), for admission's `peers`. */
  committed?: (res: string, namespace?: string) => KObject[];
}

/** Admission's `peers`: the committed objects of `res` (in `ns`, if given) with the pending changes of `state` on top. */
function peersOf(state: Overlay, committed: DecideContext['committed']): NonNullable<AdmitRequest['peers']> {
  return (res, ns) => {
    if (ns !== undefined) return peersInNamespace(committed?.(res, ns) ?? [], state.pending(res), `${res}|${ns}|`);
    const byKey = new Map<string, KObject>();
    for (const obj of committed?.(res) ?? []) byKey.set(keyString({ res, ns: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' }), obj);
    for (const [k, v] of state.pending(res)) {
      if (v) byKey.set(k, v);
      else byKey.delete(k);
    }
    return [...byKey.values()];
  };
}

/**
 * One namespace's peers. Names are unique within a namespace, so a pending change replaces the
 * committed object of its name: the view's list itself when the batch has not touched the namespace,
 * else it with the batch's objects appended, filtered only when a change hits a committed name
 * (ResourceQuota admission counts a namespace's pods on every create of a batch of creates).
 */
function peersInNamespace(objects: KObject[], pending: Map<string, KObject | null>, prefix: string): KObject[] {
  const changed = new Map<string, KObject | null>();
  for (const [k, v] of pending) if (k.startsWith(prefix)) changed.set(k.slice(prefix.length), v);
  if (changed.size === 0) return objects;
  const committedNames = namesOf(objects);
  const live = [...changed.values()].filter((v): v is KObject => v !== null);
  if (![...changed.keys()].some((name) => committedNames.has(name))) return objects.concat(live);
  return objects.filter((o) => !changed.has(o.metadata.name ?? '')).concat(live);
}

/**
 * The names in one of the view's namespace lists, once per list: the view replaces a list when an
 * object comes or goes and swaps an updated object in place (same name), so a list's names never change.
 */
const NAMES = new WeakMap<KObject[], Set<string>>();

function namesOf(objects: KObject[]): Set<string> {
  let names = NAMES.get(objects);
  if (!names) NAMES.set(objects, (names = new Set(objects.map((o) => o.metadata.name ?? ''))));
  return names;
}

/**
 * The events for `mutations`, applied to `state` as it goes; each event's object key ("res|ns|name")
 * is pushed to `keys`, if given. Throws a StatusError on the first rejected mutation; the caller then
 * rolls `state` (and `keys`) back to before the call (all or nothing).
 */
export function decide(mutations: Mutation[], opts: CommitOptions, state: Overlay, ctx: DecideContext, keys?: string[]): Event[] {
  const events: Event[] = [];
  const admit = admission(ctx, state);
  for (const m of mutations) {
    const sc: StampContext = { rev: ctx.rev + events.length, ts: ctx.ts, seed: ctx.seed, res: m.res };
    const decision = decideOne(m, state, sc, admit);
    if (!decision) continue; // an update that changes nothing: no event, no revision
    const { type, object: obj, key } = decision;
    state.set(m.res, key, type === 'DELETED' ? undefined : obj);
    const e: Event = { rev: sc.rev, ts: ctx.ts, type, res: m.res, ns: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '', object: obj, actor: opts.actor };
    if (opts.cause !== undefined) e.cause = opts.cause;
    events.push(e);
    keys?.push(key);
  }
  return events;
}

/** The store's admission hook as this call's mutations see it: `peers` reads the call's state. */
type Admit = (op: AdmitRequest['op'], res: string, object: KObject, old?: KObject, subresource?: string) => KObject;

function admission(ctx: DecideContext, state: Overlay): Admit | undefined {
  const admit = ctx.admit;
  if (!admit) return undefined;
  const peers = peersOf(state, ctx.committed);
  return (op, res, object, old, subresource) => admit(old ? { op, res, object, old, subresource, peers } : { op, res, object, peers });
}

/** One mutation's outcome; `key` is the object's "res|ns|name", built once for the lookups and the overlay. */
interface Decision {
  type: EventType;
  object: KObject;
  key: string;
}

function decideOne(m: Mutation, state: Overlay, sc: StampContext, admit: Admit | undefined): Decision | undefined {
  switch (m.op) {
    case 'create':
      return create(m.res, admit ? copy(m.object) : m.object, state, sc, admit);
    case 'update': {
      const meta = m.object.metadata ?? {};
      const key = keyString({ res: m.res, ns: meta.namespace ?? '', name: meta.name ?? '' });
      const old = existing(m.res, key, meta.name ?? '', state);
      checkRV(m.res, old, m.expectedRV ?? meta.resourceVersion);
      return updated(m.res, key, admit ? copy(m.object) : m.object, old, sc, admit);
    }
    case 'patch': {
      const key = keyString(m);
      if (m.upsert && !state.get(key)) return create(m.res, m.apply(copy(m.upsert)), state, sc, admit);
      const old = existing(m.res, key, m.name, state);
      checkRV(m.res, old, m.expectedRV);
      const decision = updated(m.res, key, m.apply(copy(old)), old, sc, admit, m.subresource);
      return m.unlessUnchanged && sameButVersion(decision.object, old) ? undefined : decision;
    }
    case 'delete': {
      const key = keyString(m);
      const old = existing(m.res, key, m.name, state);
      checkRV(m.res, old, m.expectedRV);
      if (m.expectedUid !== undefined && m.expectedUid !== old.metadata.uid) {
        const why = `Precondition failed: UID in precondition: ${m.expectedUid}, UID in object meta: ${old.metadata.uid ?? ''}`;
        throw conflict(refOf(m.res), m.name, why);
      }
      return { type: 'DELETED', object: stampDelete(old, sc), key };
    }
  }
}

/** Generated names tried before a create with generateName fails with AlreadyExists (the apiserver's 8). */
const GENERATE_NAME_ATTEMPTS = 8;

function create(res: string, input: KObject, state: Overlay, sc: StampContext, admit: Admit | undefined): Decision {
  const ns = input.metadata.namespace ?? '';
  let name = resolveName(input, sc);
  for (let attempt = 1; !input.metadata.name && name && state.get(keyString({ res, ns, name })) && attempt < GENERATE_NAME_ATTEMPTS; attempt++) {
    name = resolveName(input, sc, attempt);
  }
  if (!name) {
    const ref = refOf(res);
    throw invalid(input.kind ?? ref.resource, ref.group, '', [
      { reason: 'FieldValueRequired', message: 'name or generateName is required', field: 'metadata.name' },
    ]);
  }
  const key = keyString({ res, ns, name });
  if (state.get(key)) throw alreadyExists(refOf(res), name);
  // Stamp first, then admit: kube-apiserver's BeforeCreate fills uid and creationTimestamp before
  // validation, and admission needs the uid (a Job's generated selector selects on it).
  const stamped = stampCreate(input, sc, name, key);
  const object = admit ? admit('create', res, stamped) : stamped;
  const m = object.metadata;
  const same = (m.namespace ?? '') === ns && m.name === name; // admission keeps them (key as checked)
  return { type: 'ADDED', object, key: same ? key : keyString({ res, ns: m.namespace ?? '', name: m.name ?? '' }) };
}

/** An update of `old` (at `key`: stamping keeps its name and namespace) to `next`. */
function updated(res: string, key: string, next: KObject, old: KObject, sc: StampContext, admit: Admit | undefined, subresource?: string): Decision {
  const object = admit ? admit('update', res, next, old, subresource) : next;
  const stamped = stampUpdate(object, old, sc);
  // The registry's rule: the update that leaves a terminating object without finalizers deletes it.
  return { type: deletionComplete(stamped) ? 'DELETED' : 'MODIFIED', object: stamped, key };
}

/**
 * A deep, mutable copy of JSON data — the caller's input or a frozen stored object — for patch
 * functions and admission to edit freely. (Without admission a create or update needs none: stamping
 * copies only the top level and metadata, and the store takes the rest as it is, frozen.) Several
 * times faster than structuredClone for these small plain objects; a commit makes one per mutation.
 */
export function copy<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(copy) as T;
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = copy((v as Record<string, unknown>)[k]);
  return out as T;
}

/** `next` is `stored` but for the resourceVersion its stamping gave it. */
function sameButVersion(next: KObject, stored: KObject): boolean {
  return deepEqual(withVersionOf(next, stored), stored);
}

function existing(res: string, key: string, name: string, state: Overlay): KObject {
  const old = state.get(key);
  if (!old) throw notFound(refOf(res), name);
  return old;
}

/** Optimistic concurrency: a stated resourceVersion must be the current one. */
function checkRV(res: string, old: KObject, expected: string | undefined): void {
  if (expected !== undefined && expected !== '' && expected !== old.metadata.resourceVersion) {
    throw conflict(refOf(res), old.metadata.name ?? '', STALE_OBJECT);
  }
}
