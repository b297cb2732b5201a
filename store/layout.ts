// The layout version of the derived keys (`c` checkpoints, `x` history segments). The log itself
// (`e` events, `t` times, `m structures`) is the truth and has kept its format; what is derived from
// it changed on 2026-11-23 (checkpoints became lists of revs, segments mark deletions with negated
// revs). A data directory written before that has no `m layout` key: rather than refusing it, open
// drops its derived keys and rebuilds them from the log — the same path a store with no checkpoint
// yet takes (every event from rev 1), after which the next checkpoint writes them anew.

import type { Db } from './db.ts';
import { CHECKPOINT, EVENT, group, INDEX, metaKey } from './keys.ts';

export const LAYOUT = 2;
const LAYOUT_KEY = metaKey('layout');

/** Make `db`'s derived keys of the current layout: stamp a new store, migrate an older one. */
export async function ensureLayout(db: Db): Promise<'current' | 'created' | 'rebuilt'> {
  const raw = await db.get(LAYOUT_KEY);
  if (raw !== undefined && Number(raw.toString('utf8')) === LAYOUT) return 'current';
  const stamp = Buffer.from(String(LAYOUT), 'utf8');
  if (!(await holdsEvents(db))) {
    await db.put(LAYOUT_KEY, stamp);
    return 'created';
  }
  // One batch: either the old derived keys are gone and the stamp is written, or nothing changed.
  const batch = db.batch();
  for (const prefix of [CHECKPOINT, INDEX]) {
    for await (const k of db.keys(group(prefix))) batch.del(k);
  }
  batch.put(LAYOUT_KEY, stamp);
  await batch.write();
  return 'rebuilt';
}

/** Whether the log holds any event (an empty directory, or one an import may write into). */
export async function holdsEvents(db: Db): Promise<boolean> {
  const [first] = await db.keys({ ...group(EVENT), limit: 1 }).all();
  return first !== undefined;
}
