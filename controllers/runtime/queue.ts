// The work queue of one controller, after client-go's workqueue: a key is queued at most once, one
// reconcile per key is in flight, and a key triggered while it runs is marked dirty and queued again
// when its run ends — so any number of triggers during a run collapse into exactly one more run.
//
// Worked example: pod events for rs "default/web" arrive at revs 10, 11, 12 while "default/web" is
// reconciling. The first marks it dirty; the others only raise its cause to 12. When the run ends,
// the key is queued once more, with cause 12.

import type { Key } from './types.ts';

interface KeyState {
  queued: boolean;
  running: boolean;
  /** Triggered while running: queue again when the run ends. */
  dirty: boolean;
  /** Rev of the latest event that triggered the key (kept after runs for timed re-runs). */
  cause?: number;
  /** Consecutive failures, for the exponential backoff. */
  failures: number;
}

export class WorkQueue {
  private readonly states = new Map<Key, KeyState>();
  private ready: Key[] = [];
  private head = 0;
  private active = 0;

  /** Keys queued or running: the controller is idle when this is zero. */
  get busy(): number {
    return this.ready.length - this.head + this.active;
  }

  get depth(): number {
    return this.ready.length - this.head;
  }

  add(key: Key, cause?: number): void {
    const s = this.state(key);
    if (cause !== undefined && (s.cause === undefined || cause > s.cause)) s.cause = cause;
    if (s.running) s.dirty = true;
    else if (!s.queued) {
      s.queued = true;
      this.ready.push(key);
    }
  }

  /** The next ready key, now marked running; undefined when none is ready. */
  take(): { key: Key; cause?: number } | undefined {
    if (this.head >= this.ready.length) return undefined;
    const key = this.ready[this.head++];
    if (this.head > 1024 && this.head * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.head);
      this.head = 0;
    }
    const s = this.state(key);
    s.queued = false;
    s.running = true;
    this.active++;
    return { key, cause: s.cause };
  }

  /** The run of `key` ended; queue it again if it was triggered meanwhile. */
  done(key: Key): void {
    const s = this.state(key);
    s.running = false;
    this.active--;
    if (s.dirty) {
      s.dirty = false;
      this.add(key);
    }
  }

  /** Count a failure and return the backoff before the next try: 5 ms doubling, capped at 1000 s. */
  fail(key: Key): number {
    const s = this.state(key);
    s.failures++;
    return Math.min(5 * 2 ** (s.failures - 1), 1_000_000);
  }

  /** The key succeeded: its backoff starts over (client-go's Forget). */
  forget(key: Key): void {
    this.state(key).failures = 0;
  }

  private state(key: Key): KeyState {
    let s = this.states.get(key);
    if (!s) this.states.set(key, (s = { queued: false, running: false, dirty: false, failures: 0 }));
    return s;
  }
}
