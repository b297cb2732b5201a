// Where a simulated container is in its life at a given moment — a pure function of when it first
// started, its behaviour (behaviour.ts) and the pod's restartPolicy, so nothing about it needs to be
// remembered between reconciles and a replay lands on the same states at the same instants.
//
// Runs follow each other with the kubelet's crash-loop back-off: the first restart is immediate,
// then 10 s, doubling to 5 m (kubelet's backOffPeriod and MaxContainerBackOff). Example with
// crash-after 30s, started at 0: run 0 0–30 s; run 1 30–60 s (restartCount 1); back-off 60–70 s;
// run 2 70–100 s (restartCount 2); back-off 100–120 s; run 3 from 120 s …

import type { Behaviour } from './behaviour.ts';

export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;

export interface Run {
  start: number;
  end: number;
}

export interface Moment {
  state: 'running' | 'backoff' | 'terminated';
  /** restartCount: the index of the current (or last) run. */
  restarts: number;
  /** The current run (running), or the one that just ended (backoff, terminated). */
  run: Run;
  /** The run before the current one, for lastState. */
  previous?: Run;
  ready: boolean;
  /** When `ready` took its present value. */
  readySince: number;
  /** The next instant something changes (Infinity: never). */
  next: number;
}

/** The delay before restarting after run `i` ended. */
export function backoff(i: number): number {
  return i === 0 ? 0 : Math.min(BACKOFF_INITIAL_MS * 2 ** (i - 1), BACKOFF_MAX_MS);
}

export function restarts(policy: string | undefined, exitCode: number): boolean {
  if (policy === 'Never') return false;
  if (policy === 'OnFailure') return exitCode !== 0;
  return true;
}

/** The container's state at `now`, having first started at `firstStart` (≤ now). */
export function momentAt(b: Behaviour, policy: string | undefined, firstStart: number, now: number): Moment {
  let previous: Run | undefined;
  let start = firstStart;
  for (let i = 0; ; i++) {
    const run = { start, end: start + b.runMs };
    if (now < run.end) return running(b, i, run, previous, now);
    if (!restarts(policy, b.exitCode)) return { state: 'terminated', restarts: i, run, previous, ready: false, readySince: run.end, next: Infinity };
    const restartAt = run.end + backoff(i);
    if (now < restartAt) return { state: 'backoff', restarts: i, run, previous, ready: false, readySince: run.end, next: restartAt };
    previous = run;
    start = restartAt;
  }
}

function running(b: Behaviour, i: number, run: Run, previous: Run | undefined, now: number): Moment {
  const from = run.start + b.readiness.from;
  const until = run.start + b.readiness.until;
  const ready = now >= from && now < until;
  const readySince = ready ? from : now >= until ? until : run.start;
  const next = Math.min(run.end, ...[from, until].filter((t) => t > now));
  return { state: 'running', restarts: i, run, previous, ready, readySince, next };
}
