// The simulation loop of a virtual-clock run (DESIGN.md, "Time and determinism"): let every pipeline
// go idle, then jump the clock to the next due timer (a kubelet latency, a backoff, a deadline) and
// go again — hours of simulated behaviour in seconds, identically every time.
//
// Two bounds keep a run from hanging when controllers never settle: virtual time (a controller that
// requeues itself forever moves the clock to the horizon) and work (controllers that keep writing at
// one instant — two of them undoing each other's writes, say — never go idle and never move the
// clock). Past `maxReconciles` reconciles the run fails with NotSettledError naming the controllers
// that did the work.

import type { Observable } from 'rxjs';
import type { VirtualClock } from '../../core/clock.ts';

export interface Settleable {
  whenIdle(): Promise<void>;
  /** Idleness as it changes (the manager's idle$); with `reconciles`, lets the run count work while busy. */
  readonly idle$?: Observable<boolean>;
  /** Reconciles so far, per controller. */
  reconciles?(): Record<string, number>;
}

export interface SettleOptions {
  /** Do not move the clock more than this far (ms of virtual time); default one hour. */
  maxVirtualMs?: number;
  /** Stop as soon as this holds while idle (e.g. "every pod is Ready"). */
  until?: () => boolean;
  /** Fail after this many reconciles (all controllers together) in this run; default 1,000,000. */
  maxReconciles?: number;
  /** Fail after this many timer jumps in this run (a timer that keeps firing at one instant); default 1,000,000. */
  maxSteps?: number;
}

export interface SettleResult {
  /** True if `until` held (or, without `until`, no timer was left within the horizon). */
  settled: boolean;
  /** Virtual time that passed. */
  virtualMs: number;
  /** Timers jumped to. */
  steps: number;
}

/** The run did more work than its bound without settling; `busiest` says which controllers did it. */
export class NotSettledError extends Error {
  constructor(
    readonly limit: string,
    readonly virtualMs: number,
    readonly busiest: [controller: string, reconciles: number][],
  ) {
    const who = busiest.length ? busiest.map(([name, n]) => `${name} ${n}`).join(', ') : 'none counted';
    super(`controllers did not settle: ${limit} after ${virtualMs} ms of virtual time; reconciles in this run: ${who}`);
    this.name = 'NotSettledError';
  }
}

const DEFAULT_MAX_RECONCILES = 1_000_000;
const DEFAULT_MAX_STEPS = 1_000_000;
/** Busy signals between two counts of the reconciles (a count reads every controller's metrics). */
const CHECK_EVERY = 256;

export async function runUntilSettled(manager: Settleable, clock: VirtualClock, opts: SettleOptions = {}): Promise<SettleResult> {
  const start = clock.now();
  const horizon = start + (opts.maxVirtualMs ?? 3_600_000);
  const work = new WorkBudget(manager, opts.maxReconciles ?? DEFAULT_MAX_RECONCILES, () => clock.now() - start);
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  let steps = 0;
  for (;;) {
    await work.whenIdle();
    if (opts.until?.()) return { settled: true, virtualMs: clock.now() - start, steps };
    const due = clock.nextDue();
    if (due === undefined || due > horizon) return { settled: !opts.until && due === undefined, virtualMs: clock.now() - start, steps };
    if (steps >= maxSteps) throw new NotSettledError(`${maxSteps} timer jumps`, clock.now() - start, work.busiest());
    clock.advanceToNextTimer();
    steps++;
  }
}

/** Counts the reconciles of one run, from the manager's counters, each time its idleness changes. */
class WorkBudget {
  private readonly base: Record<string, number>;
  private changes = 0;

  constructor(
    private readonly manager: Settleable,
    private readonly max: number,
    private readonly elapsed: () => number,
  ) {
    this.base = manager.reconciles?.() ?? {};
  }

  /** The manager's whenIdle, failing once the run has done more than `max` reconciles (counted every CHECK_EVERY busy signals). */
  whenIdle(): Promise<void> {
    const { idle$ } = this.manager;
    if (!idle$ || !this.manager.reconciles) return this.manager.whenIdle();
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (err?: Error) => {
        done = true;
        queueMicrotask(() => subscription.unsubscribe());
        if (err) reject(err);
        else resolve();
      };
      const subscription = idle$.subscribe((idle) => {
        if (done) return;
        if (idle) finish();
        else if (++this.changes % CHECK_EVERY === 0 && this.total() > this.max) finish(new NotSettledError(`more than ${this.max} reconciles`, this.elapsed(), this.busiest()));
      });
    });
  }

  /** Reconciles of this run per controller, most first (the ten busiest). */
  busiest(): [string, number][] {
    const now = this.manager.reconciles?.() ?? {};
    return Object.entries(now)
      .map(([name, n]) => [name, n - (this.base[name] ?? 0)] as [string, number])
      .filter(([, n]) => n > 0)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, 10);
  }

  private total(): number {
    let sum = 0;
    for (const [name, n] of Object.entries(this.manager.reconciles!())) sum += n - (this.base[name] ?? 0);
    return sum;
  }
}
