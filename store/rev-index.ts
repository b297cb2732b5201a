// The per-object history index (`o` keys, see keys.ts) kept in memory: object key → the ascending
// revs of every event of that object. Loaded once at open from keys alone (no values decoded), then
// appended to as batches are applied. It answers "which event holds this object as of rev r" with a
// binary search, so a point read in the past costs O(log n) and one `e` get, and stays synchronous.
//
// Cost: one number per event (about 8 bytes), i.e. ~8 MB for a million events.

import type { Db } from './db.ts';
import { group, OBJECT, parseObjectKey } from './keys.ts';

export class RevIndex {
  private readonly revs = new Map<string, number[]>();

  add(key: string, rev: number): void {
    const list = this.revs.get(key);
    if (list) list.push(rev);
    else this.revs.set(key, [rev]);
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

  /** Object keys ever seen (for diagnostics and tests). */
  keys(): IterableIterator<string> {
    return this.revs.keys();
  }

  /**
   * Load from the `o` keys of `db`. Returns the number of entries and calls `seen(rev)` for each, so
   * the caller can check that revisions form a gap-free prefix.
   */
  static async load(db: Db, seen: (rev: number) => void): Promise<RevIndex> {
    const index = new RevIndex();
    const it = db.keys(group(OBJECT));
    try {
      for (;;) {
        const batch = await it.nextv(4096);
        if (batch.length === 0) break;
        for (const k of batch) {
          const { key, rev } = parseObjectKey(k);
          index.add(key, rev);
          seen(rev);
        }
      }
    } finally {
      await it.close();
    }
    // Keys arrive sorted by (object, rev), so every list is already ascending.
    return index;
  }
}
