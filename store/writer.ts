// The two stages of the write path (see group-commit.ts for the pipeline that drives them):
//
// prepare — decide each job against the live view plus the effects of the batch still in flight
//           (an Overlay), stamp, and encode: CPU work, done while the previous batch is fsyncing.
// write   — one LevelDB batch of the events, one `t` entry and, if new
//           record shapes appeared, msgpackr's structure table (taken at this moment, so the table
//           written is never older than a value written before it). While LevelDB writes, the values
//           are decoded back: the view holds exactly what the log holds, deep-frozen by the codec and
//           never an object a caller still references. Once durable: apply, emit, resolve.
//
// If a batch fails, the batch prepared on top of it is rejected too (its decisions assumed the
// failed one), and preparation restarts from the view.

import type { Clock } from '../core/clock.ts';
import type { Event } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import type { Codec } from './codec.ts';
import { Batch, type Db } from './db.ts';
import { decide, Overlay } from './decide.ts';
import type { Job, Stages } from './group-commit.ts';
import { eventKey, timeKey } from './keys.ts';
import type { StoreOptions } from './store.ts';

const EMPTY = Buffer.alloc(0);

export interface WriterHost {
  db: Db;
  codec: Codec;
  clock: Clock;
  opts: StoreOptions;
  /** The live view, by "res|ns|name". */
  lookup(key: string): KObject | undefined;
  /** The live view's objects of one resource. */
  objects(res: string): KObject[];
  /** The newest durable revision and its time. */
  head(): { rev: number; ts: number };
  /** Durable: apply to the view and indexes, emit on events$ (in rev order). */
  applied(events: Event[]): void;
}

export interface Prepared {
  accepted: Array<[Job, Event[]]>;
  values: Buffer[];
  batch: Batch;
  overlay: Overlay;
  lastRev: number;
  ts: number;
  epoch: number;
}

export class Writer implements Stages<Prepared> {
  /** The newest prepared batch not yet applied (the next one is decided on top of it). */
  private tip: Prepared | undefined;
  private epoch = 0;
  private failure: unknown;
  /** Sizes (events) of the batches written, for benchmarks and tests. */
  readonly sizes: number[] = [];

  constructor(private readonly host: WriterHost) {}

  prepare(jobs: Job[]): Prepared | undefined {
    const { host, tip } = this;
    const head = host.head();
    const ts = Math.max(tip?.ts ?? head.ts, host.clock.now());
    const overlay = new Overlay(tip ? (k) => tip.overlay.get(k) : (k) => host.lookup(k), tip?.overlay);
    const ctx = { rev: (tip?.lastRev ?? head.rev) + 1, ts, seed: host.opts.seed ?? 0, admit: host.opts.admit, committed: (res: string) => host.objects(res) };
    const accepted: Array<[Job, Event[]]> = [];
    for (const job of jobs) {
      const state = new Overlay((k) => overlay.get(k), overlay);
      try {
        const events = decide(job.mutations, job.opts, state, ctx);
        overlay.absorb(state);
        ctx.rev += events.length;
        accepted.push([job, events]);
      } catch (err) {
        job.reject(err);
      }
    }
    if (ctx.rev === (tip?.lastRev ?? head.rev) + 1) {
      for (const [job] of accepted) job.resolve([]);
      return undefined;
    }
    const values: Buffer[] = [];
    const batch = new Batch(host.db);
    for (const [, events] of accepted) {
      for (const e of events) {
        const value = host.codec.encodeEvent(e);
        values.push(value);
        batch.put(eventKey(e.rev), value);
      }
    }
    batch.put(timeKey(ts, ctx.rev - 1), EMPTY);
    this.tip = { accepted, values, batch, overlay, lastRev: ctx.rev - 1, ts, epoch: this.epoch };
    return this.tip;
  }

  async write(p: Prepared): Promise<void> {
    if (p.epoch !== this.epoch) return this.fail(p, this.failure);
    const { codec } = this.host;
    const structures = codec.takeStructuresPut();
    if (structures) p.batch.put(structures.key, structures.value);
    const written = p.batch.write(this.host.opts.sync !== 'none');
    const decoded = p.values.map((v) => codec.decodeEvent(v)); // overlaps the write
    try {
      await written;
    } catch (err) {
      this.epoch++;
      this.failure = err;
      return this.fail(p, err);
    }
    if (structures) codec.structuresWritten(structures.version);
    if (this.tip === p) this.tip = undefined;
    else if (this.tip) {
      // p is in the view now
      this.tip.overlay.parent = (k) => this.host.lookup(k);
      this.tip.overlay.below = undefined;
    }
    this.sizes.push(decoded.length);
    this.host.applied(decoded);
    let i = 0;
    for (const [job, evs] of p.accepted) job.resolve(decoded.slice(i, (i += evs.length)));
  }

  private fail(p: Prepared, err: unknown): void {
    if (p.epoch !== this.epoch) p.batch.discard();
    if (this.tip === p || this.tip?.epoch !== this.epoch) this.tip = undefined;
    for (const [job] of p.accepted) job.reject(err);
  }
}
