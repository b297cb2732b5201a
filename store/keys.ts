// The key layout of the event log: every key Rewind writes to LevelDB, in one place.
//
// Revisions and times are 8-byte big-endian unsigned integers, so LevelDB's byte order is numeric
// order and a range scan walks revisions in order. One byte of prefix separates the groups:
//
//   e | rev                          → event (msgpackr record: rev ts type res ns name object actor cause)
//   o | res|ns|name | 0x00 | rev     → ""     per-object history: every rev that touched the object
//   t | ts | rev                     → ""     time index: one entry per batch, rev = its last rev
//   c | rev | chunk(4B)              → checkpoint chunk: [res, object, res, object, …] at rev
//   m | name                         → meta (e.g. "structures": msgpackr's shared record shapes)
//
// Worked example: `kubectl create deploy web` committed as rev 258 (0x102) at ts 1767225600000
// (0x19B77F8F800, 2026-01-01T00:00:00Z) writes, in ONE LevelDB batch with the rest of its batch:
//
//   65 00 00 00 00 00 00 01 02                                   e, rev 258
//   6f "apps/v1/deployments|default|web" 00 00 00 00 00 00 00 01 02
//   74 00 00 01 9B 77 F8 F8 00 00 00 00 00 00 00 01 02           t, ts, last rev of the batch
//
// The 0x00 after the object key ends the name (names never contain 0x00), so "web" sorts before
// "web-2" and a prefix scan of "…|web\0" never sees "web-2". The `o` group is loaded into memory at
// open (store/rev-index.ts, keys only), so a point read in the past is a binary search for the last
// rev ≤ r plus one `e` get: O(log n), whatever the log's length, and synchronous.
// Because a batch is atomic, a crash leaves all of a batch's keys or none of them.

export const EVENT = 0x65; // 'e'
export const OBJECT = 0x6f; // 'o'
export const TIME = 0x74; // 't'
export const CHECKPOINT = 0x63; // 'c'
export const META = 0x6d; // 'm'

const TWO32 = 2 ** 32;

function writeU64(buf: Buffer, offset: number, n: number): void {
  buf.writeUInt32BE(Math.floor(n / TWO32), offset);
  buf.writeUInt32BE(n % TWO32, offset + 4);
}

function readU64(buf: Uint8Array, offset: number): number {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return b.readUInt32BE(offset) * TWO32 + b.readUInt32BE(offset + 4);
}

export function eventKey(rev: number): Buffer {
  const k = Buffer.allocUnsafe(9);
  k[0] = EVENT;
  writeU64(k, 1, rev);
  return k;
}

export function revOfEventKey(k: Uint8Array): number {
  return readU64(k, 1);
}

/** Prefix of all `o` keys of one object: o | res|ns|name | 0x00. */
export function objectPrefix(objectKey: string): Buffer {
  const s = Buffer.from(objectKey, 'utf8');
  const k = Buffer.allocUnsafe(s.length + 2);
  k[0] = OBJECT;
  s.copy(k, 1);
  k[s.length + 1] = 0;
  return k;
}

export function objectKey(objectKey: string, rev: number): Buffer {
  const p = objectPrefix(objectKey);
  const k = Buffer.allocUnsafe(p.length + 8);
  p.copy(k, 0);
  writeU64(k, p.length, rev);
  return k;
}

/** The object key string ("res|ns|name") and rev of an `o` key. */
export function parseObjectKey(k: Uint8Array): { key: string; rev: number } {
  const b = Buffer.from(k.buffer, k.byteOffset, k.byteLength);
  return { key: b.toString('utf8', 1, b.length - 9), rev: readU64(b, b.length - 8) };
}

export function timeKey(ts: number, rev: number): Buffer {
  const k = Buffer.allocUnsafe(17);
  k[0] = TIME;
  writeU64(k, 1, ts);
  writeU64(k, 9, rev);
  return k;
}

/** The smallest key after every `t` entry with time ≤ ts: a reverse seek below it finds the answer. */
export function timeBound(ts: number): Buffer {
  const k = Buffer.allocUnsafe(9);
  k[0] = TIME;
  writeU64(k, 1, ts + 1);
  return k;
}

export function parseTimeKey(k: Uint8Array): { ts: number; rev: number } {
  return { ts: readU64(k, 1), rev: readU64(k, 9) };
}

export function checkpointKey(rev: number, chunk: number): Buffer {
  const k = Buffer.allocUnsafe(13);
  k[0] = CHECKPOINT;
  writeU64(k, 1, rev);
  k.writeUInt32BE(chunk, 9);
  return k;
}

export function parseCheckpointKey(k: Uint8Array): { rev: number; chunk: number } {
  const b = Buffer.from(k.buffer, k.byteOffset, k.byteLength);
  return { rev: readU64(b, 1), chunk: b.readUInt32BE(9) };
}

export function metaKey(name: string): Buffer {
  return Buffer.concat([Buffer.from([META]), Buffer.from(name, 'utf8')]);
}

/** Range bounds covering every key of one prefix group: { gte: [p], lt: [p + 1] }. */
export function group(prefix: number): { gte: Buffer; lt: Buffer } {
  return { gte: Buffer.from([prefix]), lt: Buffer.from([prefix + 1]) };
}
