// Group commit: the one writer. Callers queue their mutations; a single loop takes everything queued,
// writes it as one LevelDB batch, and goes round again. Callers who arrive while a batch is being
// written (typically while it is being fsynced) wait and share the next batch — so with N concurrent
// writers one fsync acknowledges up to N commits. "Group commit is the whole game": a synced batch of
// 100 costs about what a synced single put costs.
//
// The loop starts on a microtask, not synchronously, so callers issued in the same tick (e.g. a
// Promise.all of commits) already share the first batch.
//
// Other writes that must be ordered with event batches (checkpoints: they share msgpackr's structure
// table, see codec.ts) run as tasks between batches, never concurrently with one.

import type { CommitOptions, Event, Mutation } from '../core/events.ts';

export interface Job {
  mutations: Mutation[];
  opts: CommitOptions;
  resolve: (events: Event[]) => void;
  reject: (err: unknown) => void;
}

export class GroupCommit {
  private jobs: Job[] = [];
  private tasks: Array<() => Promise<void>> = [];
  private running: Promise<void> | undefined;

  /** `write` handles one batch: decides, writes, applies, emits, settles every job it is given. */
  constructor(private readonly write: (jobs: Job[]) => Promise<void>) {}

  submit(mutations: Mutation[], opts: CommitOptions): Promise<Event[]> {
    return new Promise((resolve, reject) => {
      this.jobs.push({ mutations, opts, resolve, reject });
      this.kick();
    });
  }

  /** Run `fn` between batches, after everything queued before it. */
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
    try {
      while (this.jobs.length > 0 || this.tasks.length > 0) {
        if (this.jobs.length > 0) {
          const jobs = this.jobs;
          this.jobs = [];
          await this.write(jobs);
        }
        const tasks = this.tasks;
        this.tasks = [];
        for (const t of tasks) await t();
      }
    } finally {
      this.running = undefined;
    }
  }
}
