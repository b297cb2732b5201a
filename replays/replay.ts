// Replaying a trace into a fresh data directory.
//
// recorded — every event re-applied exactly as it was (store/import.ts: same rev, ts, object, actor,
//            cause), controllers off: the result answers at(r) exactly as the original did for every
//            r in the trace. `--until` stops early.
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
}

/** Import the trace into the empty database `db` (closed when done); resolves with the last rev written. */
export async function replayRecorded(trace: Trace, db: Db, opts: RecordedOptions = {}): Promise<number> {
  const { header } = trace;
  const stop = opts.until === undefined ? undefined : untilTest(opts.until, header);
  const progress = opts.progress ?? QUIET;
  const importer = await LogImporter.start(db, header.from, trace.base, { checkpointEvery: opts.checkpointEvery });
  progress.start(header.events);
  outer: for await (const chunk of trace.chunks) {
    const cut = stop ? chunk.findIndex((e) => !stop(e.rev, e.ts)) : -1;
    await importer.append(cut < 0 ? chunk : chunk.slice(0, cut));
    progress.tick(cut < 0 ? chunk.length : cut);
    if (cut >= 0) break outer;
  }
  progress.stop();
  const rev = importer.rev;
  await importer.finish();
  return rev;
}

/** Whether an event (rev, ts) is at or before the --until point. */
function untilTest(text: string, h: TraceHeader): (rev: number, ts: number) => boolean {
  const p = parsePoint(text, text.startsWith('+') ? h.fromTime : h.toTime);
  return 'rev' in p ? (rev) => rev <= p.rev : (_rev, ts) => ts <= p.time;
}
