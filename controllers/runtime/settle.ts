// The simulation loop of a virtual-clock run (DESIGN.md, "Time and determinism"): let every pipeline
// go idle, then jump the clock to the next due timer (a kubelet latency, a backoff, a deadline) and
// go again — hours of simulated behaviour in seconds, identically every time.

import type { VirtualClock } from '../../core/clock.ts';

export interface Settleable {
  whenIdle(): Promise<void>;
}

export interface SettleOptions {
  /** Do not move the clock more than this far (ms of virtual time); default one hour. */
  maxVirtualMs?: number;
  /** Stop as soon as this holds while idle (e.g. "every pod is Ready"). */
  until?: () => boolean;
}

export interface SettleResult {
  /** True if `until` held (or, without `until`, no timer was left within the horizon). */
  settled: boolean;
  /** Virtual time that passed. */
  virtualMs: number;
  /** Timers jumped to. */
  steps: number;
}

export async function runUntilSettled(manager: Settleable, clock: VirtualClock, opts: SettleOptions = {}): Promise<SettleResult> {
  const start = clock.now();
  const horizon = start + (opts.maxVirtualMs ?? 3_600_000);
  let steps = 0;
  for (;;) {
    await manager.whenIdle();
    if (opts.until?.()) return { settled: true, virtualMs: clock.now() - start, steps };
    const due = clock.nextDue();
    if (due === undefined || due > horizon) return { settled: !opts.until && due === undefined, virtualMs: clock.now() - start, steps };
    clock.advanceToNextTimer();
    steps++;
  }
}
