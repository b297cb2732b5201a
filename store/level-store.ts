// The Store over an abstract-level database (LevelDB on disk, or memory-level in tests).
// How data enters: commit → group commit (group-commit.ts) → prepare and write (writer.ts, which
// uses decide.ts) → one durable batch → apply to the view → events$. How it leaves: the live view
// (view.ts), past views (past-view.ts), the log itself (read/event/history), watch (watch.ts).
// Key layout: keys.ts.

import { Subject, type Observable } from 'rxjs';
import jsonpatch from 'fast-json-patch';
import { RealClock, type Clock } from '../core/clock.ts';
import { badRequest, internalError } from '../core/errors.ts';
import type { CommitOptions, Event, Mutation } from '../core/events.ts';
import { keyString, type KObject } from '../core/object.ts';
import { checkpointOps, Checkpoints } from './checkpoint.ts';
import { Codec } from './codec.ts';
import { ensureLayout } from './layout.ts';
import { writeBatch, type Db, type PutOp } from './db.ts';
import { copy, decide, Overlay } from './decide.ts';
import { GroupCommit } from './group-commit.ts';
import { Writer, type Prepared } from './writer.ts';
import { eventKey, EVENT, group, indexKey, revOfEventKey } from './keys.ts';
import { revAtTime } from './time-index.ts';
import { eventSync, PastView } from './past-view.ts';
import { RevIndex } from './rev-index.ts';
import type { JsonPatchOp, ListOptions, ListResult, Point, ReadView, Store, StoreOptions } from './store.ts';
import { decodeContinue, deepFreeze, MemView, page } from './view.ts';
import { watchFrom } from './watch.ts';

/** Past views kept: repeated time-travel reads at one rev hit it. */
const PAST_CACHE = 8;

export class LevelStore implements Store {
  private readonly live = new Subject<Event>();
  readonly events$: Observable<Event> = this.live.asObservable();
  private readonly view = new MemView();
  private readonly writer: Writer;
  private readonly gc: GroupCommit<Prepared>;
  private checkpointQueued = false;
  private readonly past = new Map<number, PastView>();
  private readonly lastPastList = {};
  private readonly clock: Clock;
  private readonly every: number;
  private head = 0;
  private headTs = 0;
  private lastCheckpoint = 0;
  private closed = false;

  private constructor(
    private readonly db: Db,
    private readonly codec: Codec,
    private readonly index: RevIndex,
    private readonly checkpoints: Checkpoints,
    private readonly opts: StoreOptions,
  ) {
    this.clock = opts.clock ?? new RealClock();
    this.every = opts.checkpointEvery ?? 1000;
    this.writer = new Writer({
      db,
      codec,
      clock: this.clock,
      opts,
      lookup: (k) => this.lookup(k),
      objects: (res, ns) => this.view.objects(res, ns),
      head: () => ({ rev: this.head, ts: this.headTs }),
      applied: (events, keys) => this.applied(events, keys),
    });
    this.gc = new GroupCommit(this.writer);
  }

  /**
   * Open (creating if empty) a store on `db`: the newest checkpoint, the history segments, then the
   * log tail. Gap-free by construction and checked: a checkpoint is only taken of durable, applied
   * state (so every rev up to it was in the log), and the tail is read rev by rev up to the last
   * `e` key, so a hole or a torn tail fails the open instead of being served.
   */
  static async open(db: Db, opts: StoreOptions = {}): Promise<LevelStore> {
    await db.open();
    await ensureLayout(db);
    const codec = await Codec.load(db);
    const checkpoints = await Checkpoints.load(db);
    const { index, upTo } = await RevIndex.load(db, codec);
    if (upTo !== checkpoints.newest) {
      throw internalError(`store at checkpoint ${checkpoints.newest} has history up to ${upTo}: written by an older Rewind? (delete the data directory)`);
    }
    const store = new LevelStore(db, codec, index, checkpoints, opts);
    store.recover(await lastRev(db));
    return store;
  }

  /** Rebuild the live view: the newest checkpoint ≤ head, then every later event, in order. */
  private recover(head: number): void {
    const base = this.checkpoints.nearest(head);
    const view = this.checkpoints.loadSync(this.db, this.codec, base);
    for (const [res, obj] of view.entries()) this.view.put(res, obj.metadata.namespace ?? '', obj.metadata.name ?? '', obj);
    if (base > 0) this.headTs = eventSync(this.db, this.codec, base).ts; // throws if missing
    for (let r = base + 1; r <= head; r++) {
      const e = eventSync(this.db, this.codec, r);
      if (e.rev !== r) throw internalError(`event log corrupt: key ${r} holds rev ${e.rev}`);
      this.view.apply(e);
      this.index.add(keyString(e), e.rev, e.type === 'DELETED');
      this.headTs = e.ts;
    }
    this.head = head;
    this.lastCheckpoint = base;
  }

  // ---- the live view --------------------------------------------------------------------------

  get rev(): number {
    return this.head;
  }

  get ts(): number {
    return this.headTs;
  }

  get(res: string, ns: string, name: string): KObject | undefined {
    return this.view.get(res, ns, name);
  }

  list(res: string, opts: ListOptions = {}): ListResult {
    return this.listAt(this.head, res, opts);
  }

  /** A list page as of `viewRev`, or as of the continue token's rev when continuing (Kubernetes). */
  private listAt(viewRev: number, res: string, opts: ListOptions): ListResult {
    const token = opts.continue ? decodeContinue(opts.continue) : undefined;
    const rev = token ? token.rv : viewRev;
    if (rev > this.head) throw badRequest(`continue key is not valid: resourceVersion ${rev} is in the future`);
    const state = rev === this.head ? this.view : this.pastView(rev);
    const { objects, filter } = state.select(res, opts);
    return page(objects, rev, { ...opts, filter }, token);
  }

  // ---- writes ---------------------------------------------------------------------------------

  commit(mutations: Mutation[], opts: CommitOptions): Promise<Event[]> {
    if (this.closed) return Promise.reject(internalError('the store is closed'));
    if (opts.dryRun) return this.dryRun(mutations, opts);
    return this.gc.submit(mutations, opts);
  }

  private async dryRun(mutations: Mutation[], opts: CommitOptions): Promise<Event[]> {
    const state = new Overlay((k) => this.lookup(k));
    const committed = (res: string, ns?: string) => this.view.objects(res, ns);
    const events = decide(mutations, opts, state, { rev: this.head + 1, ts: this.nextTs(), seed: this.opts.seed ?? 0, admit: this.opts.admit, committed });
    // A private, frozen copy, like a real commit's — but not through the codec: encoding would add
    // the shapes of hypothetical objects to the structure table and change the bytes of later events.
    return events.map((e) => deepFreeze(copy(e)));
  }

  private lookup(key: string): KObject | undefined {
    return this.view.getByKey(key);
  }

  /** Commit time: the clock, but never before the previous batch (ts is non-decreasing in rev). */
  private nextTs(): number {
    return Math.max(this.headTs, this.clock.now());
  }

  /** Durable now: update the view and index, emit in rev order, and checkpoint when due. */
  private applied(events: Event[], keys: string[]): void {
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const key = keys[i]; // decide's: one key string per event for the overlay, the view and the history index
      this.view.apply(e, key);
      this.index.add(key, e.rev, e.type === 'DELETED', e);
      this.head = e.rev;
      this.headTs = e.ts;
    }
    for (const e of events) this.live.next(e);
    if (!this.checkpointQueued && this.head - this.lastCheckpoint >= Math.max(this.every, this.view.size)) {
      this.checkpointQueued = true;
      // A failed checkpoint loses nothing (the log is the truth); the next one will be tried later.
      const settled = () => (this.checkpointQueued = false);
      // Taken now, written in the next batch of events (atomically with it): no fsync of its own and
      // no stall of the pipeline, which a checkpoint written between batches caused (~10 % of the
      // commit benchmark's time). A store that goes quiet writes it with its next commit, or at close.
      const { ops, written } = this.checkpointAtHead();
      this.writer.ride({ ops, written: () => (written(), settled()), failed: settled });
    }
  }

  checkpoint(): Promise<void> {
    return this.gc.task(() => this.writeCheckpoint());
  }

  private async writeCheckpoint(): Promise<void> {
    this.writer.dropWaiting(); // an older checkpoint, superseded by this one
    if (this.head === 0 || this.head === this.lastCheckpoint) return;
    const { ops, written } = this.checkpointAtHead();
    const structures = this.codec.takeStructuresPut();
    if (structures) ops.push(structures);
    await writeBatch(this.db, ops, this.opts.sync !== 'none');
    if (structures) this.codec.structuresWritten(structures.version);
    written();
  }

  /** The puts of a checkpoint of the view as it is now (at head), and what to record once they are durable. */
  private checkpointAtHead(): { ops: PutOp[]; written: () => void } {
    const rev = this.head;
    const ops: PutOp[] = checkpointOps(this.codec, rev, this.index.alive(rev));
    const chunks = ops.length;
    const segment = this.index.segment(rev);
    ops.push({ type: 'put', key: indexKey(rev), value: this.codec.encodeSegment(segment) });
    return {
      ops,
      written: () => {
        this.index.segmentWritten(segment.count);
        this.checkpoints.add(rev, chunks);
        this.lastCheckpoint = rev;
      },
    };
  }

  // ---- time travel ----------------------------------------------------------------------------

  async at(point: Point): Promise<ReadView> {
    const rev = typeof point === 'number' ? point : await this.revAtTime(point.time);
    if (!Number.isInteger(rev) || rev < 0) throw badRequest(`invalid revision: ${rev}`);
    if (rev > this.head) throw badRequest(`revision ${rev} is in the future (the newest is ${this.head})`);
    return this.pastView(rev);
  }

  private pastView(rev: number): PastView {
    let v = this.past.get(rev);
    if (v) {
      this.past.delete(rev); // re-insert: Map order is the LRU order
    } else {
      const list = (viewRev: number, res: string, opts?: ListOptions) => this.listAt(viewRev, res, opts ?? {});
      const current = (key: string) => this.view.getByKey(key);
      v = new PastView(rev, { db: this.db, codec: this.codec, index: this.index, list, lastList: this.lastPastList, current });
    }
    this.past.set(rev, v);
    if (this.past.size > PAST_CACHE) this.past.delete(this.past.keys().next().value!);
    return v;
  }

  async revAtTime(timeMs: number): Promise<number> {
    return Math.min(await revAtTime(this.db, timeMs), this.head);
  }

  async history(res: string, ns: string, name: string, range: { fromRev?: number; toRev?: number } = {}): Promise<Event[]> {
    const from = range.fromRev ?? 0;
    const to = range.toRev ?? this.head;
    const revs = this.index.all(keyString({ res, ns, name })).filter((r) => r >= from && r <= to);
    return revs.map((r) => eventSync(this.db, this.codec, r));
  }

  async diff(res: string, ns: string, name: string, fromRev: number, toRev: number): Promise<JsonPatchOp[]> {
    const a = (await this.at(fromRev)).get(res, ns, name);
    const b = (await this.at(toRev)).get(res, ns, name);
    return jsonpatch.compare(a ?? {}, b ?? {}) as JsonPatchOp[];
  }

  async *read(fromRev: number, toRev?: number): AsyncIterable<Event> {
    const to = Math.min(toRev ?? this.head, this.head);
    if (to <= fromRev) return;
    const it = this.db.iterator({ gt: eventKey(Math.max(0, fromRev)), lte: eventKey(to) });
    try {
      for (;;) {
        const entries = await it.nextv(256);
        if (entries.length === 0) break;
        for (const [, v] of entries) yield this.codec.decodeEvent(v);
      }
    } finally {
      await it.close();
    }
  }

  async event(rev: number): Promise<Event | undefined> {
    if (!Number.isInteger(rev) || rev < 1 || rev > this.head) return undefined;
    return eventSync(this.db, this.codec, rev);
  }

  watch(fromRev: number): Observable<Event> {
    return watchFrom({ head: () => this.head, live: this.live, read: (f, t) => this.read(f, t) }, fromRev);
  }

  /** Sizes of the group-commit batches written (benchmarks, tests): all of the first 8,192, then the newest 4,096 or more. */
  get batchSizes(): readonly number[] {
    return this.writer.sizes;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.gc.idle();
    await this.writeCheckpoint();
    this.live.complete();
    this.past.clear();
    await this.db.close();
  }
}

async function lastRev(db: Db): Promise<number> {
  const keys = await db.keys({ ...group(EVENT), reverse: true, limit: 1 }).all();
  return keys.length > 0 ? revOfEventKey(keys[0]) : 0;
}
