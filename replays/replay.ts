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
import { LogImporter, sliceBatch } from '../store/import.ts';
import { QUIET, type Progress } from './progress.ts';
import type { Trace, TraceHeader } from './trace.ts';

export interface RecordedOptions {
  /** Stop after this point: a rev, an RFC 3339 time, "+90s" from the trace's start or "-90s" from its end. */
  until?: string;
  progress?: Progress;
  /** Recorded gaps divided by this (default 1; Infinity, "max", keeps the recorded times). */
  speed?: number;
}

/**
 * Import the trace into the empty database `db` (closed when done); resolves with the last rev written.
 * With recorded times the trace's records are copied into the log as they are (store/import.ts); a
 * speed that rescales times changes the events, so those are decoded and re-encoded.
 */
export async function replayRecorded(trace: Trace, db: Db, opts: RecordedOptions = {}): Promise<number> {
  const { header } = trace;
  const stop = opts.until === undefined ? undefined : untilTest(opts.until, header);
  const kept = (revs: number[], ts: number[]) => (stop ? cutAt(revs.findIndex((rev, i) => !stop(rev, ts[i])), revs.length) : revs.length);
  const progress = opts.progress ?? QUIET;
  const rescaled = rescales(opts.speed);
  const importer = await LogImporter.start(db, header.from, rescaled ? trace.base : trace.baseBatch);
  progress.start(header.events);
  if (rescaled) {
    const time = timeScale(header, opts.speed);
    for await (const events of trace.chunks) {
      const n = kept(events.map((e) => e.rev), events.map((e) => e.ts));
      await importer.append(events.slice(0, n).map((e) => ({ ...e, ts: time(e.ts) })));
      progress.tick(n);
      if (n < events.length) break;
    }
  } else {
    for await (const batch of trace.batches) {
      const n = kept(batch.revs, batch.ts);
      await importer.appendBatch(n < batch.revs.length ? sliceBatch(batch, n) : batch);
      progress.tick(n);
      if (n < batch.revs.length) break;
    }
  }
  progress.stop();
  const rev = importer.rev;
  await importer.finish();
  return rev;
}

/** A findIndex result as a count: -1 (none failed) keeps all `n`. */
const cutAt = (index: number, n: number) => (index < 0 ? n : index);

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
  if (!rescales(speed)) return (ts) => ts;
  return (ts) => (ts <= h.fromTime ? ts : h.fromTime + Math.floor((ts - h.fromTime) / speed));
}

/** Whether a speed changes recorded times (1 and Infinity keep them). */
export function rescales(speed = 1): boolean {
  return speed !== 1 && speed !== Infinity;
}
