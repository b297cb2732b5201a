// One controller's wiring: the only place events become reconciles and reconciles become commits.
//
//   store.events$ ─filter(res watched)─▶ keys(event) ─▶ WorkQueue (dedupe, one run per key) ─▶
//   reconcile(key, {view, now}) ─▶ commit(writes, {actor, cause}) ─▶ done / retry / requeue
//
// Ready keys are drained on a microtask, so all events of one store batch are queued (and coalesced)
// before any reconcile runs. Reconciles are synchronous and pure; their commits may be in flight
// concurrently, which is what lets the store group-commit hundreds of them into one batch, while the
// OverlayView keeps each reconcile's view strongly consistent with this controller's own writes.
// Retry rules are those of types.ts: throw or Conflict → backoff; requeueAfter → timed re-run; a
// refused commit first gets the controller's onCommitError report committed.

import { filter, type Subscription } from 'rxjs';
import { performance } from 'node:perf_hooks';
import type { Cancel, Clock } from '../../core/clock.ts';
import { isStatusError } from '../../core/errors.ts';
import type { CommitOptions, Event, Mutation } from '../../core/events.ts';
import type { Store } from '../../store/store.ts';
import { ControllerMetrics, type ReconcileOutcome } from './metrics.ts';
import { OverlayView } from './overlay.ts';
import { WorkQueue } from './queue.ts';
import { objectKey, type Controller, type Key } from './types.ts';

/** Shared by all runners of a manager: counts work in progress so idleness can be observed. */
export interface ActivityTracker {
  changed(): void;
}

export interface RunnerOptions {
  /** Called with each failed reconcile or commit (after it is scheduled for retry). */
  onError?: (controller: string, key: Key, err: unknown) => void;
}

export class ControllerRunner {
  readonly metrics: ControllerMetrics;
  private readonly queue = new WorkQueue();
  private readonly view: OverlayView;
  private readonly timers = new Map<Key, Cancel>();
  private readonly inFlight = new Set<Promise<void>>();
  private subscription?: Subscription;
  private resyncTimer?: Cancel;
  private drainScheduled = false;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    readonly controller: Controller,
    private readonly activity: ActivityTracker,
    private readonly opts: RunnerOptions = {},
  ) {
    this.view = new OverlayView(store);
    this.metrics = new ControllerMetrics(controller.name, () => this.queue.depth);
  }

  /** Keys queued or running, plus a pending drain: zero means this controller is idle. */
  get busy(): number {
    return this.queue.busy + (this.drainScheduled ? 1 : 0);
  }

  start(): void {
    const watched = new Map(this.controller.watches.map((w) => [w.res, w]));
    // Keys are queued in the subscriber rather than through mergeMap, which opened an inner
    // subscription per event and controller (two dozen controllers see every event).
    this.subscription = this.store.events$.pipe(filter((e) => watched.has(e.res))).subscribe((e: Event) => {
      this.controller.observe?.(e);
      for (const key of watched.get(e.res)!.keys(e, this.view)) this.add(key, e.rev);
    });
    this.addInitialKeys();
    this.scheduleResync();
  }

  /** Stop taking work; resolves when the commits in flight have settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.subscription?.unsubscribe();
    this.resyncTimer?.();
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  add(key: Key, cause?: number): void {
    if (this.stopped) return;
    this.queue.add(key, cause);
    this.scheduleDrain();
  }

  /**
   * Start-up and resync keys. With the default (every object of the primary resource) a key's cause
   * is the revision of the object's current state, so even these writes link into the causal graph.
   */
  private addInitialKeys(): void {
    if (this.controller.initialKeys) {
      for (const key of this.controller.initialKeys(this.view)) this.add(key);
      return;
    }
    const primary = this.controller.watches[0]?.res;
    if (!primary) return;
    for (const o of this.view.list(primary).items) {
      const rv = Number(o.metadata.resourceVersion);
      this.add(objectKey(o.metadata.namespace ?? '', o.metadata.name ?? ''), Number.isInteger(rv) && rv > 0 ? rv : undefined);
    }
  }

  private scheduleResync(): void {
    const every = this.controller.resyncEvery;
    if (!every || this.stopped) return;
    this.resyncTimer = this.clock.after(every, () => {
      this.addInitialKeys();
      this.scheduleResync();
    });
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    this.activity.changed();
    queueMicrotask(() => this.drain());
  }

  private drain(): void {
    this.drainScheduled = false;
    for (let item = this.queue.take(); item && !this.stopped; item = this.queue.take()) this.run(item.key, item.cause);
    this.activity.changed();
  }

  /** Reconcile one key now and commit its writes; the key stays running until the commit settles. */
  private run(key: Key, cause: number | undefined): void {
    this.timers.get(key)?.();
    this.timers.delete(key);
    const started = performance.now();
    let writes: Mutation[];
    let requeueAfter: number | undefined;
    try {
      ({ writes, requeueAfter } = this.controller.reconcile(key, { view: this.view, now: this.clock.now() }));
    } catch (err) {
      this.finish(key, started, err, undefined);
      return;
    }
    if (writes.length === 0) {
      this.finish(key, started, undefined, requeueAfter);
      return;
    }
    const release = this.view.hold(writes);
    const actor = { kind: this.controller.actorKind ?? 'controller', name: this.controller.name } as const;
    const opts = cause === undefined ? { actor } : { actor, cause };
    // Lift the overlay before the key can run again: the store's view has the writes by now, and a
    // predicted object (with its old resourceVersion) must not outlive its commit.
    const settle = (err: unknown, after: number | undefined) => {
      this.inFlight.delete(commit);
      this.finish(key, started, err, after);
    };
    const commit: Promise<void> = this.store.commit(writes, opts).then(
      () => {
        release();
        settle(undefined, requeueAfter);
      },
      async (err) => {
        release();
        await this.report(key, writes, err, opts);
        settle(err ?? new Error('commit failed'), undefined);
      },
    );
    this.inFlight.add(commit);
  }

  /** A refused commit: the controller may record why (types.ts onCommitError) before the key is retried. */
  private async report(key: Key, refused: Mutation[], err: unknown, opts: CommitOptions): Promise<void> {
    const onCommitError = this.controller.onCommitError;
    if (!onCommitError || !isStatusError(err) || err.reason === 'Conflict' || this.stopped) return;
    let writes: Mutation[];
    try {
      writes = onCommitError(key, { error: err, writes: refused }, { view: this.view, now: this.clock.now() });
    } catch (reportErr) {
      // A report that throws is dropped like a refused one; the key still settles and retries.
      this.opts.onError?.(this.controller.name, key, reportErr);
      return;
    }
    if (writes.length > 0) await this.store.commit(writes, opts).catch(() => undefined);
  }

  private finish(key: Key, started: number, err: unknown, requeueAfter: number | undefined): void {
    let outcome: ReconcileOutcome = 'success';
    if (err !== undefined) {
      outcome = isStatusError(err) && err.reason === 'Conflict' ? 'conflict' : 'error';
      this.after(key, this.queue.fail(key));
      if (outcome === 'error') this.opts.onError?.(this.controller.name, key, err);
    } else {
      this.queue.forget(key);
      if (requeueAfter !== undefined) {
        outcome = 'requeue_after';
        this.after(key, requeueAfter);
      }
    }
    this.metrics.observe(outcome, (performance.now() - started) / 1000);
    this.queue.done(key);
    if (this.queue.depth > 0) this.scheduleDrain();
    this.activity.changed();
  }

  /** Queue `key` again after `ms` on the clock (one pending timer per key; a run cancels it). */
  private after(key: Key, ms: number): void {
    if (this.stopped) return;
    this.timers.get(key)?.();
    this.timers.set(
      key,
      this.clock.after(ms, () => {
        this.timers.delete(key);
        this.add(key);
      }),
    );
  }
}
