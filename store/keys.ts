// The key layout of the event log: every key Rewind writes to LevelDB, in one place.
//
// Revisions and times are 8-byte big-endian unsigned integers, so LevelDB's byte order is numeric
// order and a range scan walks revisions in order. One byte of prefix separates the groups:
//
//   e | rev                 → event (msgpackr record: rev ts type res ns name object actor cause)
//   t | ts | rev            → ""     time index: one entry per batch, rev = the batch's last rev
//                             (an import: one per run of times, the value holding the run's
//                             earlier (ts, rev) pairs — time-index.ts)
//   c | rev | chunk(4B)     → checkpoint chunk at rev: the revs of the events holding the objects
//                             alive at rev (plain msgpack, 4,096 a chunk; checkpoint.ts)
//   x | rev                 → history segment, written with the checkpoint at rev: for every event
//                             since the previous checkpoint, its object key ("res|ns|name") and rev
//   m | name                → meta ("structures": msgpackr's shared record shapes; "layout": the
//                             version of the c and x keys' layout, layout.ts)
//
// Worked example: `kubectl create deploy web` committed as rev 258 (0x102) at ts 1767225600000
// (0x19B76DAA800, 2026-01-01T00:00:00Z), the last event of its group-commit batch, writes in ONE
// LevelDB batch with the rest of that batch:
//
//   65 00 00 00 00 00 00 01 02                                   e, rev 258 → the event
//   74 00 00 01 9B 76 DA A8 00 00 00 00 00 00 00 01 02           t, ts, rev 258 → ""
//
// and when rev 1000 is checkpointed, one batch holds `63 00…03 E8 00 00 00 00`, `…01`, … (the revs of
// the live objects' events, 4,096 a chunk) and `78 00 00 00 00 00 00 03 E8` → {keys: […, "apps/v1/deployments|default|
// web", …], revs: […, 258, …]}. Because a batch is atomic, a crash leaves all of its keys or none.
//
// Reads: a point read in the past binary-searches the object's revs in memory (rev-index.ts, loaded
// from the `x` segments plus the events after the newest checkpoint) and gets one `e` key: O(log n),
// whatever the log's length, and synchronous. revAtTime is one reverse seek in `t`.

export const EVENT = 0x65; // 'e'
export const TIME = 0x74; // 't'
export const CHECKPOINT = 0x63; // 'c'
export const META = 0x6d; // 'm'
export const INDEX = 0x78; // 'x'

const TWO32 = 2 ** 32;

export function writeU64(buf: Buffer, offset: number, n: number): void {
  buf.writeUInt32BE(Math.floor(n / TWO32), offset);
  buf.writeUInt32BE(n % TWO32, offset + 4);
}

export function readU64(buf: Uint8Array, offset: number): number {
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

export function indexKey(rev: number): Buffer {
  const k = Buffer.allocUnsafe(9);
  k[0] = INDEX;
  writeU64(k, 1, rev);
  return k;
}

export function revOfIndexKey(k: Uint8Array): number {
  return readU64(k, 1);
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
