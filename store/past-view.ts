// A read-only view at a past revision, lazy in two ways:
// - get(res, ns, name): the per-object index gives the last rev ≤ r of that object (binary search),
//   and one synchronous `e` get returns its state — O(log n), independent of the log's length and of
//   the cluster's size. This is the path `kubectl get pod x` at /at/{rev} takes.
// - list(res): materializes the whole state at r once (nearest checkpoint ≤ r + the events after
//   it), then pages over it like the live view. The materialized state is kept in a small LRU by
//   the store, so paging through a list at one revision builds it once.

import type { KObject } from '../core/object.ts';
import type { Event } from '../core/events.ts';
import type { ListOptions, ListResult, ReadView } from './store.ts';
import type { Checkpoints } from './checkpoint.ts';
import type { Codec } from './codec.ts';
import type { Db } from './db.ts';
import { eventKey } from './keys.ts';
import type { RevIndex } from './rev-index.ts';
import { MemView } from './view.ts';

export interface PastDeps {
  db: Db;
  codec: Codec;
  index: RevIndex;
  checkpoints: Checkpoints;
  /** Page a list at any rev (continue tokens may point at another rev than this view's). */
  list(viewRev: number, res: string, opts?: ListOptions): ListResult;
}

/** One event read synchronously from the log (deep-frozen by the codec: it may be handed out). */
export function eventSync(db: Db, codec: Codec, rev: number): Event {
  const raw = db.getSync(eventKey(rev));
  if (!raw) throw new Error(`event ${rev} missing from the log`);
  return codec.decodeEvent(raw);
}

export class PastView implements ReadView {
  private state: MemView | undefined;
  private tsCache: number | undefined;

  constructor(
    readonly rev: number,
    private readonly deps: PastDeps,
  ) {}

  get ts(): number {
    if (this.tsCache === undefined) this.tsCache = this.rev === 0 ? 0 : eventSync(this.deps.db, this.deps.codec, this.rev).ts;
    return this.tsCache;
  }

  get(res: string, ns: string, name: string): KObject | undefined {
    if (this.state) return this.state.get(res, ns, name);
    const r = this.deps.index.lastAtOrBefore(`${res}|${ns}|${name}`, this.rev);
    if (r === 0) return undefined;
    const e = eventSync(this.deps.db, this.deps.codec, r);
    return e.type === 'DELETED' ? undefined : e.object;
  }

  list(res: string, opts: ListOptions = {}): ListResult {
    return this.deps.list(this.rev, res, opts);
  }

  /** The whole state at this rev: checkpoint + events after it (built once). */
  materialize(): MemView {
    if (!this.state) {
      const { db, codec, checkpoints } = this.deps;
      const base = checkpoints.nearest(this.rev);
      const view = checkpoints.loadSync(db, codec, base);
      for (let r = base + 1; r <= this.rev; r++) view.apply(eventSync(db, codec, r));
      this.state = view;
    }
    return this.state;
  }
}
