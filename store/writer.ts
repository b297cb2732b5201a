// The two stages of the write path (see group-commit.ts for the pipeline that drives them):
//
// prepare — decide each job against the live view plus the effects of the batch still in flight
//           (one Overlay per batch; a rejected job's changes are rolled back), stamp, encode, and
//           deep-freeze each event as it is encoded: CPU work, done while the previous batch is
//           fsyncing. The frozen events are what the view will hold — the caller's objects
//           themselves (commit takes ownership, store.ts), never a copy: decoding the bytes back
//           instead cost a third of the main thread's time per event and as much again in garbage.
// write   — one LevelDB batch of the events, one `t` entry, the puts of any riders (a checkpoint
//           taken while this batch was waiting) and, if new record shapes appeared, msgpackr's
//           structure table (taken at this moment, so the table written is never older than a value
//           written before it). Once durable: apply, emit, resolve.
//
// If a batch fails, the batch prepared on top of it is rejected too (its decisions assumed the
// failed one), and preparation restarts from the view.

import type { Clock } from '../core/clock.ts';
import type { Event } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import type { Codec } from './codec.ts';
import { Batch, type Db, type PutOp } from './db.ts';
import { decide, Overlay } from './decide.ts';
import type { Job, Stages } from './group-commit.ts';
import { eventKey, timeKey } from './keys.ts';
import type { StoreOptions } from './store.ts';

const EMPTY = Buffer.alloc(0);
const SIZES_KEPT = 4096;

export interface WriterHost {
  db: Db;
  codec: Codec;
  clock: Clock;
  opts: StoreOptions;
  /** The live view, by "res|ns|name". */
  lookup(key: string): KObject | undefined;
  /** The live view's objects of one resource, or of one namespace of it. */
  objects(res: string, namespace?: string): KObject[];
  /** The newest durable revision and its time. */
  head(): { rev: number; ts: number };
  /** Durable: apply to the view and indexes, emit on events$ (in rev order). `keys`: each event's "res|ns|name". */
  applied(events: Event[], keys: string[]): void;
}

/** Puts that ride on a batch of events: written atomically with it, settled with it. */
export interface Rider {
  ops: PutOp[];
  /** The batch is durable. */
  written(): void;
  /** The batch failed; nothing of the rider was written. */
  failed(): void;
}

export interface Prepared {
  /** The accepted jobs, and the number of events of each (in order: their events follow each other). */
  jobs: Job[];
  counts: number[];
  /** The accepted jobs' events, deep-frozen: what the view will hold once the batch is durable. */
  events: Event[];
  /** Each event's object key, as decide built it (the view and the index take it, not a new one). */
  keys: string[];
  batch: Batch;
  overlay: Overlay;
  lastRev: number;
  ts: number;
  epoch: number;
  riders: Rider[];
  /** Its write has started: a rider can no longer join it. */
  issued: boolean;
}

export class Writer implements Stages<Prepared> {
  /** The newest prepared batch not yet applied (the next one is decided on top of it). */
  private tip: Prepared | undefined;
  private epoch = 0;
  private failure: unknown;
  /** Riders for the next batch to be prepared. */
  private waiting: Rider[] = [];
  /**
   * Sizes (events) of the batches written, for benchmarks and tests: the newest SIZES_KEPT or more
   * (a server writes batches for days; one number each would grow without bound).
   */
  readonly sizes: number[] = [];

  constructor(private readonly host: WriterHost) {}

  prepare(jobs: Job[]): Prepared | undefined {
    const { host, tip } = this;
    const head = host.head();
    const firstRev = (tip?.lastRev ?? head.rev) + 1;
    const ts = Math.max(tip?.ts ?? head.ts, host.clock.now());
    const overlay = new Overlay(tip ? (k) => tip.overlay.get(k) : (k) => host.lookup(k), tip?.overlay);
    const ctx = { rev: firstRev, ts, seed: host.opts.seed ?? 0, admit: host.opts.admit, committed: (res: string, ns?: string) => host.objects(res, ns) };
    const accepted: Job[] = [];
    const counts: number[] = [];
    const all: Event[] = [];
    const keys: string[] = [];
    const batch = new Batch(host.db);
    for (const job of jobs) {
      const mark = overlay.mark();
      const keyMark = keys.length;
      let events;
      try {
        events = decide(job.mutations, job.opts, overlay, ctx, keys);
      } catch (err) {
        overlay.rollback(mark);
        keys.length = keyMark;
        job.reject(err);
        continue;
      }
      ctx.rev += events.length;
      accepted.push(job);
      counts.push(events.length);
      for (const e of events) {
        // Frozen as encoded: from here the object and the bytes in the log cannot drift apart.
        batch.put(eventKey(e.rev), host.codec.encodeEventFrozen(e));
        all.push(e);
      }
    }
    if (all.length === 0) {
      batch.discard();
      for (const job of accepted) job.resolve([]);
      return undefined;
    }
    batch.put(timeKey(ts, ctx.rev - 1), EMPTY);
    const riders = this.waiting;
    this.waiting = [];
    this.tip = { jobs: accepted, counts, events: all, keys, batch, overlay, lastRev: ctx.rev - 1, ts, epoch: this.epoch, riders, issued: false };
    return this.tip;
  }

  /** Write `rider` with the next batch not yet written: the one already prepared, or the next to be. */
  ride(rider: Rider): void {
    if (this.tip && !this.tip.issued && this.tip.epoch === this.epoch) this.tip.riders.push(rider);
    else this.waiting.push(rider);
  }

  /** Give up the riders still waiting for a batch (their `failed` is called). */
  dropWaiting(): void {
    const riders = this.waiting;
    this.waiting = [];
    for (const rider of riders) rider.failed();
  }

  /**
   * Start writing `p`. Resolves once it is durable (true) or has failed (false: its callers and
   * riders are failed, and so will be every batch prepared on top of it); never rejects.
   */
  async issue(p: Prepared): Promise<boolean> {
    p.issued = true; // riders from now on wait for the next batch
    if (p.epoch !== this.epoch) {
      this.fail(p, this.failure);
      return false;
    }
    const { codec } = this.host;
    for (const rider of p.riders) for (const op of rider.ops) p.batch.put(op.key, op.value);
    const structures = codec.takeStructuresPut();
    if (structures) p.batch.put(structures.key, structures.value);
    try {
      await p.batch.write(this.host.opts.sync !== 'none');
    } catch (err) {
      this.epoch++;
      this.failure = err;
      this.fail(p, err);
      return false;
    }
    if (structures) codec.structuresWritten(structures.version);
    return true;
  }

  /** `p` is durable: apply it to the view and indexes, emit, and settle its callers and riders. */
  finish(p: Prepared): void {
    if (this.tip === p) this.tip = undefined;
    else if (this.tip) {
      // p is in the view now
      this.tip.overlay.parent = (k) => this.host.lookup(k);
      this.tip.overlay.below = undefined;
    }
    for (const rider of p.riders) rider.written();
    if (this.sizes.length >= 2 * SIZES_KEPT) this.sizes.splice(0, SIZES_KEPT);
    this.sizes.push(p.events.length);
    this.host.applied(p.events, p.keys);
    let i = 0;
    for (let j = 0; j < p.jobs.length; j++) p.jobs[j].resolve(p.events.slice(i, (i += p.counts[j])));
  }

  private fail(p: Prepared, err: unknown): void {
    if (p.epoch !== this.epoch) p.batch.discard();
    if (this.tip === p || this.tip?.epoch !== this.epoch) this.tip = undefined;
    for (const rider of p.riders) rider.failed();
    for (const job of p.jobs) job.reject(err);
  }
}
