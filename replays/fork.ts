// Forks: a new timeline from a past state. `forkTimeline` writes a fresh database whose history up to
// `rev` is the original's, event for event (store/import.ts) — so every read up to the fork point is
// the original's, and `rewind serve --data DIR2` continues from there ("what if we had not scaled
// down?"). The original is only read.

import type { Db } from '../store/db.ts';
import { LogImporter } from '../store/import.ts';
import type { Store } from '../store/store.ts';
import { QUIET, type Progress } from './progress.ts';

const CHUNK = 2048;

export async function forkTimeline(original: Store, rev: number, db: Db, progress: Progress = QUIET): Promise<void> {
  const importer = await LogImporter.start(db, 0, []);
  progress.start(rev);
  let chunk = [];
  for await (const e of original.read(0, rev)) {
    chunk.push(e);
    if (chunk.length === CHUNK) {
      await importer.append(chunk);
      progress.tick(chunk.length);
      chunk = [];
    }
  }
  await importer.append(chunk);
  progress.tick(chunk.length);
  progress.stop();
  await importer.finish();
}
