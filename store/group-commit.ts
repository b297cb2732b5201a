// Group commit: the one writer. Callers queue their mutations; the loop takes what is queued, turns
// it into one LevelDB batch, and goes round again. Callers who arrive while a batch is being written
// (typically while it is being fsynced) share a later batch — so with N concurrent writers one fsync
// acknowledges up to N commits. "Group commit is the whole game": a synced batch of 100 costs about
// what a synced single put costs.
//
// It is also a two-stage pipeline. Preparing a batch (decide, stamp, encode) is CPU work on the main
// thread; writing it is I/O on LevelDB's thread. So while batch N is being written, batch N+1 is
// prepared (against N's not-yet-durable effects), and N+1 is issued the moment N is durable:
//
//   main thread:  prepare 1 | prepare 2     | issue 2, finish 1 | prepare 3 | issue 3, finish 2 …
//   LevelDB:                | write+fsync 1 | write+fsync 2                 | write+fsync 3 …
//
// Throughput is then set by the slower stage rather than the sum of both. Batch N+1 is issued as
// soon as N is durable, before N is applied and its callers settled, so the disk does not wait for
// that either. A queue of many callers is cut into batches of about `maxEvents` events (a caller's
// mutations always stay in one batch), so that a burst of 1,000 commits becomes a pipeline of
// batches rather than one long stall. How big: a batch must take long enough to prepare to hide
// the next fsync, B·(c − w) ≥ f. Measured here: c ≈ 30 µs CPU per event, w ≈ 6 µs LevelDB write
// per event, f ≈ 1 ms per fsync → B ≥ 42; 64 matched 256 in throughput (1,000 concurrent commits,
// best of 3: 34 vs 47 µs per event) and acknowledges the first callers four times sooner. (Since
// then c fell to ~11 µs of main-thread CPU and the formula no longer decides: 32 measured slower
// than 64 — 35–39k vs 46–54k events/s, alternating runs — and 128 no faster.)
//
// The loop starts on a microtask, not synchronously, so callers issued in the same tick (e.g. a
// Promise.all of commits) already share the first batch. Other writes that must be ordered with
// event batches (a checkpoint asked for explicitly or at close: it shares msgpackr's structure
// table, see codec.ts) run as tasks while no batch is in flight; the periodic checkpoints ride on
// an event batch instead (writer.ts).

import type { CommitOptions, Event, Mutation } from '../core/events.ts';

export interface Job {
  mutations: Mutation[];
  opts: CommitOptions;
  resolve: (events: Event[]) => void;
  reject: (err: unknown) => void;
}

/** The two stages, implemented by the store. */
export interface Stages<P> {
  /** Decide and encode (synchronous); settle rejected jobs; undefined if nothing is left to write. */
  prepare(jobs: Job[]): P | undefined;
  /** Start writing; resolves true once durable, false if it failed (its jobs are failed then). Must not reject. */
  issue(batch: P): Promise<boolean>;
  /** A durable batch: apply, emit and settle every job of it. */
  finish(batch: P): void;
}

/** A batch being written. */
interface InFlight<P> {
  batch: P;
  durable: Promise<boolean>;
}

export class GroupCommit<P> {
  private jobs: Job[] = [];
  private tasks: Array<() => Promise<void>> = [];
  private running: Promise<void> | undefined;

  constructor(
    private readonly stages: Stages<P>,
    private readonly maxEvents = 64,
  ) {}

  submit(mutations: Mutation[], opts: CommitOptions): Promise<Event[]> {
    return new Promise((resolve, reject) => {
      this.jobs.push({ mutations, opts, resolve, reject });
      this.kick();
    });
  }

  /** Run `fn` while no batch is in flight, before the batches queued after it. */
  task(fn: () => Promise<void>): Promise<void> {
    return new Promise((resolve, reject) => {
      this.tasks.push(() => fn().then(resolve, reject));
      this.kick();
    });
  }

  /** Resolves when nothing is queued or being written. */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private kick(): void {
    if (!this.running) this.running = Promise.resolve().then(() => this.loop());
  }

  private async loop(): Promise<void> {
    let inflight: InFlight<P> | undefined;
    try {
      while (this.jobs.length > 0 || this.tasks.length > 0 || inflight) {
        if (this.tasks.length > 0) {
          await this.settle(inflight);
          inflight = undefined;
          const tasks = this.tasks;
          this.tasks = [];
          for (const t of tasks) await t();
        } else if (this.jobs.length > 0) {
          const jobs = this.take();
          let batch: P | undefined;
          try {
            batch = this.stages.prepare(jobs); // overlaps the write in flight
          } catch (err) {
            for (const j of jobs) j.reject(err); // a bug, not a rejection: fail these callers only
          }
          const done = inflight;
          const durable = done ? await done.durable : false;
          // The next write starts before the durable batch is applied: the disk is kept busy
          // while the main thread settles its callers.
          inflight = batch === undefined ? undefined : { batch, durable: this.stages.issue(batch) };
          if (durable) this.stages.finish(done!.batch);
        } else {
          await this.settle(inflight);
          inflight = undefined;
        }
      }
    } finally {
      this.running = undefined;
    }
  }

  /** Wait for the batch in flight, if any, and finish it if it became durable. */
  private async settle(inflight: InFlight<P> | undefined): Promise<void> {
    if (inflight && (await inflight.durable)) this.stages.finish(inflight.batch);
  }

  /** The next batch's jobs: whole jobs, about `maxEvents` mutations (at least one job). */
  private take(): Job[] {
    let n = 0;
    let i = 0;
    while (i < this.jobs.length && (i === 0 || n + this.jobs[i].mutations.length <= this.maxEvents)) {
      n += this.jobs[i].mutations.length;
      i++;
    }
    return this.jobs.splice(0, i);
  }
}
