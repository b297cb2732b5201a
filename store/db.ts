// The backend: any abstract-level database with Buffer keys and values. The store needs only
// get/getSync, batch and ordered iterators, so classic-level (LevelDB on disk, the default) and
// memory-level (fast tests) run the same code — one implementation, one contract suite.

import type { AbstractBatchOptions, AbstractLevel } from 'abstract-level';
import { ClassicLevel } from 'classic-level';
import { MemoryLevel } from 'memory-level';

export type Db = AbstractLevel<Buffer | Uint8Array | string, Buffer, Buffer>;

const BINARY = { keyEncoding: 'buffer', valueEncoding: 'buffer' } as const;

/** LevelDB in directory `path` (created if missing). */
export function classicDb(path: string): Db {
  return new ClassicLevel<Buffer, Buffer>(path, BINARY) as unknown as Db;
}

/** An in-memory database: same semantics, nothing on disk (durability is moot). */
export function memoryDb(): Db {
  return new MemoryLevel<Buffer, Buffer>(BINARY) as unknown as Db;
}

export type PutOp = { type: 'put'; key: Buffer; value: Buffer };

/**
 * Write `ops` as ONE atomic LevelDB batch. `sync: true` fsyncs before resolving (classic-level's
 * option; abstract-level's types do not declare it, memory-level ignores it).
 */
export function writeBatch(db: Db, ops: PutOp[], sync: boolean): Promise<void> {
  return db.batch(ops, { sync } as AbstractBatchOptions<Buffer, Buffer>);
}
