// The view a reconcile reads: the store's head plus this controller's writes that are committed but
// not yet acknowledged. The runtime lets the commits of many keys be in flight at once (the store
// group-commits them: one fsync for hundreds of reconciles), yet the contract (types.ts) promises a
// reconcile sees every write its controller has made — e.g. a scheduler placing pod B must count pod
// A, bound a moment ago, on its node. So writes are laid over the store until their commit settles.
//
// A create that names only `generateName` cannot be predicted (the store picks the suffix) and is not
// overlaid; controllers that must see their own creates at once name them (the replica set does).

import type { Mutation } from '../../core/events.ts';
import { clone, keyString, type KObject } from '../../core/object.ts';
import type { ListOptions, ListResult, ReadView } from '../../store/store.ts';

interface Pending {
  res: string;
  ns: string;
  name: string;
  /** The object as the write leaves it; null for a delete. */
  object: KObject | null;
  /** In-flight commits that wrote this object; the entry goes when the last one settles. */
  refs: number;
}

export class OverlayView implements ReadView {
  private readonly pending = new Map<string, Pending>();
  /** Pending entries per res, so a list only looks at its own resource. */
  private readonly byRes = new Map<string, Set<string>>();

  constructor(private readonly base: ReadView) {}

  get rev(): number {
    return this.base.rev;
  }

  get ts(): number {
    return this.base.ts;
  }

  get(res: string, ns: string, name: string): KObject | undefined {
    const p = this.pending.get(keyString({ res, ns, name }));
    if (p) return p.object ?? undefined;
    return this.base.get(res, ns, name);
  }

  list(res: string, opts: ListOptions = {}): ListResult {
    const result = this.base.list(res, opts);
    const keys = this.byRes.get(res);
    if (!keys || keys.size === 0 || opts.limit) return result;
    const items = new Map<string, KObject>();
    for (const o of result.items) items.set(keyString({ res, ns: o.metadata.namespace ?? '', name: o.metadata.name ?? '' }), o);
    for (const k of keys) {
      const p = this.pending.get(k)!;
      if (opts.namespace !== undefined && p.ns !== opts.namespace) continue;
      if (p.object && (!opts.filter || opts.filter(p.object))) items.set(k, p.object);
      else items.delete(k);
    }
    const sorted = [...items.values()].sort(byNamespaceAndName);
    return { ...result, items: sorted };
  }

  /** Lay the writes of one commit over the view; returns the function that lifts them when it settles. */
  hold(writes: Mutation[]): () => void {
    const held: string[] = [];
    for (const w of writes) {
      const entry = this.predict(w);
      if (!entry) continue;
      const k = keyString(entry);
      const prev = this.pending.get(k);
      this.pending.set(k, { ...entry, refs: (prev?.refs ?? 0) + 1 });
      let set = this.byRes.get(entry.res);
      if (!set) this.byRes.set(entry.res, (set = new Set()));
      set.add(k);
      held.push(k);
    }
    return () => {
      for (const k of held) {
        const p = this.pending.get(k)!;
        if (--p.refs > 0) continue;
        this.pending.delete(k);
        this.byRes.get(p.res)!.delete(k);
      }
    };
  }

  private predict(w: Mutation): Omit<Pending, 'refs'> | undefined {
    switch (w.op) {
      case 'create':
      case 'update': {
        const m = w.object.metadata;
        if (!m.name) return undefined;
        return { res: w.res, ns: m.namespace ?? '', name: m.name, object: w.object };
      }
      case 'patch': {
        const current = this.get(w.res, w.ns, w.name) ?? w.upsert;
        if (!current) return undefined;
        try {
          return { res: w.res, ns: w.ns, name: w.name, object: w.apply(clone(current)) };
        } catch {
          return undefined; // the store will reject it too; nothing to predict
        }
      }
      case 'delete':
        return { res: w.res, ns: w.ns, name: w.name, object: null };
    }
  }
}

function byNamespaceAndName(a: KObject, b: KObject): number {
  const ka = `${a.metadata.namespace ?? ''}\0${a.metadata.name ?? ''}`;
  const kb = `${b.metadata.namespace ?? ''}\0${b.metadata.name ?? ''}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
