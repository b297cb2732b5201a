// The store's public entry: open a Store on LevelDB (a directory), on memory, or on any
// abstract-level database you pass. Everything above store/ should depend on the `Store` interface
// (store.ts), not on LevelStore.

import type { Db } from './db.ts';
import { classicDb, memoryDb } from './db.ts';
import { LevelStore } from './level-store.ts';
import type { Store, StoreOptions } from './store.ts';

export type { Store, StoreOptions, ReadView, ListOptions, ListResult, Point, JsonPatchOp } from './store.ts';
export { LevelStore } from './level-store.ts';
export { classicDb, memoryDb, type Db } from './db.ts';

export interface OpenOptions extends StoreOptions {
  /** Directory of a LevelDB (classic-level) database, created if missing. */
  path?: string;
  /** Any abstract-level database with Buffer keys and values (wins over `path`). */
  db?: Db;
}

/** Open a store: on `db` if given, else LevelDB at `path`, else in memory. */
export async function openStore(opts: OpenOptions = {}): Promise<Store & LevelStore> {
  const { path, db, ...storeOpts } = opts;
  const backend = db ?? (path !== undefined ? classicDb(path) : memoryDb());
  return LevelStore.open(backend, storeOpts);
}
