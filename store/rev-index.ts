// The per-object history index, in memory: object key ("res|ns|name") → the ascending revs of every
// event of that object. It answers "which event holds this object as of rev r" with a binary search,
// so a point read in the past costs O(log n) plus one `e` get, and stays synchronous.
//
// Persistence: not one key per event, but one segment per checkpoint (`x|rev`, keys.ts), written in
// the checkpoint's batch: the revs each object gained since the previous checkpoint. At open the
// segments are read (a few hundred values for a million events) and the events after the newest
// checkpoint — replayed anyway to rebuild the view — add the rest. This measured 6.3 s → well under
// a second for a million events, compared with scanning a million per-event index keys, and halves
// the puts of every commit.
//
// Cost: one number per event (about 8 bytes), i.e. ~8 MB for a million events.

import type { Codec } from './codec.ts';
import type { Db } from './db.ts';
import { group, INDEX, revOfIndexKey } from './keys.ts';

export class RevIndex {
  private readonly revs = new Map<string, number[]>();
  /** (key, rev) added since the last segment was written, in rev order. */
  private pending: Array<[string, number]> = [];

  add(key: string, rev: number): void {
    const list = this.revs.get(key);
    if (list) list.push(rev);
    else this.revs.set(key, [rev]);
    this.pending.push([key, rev]);
  }

  /** Every rev of the object, oldest first (do not modify). */
  all(key: string): readonly number[] {
    return this.revs.get(key) ?? [];
  }

  /** The last rev ≤ `rev` that touched the object, or 0 if none. */
  lastAtOrBefore(key: string, rev: number): number {
    const list = this.revs.get(key);
    if (!list || list[0] > rev) return 0;
    let lo = 0;
    let hi = list.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (list[mid] <= rev) lo = mid;
      else hi = mid - 1;
    }
    return list[lo];
  }

  /**
   * The segment to write with a checkpoint at `rev`: every (key, rev ≤ `rev`) added since the last
   * segment, as parallel arrays. Call `segmentWritten(n)` with its `count` once it is durable.
   */
  segment(rev: number): { keys: string[]; revs: number[]; count: number } {
    const keys: string[] = [];
    const revs: number[] = [];
    let count = 0;
    for (const [k, r] of this.pending) {
      if (r > rev) break;
      keys.push(k);
      revs.push(r);
      count++;
    }
    return { keys, revs, count };
  }

  segmentWritten(count: number): void {
    this.pending = this.pending.slice(count);
  }

  /** Load every segment (in rev order); returns the index and the last rev the segments cover. */
  static async load(db: Db, codec: Codec): Promise<{ index: RevIndex; upTo: number }> {
    const index = new RevIndex();
    let upTo = 0;
    for await (const [k, v] of db.iterator(group(INDEX))) {
      const { keys, revs } = codec.decodeSegment(v);
      for (let i = 0; i < keys.length; i++) {
        const list = index.revs.get(keys[i]);
        if (list) list.push(revs[i]);
        else index.revs.set(keys[i], [revs[i]]);
      }
      upTo = revOfIndexKey(k);
    }
    return { index, upTo };
  }
}
