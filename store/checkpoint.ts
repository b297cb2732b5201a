// Checkpoints: what opening the store starts from, so that it costs the objects alive at the
// checkpoint plus a bounded tail of events instead of the whole log. (Past reads do not use them:
// they go through the history index, rev-index.ts. An import writes a single checkpoint, at its head:
// store/import.ts.)
//
// A checkpoint at rev r names, for every object alive at r, the rev of the event holding it — the
// objects themselves are already in the log, append-only and durable before the checkpoint is taken.
// It is chunks `c|r|0`, `c|r|1`, … (keys.ts) of CHUNK revs each, plain msgpack, all written in one
// batch (atomic: a crash leaves the whole checkpoint or none of it). There is always at least one
// chunk, so an empty cluster's checkpoint is still visible. Taking one costs a walk of the history
// index, not an encode of every object (which cost the commit path ~5 µs per object, i.e. per event,
// amortized); opening reads each object's event back (one get and one decode per object).
//
// When: every K revisions (StoreOptions.checkpointEvery), but never more often than the view's size
// in revisions — otherwise a big cluster with a small K would write its whole state every K events.
// With this rule an open applies at most max(K, objects) events on top of a checkpoint of about the
// same size.

import { internalError } from '../core/errors.ts';
import type { Db, PutOp } from './db.ts';
import type { Codec } from './codec.ts';
import { checkpointKey, CHECKPOINT, group, parseCheckpointKey } from './keys.ts';
import { eventSync } from './past-view.ts';
import { MemView } from './view.ts';

export const CHUNK = 4096;

/** The puts of a checkpoint at `rev`: `alive`, the revs of the events holding every object alive then. */
export function checkpointOps(codec: Codec, rev: number, alive: number[]): PutOp[] {
  const ops: PutOp[] = [];
  for (let i = 0; i === 0 || i < alive.length; i += CHUNK) {
    ops.push({ type: 'put', key: checkpointKey(rev, ops.length), value: codec.encodeRevs(alive.slice(i, i + CHUNK)) });
  }
  return ops;
}

/** A chunk's revs. Before revs, chunks held the objects themselves: such a store cannot be opened as it is. */
function revsOf(codec: Codec, raw: Uint8Array, rev: number): number[] {
  let revs: unknown;
  try {
    revs = codec.decodeRevs(raw);
  } catch {
    // not plain msgpack: records, as the older chunks were
  }
  if (Array.isArray(revs) && revs.every(Number.isInteger)) return revs;
  throw internalError(`checkpoint ${rev} is not a list of revs: written by an older Rewind? (delete the data directory)`);
}

/** Which checkpoints exist: their revs (ascending) and chunk counts. */
export class Checkpoints {
  private readonly revs: number[] = [];
  private readonly chunks = new Map<number, number>();

  add(rev: number, chunks: number): void {
    if (!this.chunks.has(rev)) {
      this.revs.push(rev);
      // Checkpoints arrive in rev order (from the sorted `c` keys, or as the log grows).
      if (this.revs.length > 1 && this.revs[this.revs.length - 2] > rev) this.revs.sort((a, b) => a - b);
    }
    this.chunks.set(rev, chunks);
  }

  /** The newest checkpoint rev ≤ `rev`, or 0 (the empty cluster) if there is none. */
  nearest(rev: number): number {
    let lo = 0;
    let hi = this.revs.length - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.revs[mid] <= rev) {
        best = this.revs[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  get newest(): number {
    return this.revs[this.revs.length - 1] ?? 0;
  }

  get count(): number {
    return this.revs.length;
  }

  /** Read the list of checkpoints from the `c` keys (keys only, no values decoded). */
  static async load(db: Db): Promise<Checkpoints> {
    const cps = new Checkpoints();
    const it = db.keys(group(CHECKPOINT));
    try {
      for (;;) {
        const keys = await it.nextv(4096);
        if (keys.length === 0) break;
        for (const k of keys) {
          const { rev, chunk } = parseCheckpointKey(k);
          cps.add(rev, Math.max(cps.chunks.get(rev) ?? 0, chunk + 1));
        }
      }
    } finally {
      await it.close();
    }
    return cps;
  }

  /** A new view holding the checkpoint at `rev` (0 = empty). Synchronous: used by read views. */
  loadSync(db: Db, codec: Codec, rev: number): MemView {
    const view = new MemView();
    const n = rev === 0 ? 0 : this.chunks.get(rev);
    if (n === undefined) throw new Error(`no checkpoint at rev ${rev}`);
    for (let i = 0; i < n; i++) {
      const raw = db.getSync(checkpointKey(rev, i));
      if (!raw) throw new Error(`checkpoint ${rev} is missing chunk ${i}`);
      for (const r of revsOf(codec, raw, rev)) view.apply(eventSync(db, codec, r, true));
    }
    return view;
  }
}
