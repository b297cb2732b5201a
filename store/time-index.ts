// The time index: `t | ts | rev` keys (keys.ts) answer "the last rev committed at or before time T".
//
// The live store writes one entry per group-commit batch, with an empty value: every event of a batch
// has the batch's commit time, so (ts, the batch's last rev) is exact. An import writes events of many
// times at once — a replayed trace can have a distinct time per event, and an entry per time doubled
// the puts of a million-event replay — so it writes one entry per run of up to RUN distinct times: the
// key holds the run's last (ts, rev), the value the run's earlier (ts, rev) pairs, 16 bytes each (two
// big-endian u64), ascending.
//
// Lookup: the greatest key with ts ≤ T gives a rev; the entry after it (the first key with ts > T) may
// be a run whose earlier times are ≤ T, and then the last of those is the answer. Worked example:
// runs keyed (980, 2) and (1000, 7) → [(990, 3), (995, 5)]; at T = 996 the reverse seek finds (980, 2),
// the next entry holds (990, 3) and (995, 5) ≤ 996, so the answer is rev 5. An empty value (a live
// batch) holds nothing earlier, and the answer is the reverse seek's, as before runs existed.

import type { Db, PutOp } from './db.ts';
import { group, parseTimeKey, readU64, TIME, timeBound, timeKey, writeU64 } from './keys.ts';

/** Distinct times per run entry (a 64 KB value at most). */
const RUN = 4096;
const PAIR = 16;

/** The entries for `pairs`: flat (ts, rev) pairs, one per distinct ts at its last rev, ascending. */
export function timeRuns(pairs: readonly number[]): PutOp[] {
  const ops: PutOp[] = [];
  for (let start = 0; start < pairs.length; start += 2 * RUN) {
    const end = Math.min(pairs.length, start + 2 * RUN);
    const value = Buffer.allocUnsafe(((end - start) / 2 - 1) * PAIR);
    for (let i = start, at = 0; i < end - 2; i += 2, at += PAIR) {
      writeU64(value, at, pairs[i]);
      writeU64(value, at + 8, pairs[i + 1]);
    }
    ops.push({ type: 'put', key: timeKey(pairs[end - 2], pairs[end - 1]), value });
  }
  return ops;
}

/** The last rev committed at or before `timeMs` (0 if none). */
export async function revAtTime(db: Db, timeMs: number): Promise<number> {
  const bound = timeBound(timeMs);
  const [[before], [after]] = await Promise.all([
    db.keys({ gte: group(TIME).gte, lt: bound, reverse: true, limit: 1 }).all(),
    db.iterator({ gte: bound, lt: group(TIME).lt, limit: 1 }).all(),
  ]);
  let rev = before ? parseTimeKey(before).rev : 0;
  const run = after?.[1];
  for (let at = 0; run && at < run.length && readU64(run, at) <= timeMs; at += PAIR) rev = readU64(run, at + 8);
  return rev;
}
