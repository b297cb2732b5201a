// Replaying a trace into a fresh data directory.
//
// recorded — every event re-applied exactly as it was (store/import.ts: same rev, ts, object, actor,
//            cause), controllers off: the result answers at(r) exactly as the original did for every
//            r in the trace. `--until` stops early. `--speed 10x` divides the recorded gaps: an
//            event's time becomes fromTime + (ts − fromTime) / 10 (max and 1x keep them as recorded —
//            time here is virtual, there is nothing to wait for).
// rederive — see replays/rederive.ts.

import { parsePoint } from '../core/point.ts';
import type { Db } from '../store/db.ts';
import { LogImporter } from '../store/import.ts';
import { QUIET, type Progress } from './progress.ts';
import type { Trace, TraceHeader } from './trace.ts';

export interface RecordedOptions {
  /** Stop after this point: a rev, an RFC 3339 time, "+90s" from the trace's start or "-90s" from its end. */
  until?: string;
  progress?: Progress;
  checkpointEvery?: number;
  /** Recorded gaps divided by this (default 1; Infinity, "max", keeps the recorded times). */
  speed?: number;
}

/** Import the trace into the empty database `db` (closed when done); resolves with the last rev written. */
export async function replayRecorded(trace: Trace, db: Db, opts: RecordedOptions = {}): Promise<number> {
  const { header } = trace;
  const stop = opts.until === undefined ? undefined : untilTest(opts.until, header);
  const progress = opts.progress ?? QUIET;
  const time = timeScale(header, opts.speed);
  const importer = await LogImporter.start(db, header.from, trace.base, { checkpointEvery: opts.checkpointEvery });
  progress.start(header.events);
  outer: for await (const chunk of trace.chunks) {
    const cut = stop ? chunk.findIndex((e) => !stop(e.rev, e.ts)) : -1;
    const events = cut < 0 ? chunk : chunk.slice(0, cut);
    await importer.append(opts.speed === undefined ? events : events.map((e) => ({ ...e, ts: time(e.ts) })));
    progress.tick(cut < 0 ? chunk.length : cut);
    if (cut >= 0) break outer;
  }
  progress.stop();
  const rev = importer.rev;
  await importer.finish();
  return rev;
}

/** Whether an event (rev, ts) is at or before the --until point. */
export function untilTest(text: string, h: TraceHeader): (rev: number, ts: number) => boolean {
  const p = parsePoint(text, text.startsWith('+') ? h.fromTime : h.toTime);
  return 'rev' in p ? (rev) => rev <= p.rev : (_rev, ts) => ts <= p.time;
}

/**
 * Virtual time at `speed`: a recorded time's distance from the trace's start divided by the speed
 * (rounded down, so order is kept). Infinity ("max") and 1 keep recorded times.
 */
export function timeScale(h: TraceHeader, speed = 1): (ts: number) => number {
  if (speed === 1 || speed === Infinity) return (ts) => ts;
  return (ts) => (ts <= h.fromTime ? ts : h.fromTime + Math.floor((ts - h.fromTime) / speed));
}
