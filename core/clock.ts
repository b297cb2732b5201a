// The clock: the only place in Rewind that reads wall time or sets timers (see DESIGN.md, "Time and
// determinism"). A live cluster runs on RealClock; replays and benchmarks run on VirtualClock, whose
// time only moves when told to, so hours of simulated behaviour run in seconds and twice the same.

export type Cancel = () => void;

export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Run `fn` once, `ms` from now. Returns a function that cancels it. */
  after(ms: number, fn: () => void): Cancel;
  readonly virtual: boolean;
}

export class RealClock implements Clock {
  readonly virtual = false;
  now(): number {
    return Date.now();
  }
  after(ms: number, fn: () => void): Cancel {
    const t = setTimeout(fn, Math.max(0, ms));
    // A pending simulation timer must not keep the process alive after the server is closed.
    t.unref?.();
    return () => clearTimeout(t);
  }
}

interface VirtualTimer {
  at: number;
  seq: number;
  fn: () => void;
}

/**
 * Time that moves only by `advanceTo` / `advanceToNextTimer`. Timers due at the same instant fire in
 * the order they were set (seq), which keeps runs deterministic.
 */
export class VirtualClock implements Clock {
  readonly virtual = true;
  private t: number;
  private seq = 0;
  private timers: VirtualTimer[] = [];

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  after(ms: number, fn: () => void): Cancel {
    const timer: VirtualTimer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn };
    this.timers.push(timer);
    this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  /** When the next timer is due, or undefined if none is pending. */
  nextDue(): number | undefined {
    return this.timers[0]?.at;
  }

  pending(): number {
    return this.timers.length;
  }

  /** Move time forward to `ms`, firing every timer due on the way, in order. */
  advanceTo(ms: number): void {
    while (this.timers.length > 0 && this.timers[0].at <= ms) {
      const timer = this.timers.shift()!;
      this.t = Math.max(this.t, timer.at);
      timer.fn();
    }
    this.t = Math.max(this.t, ms);
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.t + ms);
  }

  /** Jump to the next due timer and fire all timers due at that instant. False if none is pending. */
  advanceToNextTimer(): boolean {
    const due = this.nextDue();
    if (due === undefined) return false;
    this.advanceTo(due);
    return true;
  }
}

/** RFC 3339 with second precision, as Kubernetes writes timestamps ("2026-01-01T00:00:00Z"). */
export function rfc3339(ms: number): string {
  // One moment is formatted many times over (a virtual-clock instant stamps thousands of statuses
  // and Events): keep the last answer.
  if (ms !== lastRfc3339.ms) lastRfc3339 = { ms, text: new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z') };
  return lastRfc3339.text;
}

let lastRfc3339 = { ms: NaN, text: '' };

/** RFC 3339 with microseconds, as Kubernetes writes MicroTime (Lease renewTime, events.k8s.io). */
export function rfc3339Micro(ms: number): string {
  return new Date(ms).toISOString().replace(/Z$/, '000Z');
}
