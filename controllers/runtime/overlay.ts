// The view a reconcile reads: the store's head plus this controller's writes that are committed but
// not yet acknowledged. The runtime lets the commits of many keys be in flight at once (the store
// group-commits them: one fsync for hundreds of reconciles), yet the contract (types.ts) promises a
// reconcile sees every write its controller has made — e.g. a scheduler placing pod B must count pod
// A, bound a moment ago, on its node. So writes are laid over the store until their commit settles.
//
// A create that names only `generateName` cannot be predicted (the store picks the suffix) and is not
// overlaid; controllers that must see their own creates at once name them (the replica set does).

import type { Mutation } from '../../core/events.ts';
import { matchFields, selectableField, type FieldGetter } from '../../core/field-selectors.ts';
import { clone, keyString, type KObject } from '../../core/object.ts';
import type { ListOptions, ListResult, ReadView } from '../../store/store.ts';
import { deepFreeze } from '../../store/view.ts';

interface Pending {
  res: string;
  ns: string;
  name: string;
  /** The object as the write leaves it; null for a delete. */
  object: KObject | null;
  /**
   * A write with a precondition (a create, or a resourceVersion to match) holds only while the store
   * still has the version it was decided on (`basis`; undefined: absent) — see `outdated`.
   */
  guarded: boolean;
  basis?: string;
  /** In-flight commits that wrote this object; the entry goes when the last one settles. */
  refs: number;
}

/**
 * Resources controllers write and never read: Kubernetes Events (controllers/events.ts). As with
 * client-go's recorder, a controller records them and moves on; identical ones are aggregated by the
 * recording patch at commit time, against the stored Event. Laying them over the view would cost
 * two thirds of the held writes of a rollout (six of a new pod's nine writes are Events) for nobody to see.
 */
const WRITE_ONLY = new Set(['v1/events']);

/** Pending entries by the value one field of their object reads. */
interface FieldIndex {
  get: FieldGetter;
  values: Map<string, Set<Pending>>;
}

export class OverlayView implements ReadView {
  private readonly pending = new Map<string, Pending>();
  /** Pending entries by res → namespace → name, so a list only looks at its own scope. */
  private readonly scopes = new Map<string, Map<string, Map<string, Pending>>>();
  /**
   * Pending entries by the value of a field lists select on (ListOptions.fields), built the first
   * time a list of `res` asks for `path` and kept from then on: res → path → value → entries.
   * The kubelet lists the pods of one node while thousands of its own status writes are in flight.
   */
  private readonly byField = new Map<string, Map<string, FieldIndex>>();

  constructor(private readonly base: ReadView) {}

  get rev(): number {
    return this.base.rev;
  }

  get ts(): number {
    return this.base.ts;
  }

  get(res: string, ns: string, name: string): KObject | undefined {
    const p = this.pending.get(keyString({ res, ns, name }));
    if (!p) return this.base.get(res, ns, name);
    const stored = this.base.get(res, ns, name);
    return this.outdated(p, stored) ? stored : (p.object ?? undefined);
  }

  /**
   * The store has moved past the version a guarded write was decided on: the write is in it already,
   * or it will be refused (Conflict, AlreadyExists) — either way the stored object is the newer one.
   * The events of a store batch arrive before its commits settle, so without this a reconcile woken
   * by another writer's change (a pod's deletion mark committed right after this kubelet's status
   * write for it) would read the prediction, which predates that change, and miss it.
   */
  private outdated(p: Pending, stored: KObject | undefined): boolean {
    return p.guarded && stored?.metadata.resourceVersion !== p.basis;
  }

  /**
   * The base list with pending entries swapped in: a base item a pending write touches is replaced
   * by the pending object (or dropped, for a delete or an object the list's fields or filter now
   * reject).
   *
   * The pending writes in scope can far outnumber the items a filtered list returns (a scheduler
   * batch has hundreds of bindings in flight while the kubelet lists the few pods of one node), so
   * only the pending entries that can enter are tested — those with the list's field value, else
   * those of its namespace — and only the ones that pass are sorted and merged: O(n + k + j log j)
   * for n base items, k candidates and j of them passing, where sorting every pending write of the
   * resource on every list made a burst of writes quadratic.
   */
  list(res: string, opts: ListOptions = {}): ListResult {
    const result = this.base.list(res, opts);
    const byNs = this.scopes.get(res);
    const scope = opts.namespace !== undefined ? byNs?.get(opts.namespace) : byNs;
    if (!byNs || !scope || scope.size === 0 || opts.limit) return result;
    const fields = opts.fields && Object.keys(opts.fields).length ? matchFields(res, opts.fields) : undefined;
    const entering: Pending[] = [];
    for (const p of this.candidates(res, opts, byNs)) {
      if (!p.object || (opts.namespace !== undefined && p.ns !== opts.namespace)) continue;
      if (p.guarded && this.outdated(p, this.base.get(res, p.ns, p.name))) continue;
      if ((!fields || fields(p.object)) && (!opts.filter || opts.filter(p.object))) entering.push(p);
    }
    // Base items the pending writes replace or remove (looked up by key, not merged).
    const pendingFor = (o: KObject) => {
      const p = byNs.get(o.metadata.namespace ?? '')?.get(o.metadata.name ?? '');
      return p !== undefined && !this.outdated(p, o);
    };
    const kept = result.items.filter((o) => !pendingFor(o));
    if (entering.length === 0) return kept.length === result.items.length ? result : { ...result, items: kept };
    entering.sort((a, b) => compareKeys(a.ns, a.name, b.ns, b.name));
    const items: KObject[] = [];
    let i = 0;
    for (const p of entering) {
      for (; i < kept.length; i++) {
        if (compareKeys(kept[i].metadata.namespace ?? '', kept[i].metadata.name ?? '', p.ns, p.name) > 0) break;
        items.push(kept[i]);
      }
      items.push(p.object!);
    }
    for (; i < kept.length; i++) items.push(kept[i]);
    return { ...result, items };
  }

  /** The pending entries of `res` a list may take in: by its first field's value, else by its namespace. */
  private *candidates(res: string, opts: ListOptions, byNs: Map<string, Map<string, Pending>>): Iterable<Pending> {
    const path = opts.fields ? Object.keys(opts.fields)[0] : undefined;
    if (path !== undefined) {
      yield* this.fieldIndex(res, path)?.values.get(opts.fields![path]) ?? [];
      return;
    }
    if (opts.namespace !== undefined) {
      yield* byNs.get(opts.namespace)?.values() ?? [];
      return;
    }
    for (const byName of byNs.values()) yield* byName.values();
  }

  /** The pending index of one field, built from the pending entries on first use; undefined if `res` has no such field. */
  private fieldIndex(res: string, path: string): FieldIndex | undefined {
    let byPath = this.byField.get(res);
    if (!byPath) this.byField.set(res, (byPath = new Map()));
    let index = byPath.get(path);
    if (!index) {
      const get = selectableField(res, path);
      if (!get) return undefined;
      byPath.set(path, (index = { get, values: new Map() }));
      for (const byName of this.scopes.get(res)?.values() ?? []) for (const p of byName.values()) this.indexField(index, p, +1);
    }
    return index;
  }

  /** Add (+1) or remove (-1) one pending entry in one field index. */
  private indexField(index: FieldIndex, p: Pending, sign: 1 | -1): void {
    if (!p.object) return;
    const value = index.get(p.object);
    let set = index.values.get(value);
    if (sign > 0) {
      if (!set) index.values.set(value, (set = new Set()));
      set.add(p);
    } else if (set) {
      set.delete(p);
      if (set.size === 0) index.values.delete(value);
    }
  }

  /** Add or remove one pending entry in every field index of its resource. */
  private reindex(p: Pending, sign: 1 | -1): void {
    const byPath = this.byField.get(p.res);
    if (byPath) for (const index of byPath.values()) this.indexField(index, p, sign);
  }

  /** Lay the writes of one commit over the view; returns the function that lifts them when it settles. */
  hold(writes: Mutation[]): () => void {
    const held: string[] = [];
    for (const w of writes) {
      if (WRITE_ONLY.has(w.res)) continue;
      const entry = this.predict(w);
      if (!entry) continue;
      const k = keyString(entry);
      const previous = this.pending.get(k);
      if (previous) this.reindex(previous, -1);
      const p = { ...entry, refs: (previous?.refs ?? 0) + 1 };
      this.pending.set(k, p);
      this.reindex(p, +1);
      this.scope(entry.res, entry.ns).set(entry.name, p);
      held.push(k);
    }
    return () => {
      for (const k of held) {
        const p = this.pending.get(k)!;
        if (--p.refs > 0) continue;
        this.pending.delete(k);
        this.reindex(p, -1);
        const byNs = this.scopes.get(p.res)!;
        const byName = byNs.get(p.ns)!;
        byName.delete(p.name);
        if (byName.size === 0) byNs.delete(p.ns);
      }
    };
  }

  private scope(res: string, ns: string): Map<string, Pending> {
    let byNs = this.scopes.get(res);
    if (!byNs) this.scopes.set(res, (byNs = new Map()));
    let byName = byNs.get(ns);
    if (!byName) byNs.set(ns, (byName = new Map()));
    return byName;
  }

  private predict(w: Mutation): Omit<Pending, 'refs'> | undefined {
    switch (w.op) {
      case 'create':
      case 'update': {
        const m = w.object.metadata;
        if (!m.name) return undefined;
        // An update is checked against expectedRV, else the object's own resourceVersion (store/decide.ts).
        const basis = w.op === 'update' ? w.expectedRV || m.resourceVersion || undefined : undefined;
        return { res: w.res, ns: m.namespace ?? '', name: m.name, object: w.object, guarded: w.op === 'create' || basis !== undefined, basis };
      }
      case 'patch': {
        // An upsert (a recorded Event, a Lease) is frozen in place rather than copied: the store copies
        // it before use, and nobody edits a mutation once it is handed over.
        const current = this.get(w.res, w.ns, w.name) ?? (w.upsert && deepFreeze(w.upsert));
        if (!current) return undefined;
        try {
          return { res: w.res, ns: w.ns, name: w.name, object: patched(w.apply, current), guarded: !!w.expectedRV, basis: w.expectedRV || undefined };
        } catch {
          return undefined; // the store will reject it too; nothing to predict
        }
      }
      case 'delete':
        return { res: w.res, ns: w.ns, name: w.name, object: null, guarded: !!w.expectedRV, basis: w.expectedRV || undefined };
    }
  }
}

/**
 * What a patch leaves of `current`, without copying it when it can: objects from the store's view are
 * deep-frozen, so a patch that edits in place throws on one (TypeError, strict mode) instead of
 * corrupting it, and only then runs on a copy. Most patches spread the object into a new one, and
 * copying every pod a kubelet or scheduler patch predicts was a tenth of their cost. A predicted
 * object (not frozen) is always copied first.
 */
function patched(apply: (obj: KObject) => KObject, current: KObject): KObject {
  if (!Object.isFrozen(current)) return apply(clone(current));
  try {
    return apply(current);
  } catch (err) {
    if (err instanceof TypeError) return apply(clone(current));
    throw err;
  }
}

/** List order: by namespace, then name (store/view.ts sorts the same way). */
export function byNamespaceAndName(a: KObject, b: KObject): number {
  return compareKeys(a.metadata.namespace ?? '', a.metadata.name ?? '', b.metadata.namespace ?? '', b.metadata.name ?? '');
}

function compareKeys(nsA: string, nameA: string, nsB: string, nameB: string): number {
  if (nsA !== nsB) return nsA < nsB ? -1 : 1;
  return nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
}
