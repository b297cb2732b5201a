// A read-only view at a past revision, read straight from the log through the history index
// (rev-index.ts), so its cost depends on what is read, not on the log's length or the cluster's size:
// - get(res, ns, name): the object's last rev ≤ r (binary search), then one synchronous `e` get —
//   O(log n). This is the path `kubectl get pod x` at /at/{rev} takes.
// - objects(res, ns?): the revs of the events holding the resource's objects at r, in list order,
//   then one `e` read each — O(objects of that resource), whatever else the cluster held. Not read:
//   an object whose event at r is still its newest (the live one is handed out), nor one whose event
//   the previous past list already decoded (stepping through time reads what changed in between).
//   `prefetch` reads the rest asynchronously, in chunks on LevelDB's threads, overlapping the
//   main thread's decoding; the API awaits it before a list. Listing 10,000 pods at a random rev of
//   a million-event log used to build the whole state from the nearest checkpoint plus up to 10,000
//   later events (p99 4.9 s loaded); it now reads exactly the 10,000 events.
//   The store's last past list is kept, so paging through it with limit/continue reads it once.

import { keyString, type KObject } from '../core/object.ts';
import type { Event } from '../core/events.ts';
import type { ListOptions, ListResult, ReadView } from './store.ts';
import type { Codec } from './codec.ts';
import type { Db } from './db.ts';
import { eventKey } from './keys.ts';
import type { LiveRevs, RevIndex } from './rev-index.ts';
import { scan, type Selection } from './view.ts';

/** Events per LevelDB read while prefetching a past list, and reads in flight. */
const PREFETCH_CHUNK = 1024;
const PREFETCH_AHEAD = 2;

export interface PastDeps {
  db: Db;
  codec: Codec;
  index: RevIndex;
  /** Page a list at any rev (continue tokens may point at another rev than this view's). */
  list(viewRev: number, res: string, opts?: ListOptions): ListResult;
  /**
   * The store's last past list, shared by its past views: paging through a list reads it once, and
   * only one list is held (ten thousand pods are ~30 MB decoded; one per cached view made 1.4 GB).
   * `byRev`: its objects by the rev of their event, for the next list to reuse.
   */
  lastList: { rev?: number; key?: string; objects?: KObject[]; byRev?: Map<number, KObject> };
  /** The live view's object by key ("res|ns|name"). */
  current(key: string): KObject | undefined;
}

/**
 * One event read synchronously from the log (deep-frozen by the codec: it may be handed out).
 * `kept`: the caller keeps it (a view's object), so it is decoded sharing identical subtrees.
 */
export function eventSync(db: Db, codec: Codec, rev: number, kept = false): Event {
  const raw = db.getSync(eventKey(rev));
  if (!raw) throw new Error(`event ${rev} missing from the log`);
  return kept ? codec.decodeEventShared(raw) : codec.decodeEvent(raw);
}

export class PastView implements ReadView {
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
    const key = keyString({ res, ns, name });
    const r = this.deps.index.liveRev(key, this.rev);
    return r === 0 ? undefined : this.unchanged(key, r);
  }

  list(res: string, opts: ListOptions = {}): ListResult {
    return this.deps.list(this.rev, res, opts);
  }

  /** What a list reads (as MemView.select): no field index in the past, so field terms join the filter. */
  select(res: string, opts: ListOptions): Selection {
    return scan(this.objects(res, opts.namespace), res, opts);
  }

  /** Every object of `res` (or of one namespace of it) at this rev, in (namespace, name) order. */
  objects(res: string, namespace?: string): KObject[] {
    const key = listKey(res, namespace);
    const last = this.deps.lastList;
    if (last.rev !== this.rev || last.key !== key || !last.objects) {
      const live = this.deps.index.liveRevs(res, this.rev, namespace);
      const previous = last.byRev;
      const read = new Map<number, KObject | undefined>();
      for (const rev of toRead(live, previous)) read.set(rev, this.objectOf(rev));
      this.keepList(key, live, read, previous);
    }
    return last.objects!;
  }

  /**
   * Read ahead, asynchronously, what `objects(res, namespace)` will need: the events come in chunks
   * from LevelDB's threads (PREFETCH_AHEAD chunks in flight) while the main thread decodes the chunk
   * before, so reading and decoding overlap instead of adding up. The API awaits this before a list.
   */
  async prefetch(res: string, namespace?: string): Promise<void> {
    const key = listKey(res, namespace);
    const last = this.deps.lastList;
    if (last.rev === this.rev && last.key === key && last.objects) return;
    const live = this.deps.index.liveRevs(res, this.rev, namespace);
    // The previous list as it is now: another list may replace it while this one reads.
    const previous = last.byRev;
    const revs = toRead(live, previous);
    const fetch = (c: number) => this.deps.db.getMany(revs.slice(c * PREFETCH_CHUNK, (c + 1) * PREFETCH_CHUNK).map(eventKey));
    const chunks = Math.ceil(revs.length / PREFETCH_CHUNK);
    const pending: Array<Promise<Array<Buffer | undefined>>> = [];
    for (let c = 0; c < Math.min(chunks, PREFETCH_AHEAD); c++) pending.push(fetch(c));
    const read = new Map<number, KObject | undefined>();
    for (let c = 0; c < chunks; c++) {
      const raw = await pending[c];
      if (c + PREFETCH_AHEAD < chunks) pending.push(fetch(c + PREFETCH_AHEAD));
      for (let j = 0; j < raw.length; j++) {
        const rev = revs[c * PREFETCH_CHUNK + j];
        read.set(rev, this.objectOf(rev, raw[j]));
      }
    }
    this.keepList(key, live, read, previous);
  }

  /** Keep the list: live objects, objects `read` from the log and the `previous` list's, in list order. */
  private keepList(key: string, live: LiveRevs, read: Map<number, KObject | undefined>, previous: Map<number, KObject> | undefined): void {
    const objects: KObject[] = [];
    const byRev = new Map<number, KObject>();
    for (let i = 0; i < live.revs.length; i++) {
      const rev = live.revs[i];
      const obj = live.latest[i] ? this.unchanged(live.keys[i], rev) : read.has(rev) ? read.get(rev) : previous!.get(rev);
      if (!obj) continue;
      objects.push(obj);
      byRev.set(rev, obj);
    }
    Object.assign(this.deps.lastList, { rev: this.rev, key, objects, byRev });
  }

  /**
   * The live object, when its last write is still the event `rev` (the index says so; its
   * resourceVersion confirms it): no read, no decode, no copy. In a cluster where most objects have
   * not changed since the point asked about, a past list then costs what changed, not what exists.
   */
  private unchanged(key: string, rev: number): KObject | undefined {
    const live = this.deps.current(key);
    return live && Number(live.metadata.resourceVersion) === rev ? live : this.objectOf(rev);
  }

  /** The object an event left behind (none after a deletion), sharing what is identical with other reads. */
  private objectOf(rev: number, raw: Uint8Array | undefined = this.deps.db.getSync(eventKey(rev))): KObject | undefined {
    if (!raw) throw new Error(`event ${rev} missing from the log`);
    const e = this.deps.codec.decodeEventShared(raw);
    return e.type === 'DELETED' ? undefined : e.object;
  }
}

/**
 * The events a list must read from the log: not those of live objects unchanged since (handed out
 * as they are), nor those the previous past list already decoded — stepping through time, or
 * paging, then reads only what changed between the two points.
 */
function toRead(live: LiveRevs, previous: Map<number, KObject> | undefined): number[] {
  const revs: number[] = [];
  for (let i = 0; i < live.revs.length; i++) {
    if (!live.latest[i] && !previous?.has(live.revs[i])) revs.push(live.revs[i]);
  }
  return revs;
}

/** The lastList key of a list of `res`, or of one namespace of it. */
function listKey(res: string, namespace?: string): string {
  return namespace === undefined ? res : `${res}\0${namespace}`;
}
