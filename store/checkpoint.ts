// Checkpoints: full snapshots of the view, so that opening the store costs one snapshot plus a
// bounded tail of events instead of the whole log. (Past reads do not use them: they go through the
// history index, rev-index.ts. An import writes a single checkpoint, at its head: store/import.ts.)
//
// A checkpoint at rev r is chunks `c|r|0`, `c|r|1`, … (keys.ts), CHUNK objects each, all written in
// one batch (atomic: a crash leaves the whole checkpoint or none of it). There is always at least one
// chunk, so an empty cluster's checkpoint is still visible.
//
// When: every K revisions (StoreOptions.checkpointEvery), but never more often than the view's size
// in revisions — otherwise a big cluster with a small K would write its whole state every K events
// (10,000 objects every 1,000 revs = 10 object writes per event). With this rule a checkpoint costs
// at most one object write per event, amortized, and an open applies at most max(K, objects) events
// on top of a snapshot of about the same size.

import type { Db, PutOp } from './db.ts';
import type { Codec } from './codec.ts';
import { checkpointKey, CHECKPOINT, group, parseCheckpointKey } from './keys.ts';
import { MemView } from './view.ts';
import type { KObject } from '../core/object.ts';

export const CHUNK = 512;


/** The puts of a checkpoint of `view` at `rev` (call synchronously: the view must not move meanwhile). */
export function checkpointOps(codec: Codec, rev: number, view: MemView): PutOp[] {
  const ops: PutOp[] = [];
  let chunk: Array<[string, KObject]> = [];
  const flush = () => {
    ops.push({ type: 'put', key: checkpointKey(rev, ops.length), value: codec.encodeChunk(chunk) });
    chunk = [];
  };
  for (const entry of view.entries()) {
    chunk.push(entry);
    if (chunk.length === CHUNK) flush();
  }
  if (chunk.length > 0 || ops.length === 0) flush();
  return ops;
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
      for (const [res, obj] of codec.decodeChunk(raw)) {
        view.put(res, obj.metadata.namespace ?? '', obj.metadata.name ?? '', obj);
      }
    }
    return view;
  }
}
