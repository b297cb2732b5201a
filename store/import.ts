// Importing a log verbatim: a fresh database filled with events as they were — same rev, ts, type,
// object, actor and cause — instead of deciding and stamping mutations. This is what makes a recorded
// replay an exact reconstruction: the imported store answers at(r) exactly as the original for every
// r the import covers.
//
// The unit is a record batch: events already encoded as the store's `e` values (codec.ts records), with
// the few fields the import needs beside them (rev, ts, type, object key) and the structure table the
// records were encoded with. A trace carries these batches (replays/trace.ts), so the hot path copies
// bytes: one put per event, no decode, no re-encode, no view. Events given as objects (a fork) are
// encoded into batches first, with the importer's own codec.
//
// A trace starts at rev A with the state at A: the events that produced it — the last event of every
// object alive at A (at its own rev: an object's resourceVersion is the rev of its last write) plus
// the event at A itself. Revisions below A the trace does not hold are absent; the store only ever
// reads below its newest checkpoint through the history index, which points at exactly those events.
// Then every later event is appended in order, gap-free.
//
// Only `e` keys are written while events stream in; the time entries, the history segments and one
// checkpoint (at the head, which is all LevelStore.open needs: past reads go through the history
// index) are written by `finish`. That keeps the stream's keys strictly ascending, so LevelDB moves
// its level-0 tables down without merging them — the reason an unsynced batch write of the same bytes
// is fast. Interleaving one small key per batch measured 1.7 µs more CPU per event (compactions then
// rewrite the overlapping tables); a time entry per event, 2.4× slower overall.

import type { Event } from '../core/events.ts';
import { internalError } from '../core/errors.ts';
import { keyString } from '../core/object.ts';
import { checkpointOps } from './checkpoint.ts';
import { ensureLayout, holdsEvents } from './layout.ts';
import { Codec, STRUCTURES } from './codec.ts';
import { Batch, type Db } from './db.ts';
import { eventKey, indexKey } from './keys.ts';
import { RevIndex, type ObjectRevs } from './rev-index.ts';
import { timeRuns } from './time-index.ts';

/** Puts per LevelDB batch: large batches amortize LevelDB's per-write cost. */
const BATCH = 2048;
/** History entries per segment written by `finish` (about 2 MB each), so no value grows with the log. */
const SEGMENT = 65_536;

/** Events encoded as the store's `e` values, with what the import needs beside them (parallel arrays). */
export interface RecordBatch {
  revs: number[];
  ts: number[];
  /** Positions in this batch of the DELETED events (the import marks them in the history index). */
  deleted: number[];
  /**
   * Object keys ("res|ns|name"), each written once per stream: a later event of the same object
   * carries the number of the key's first appearance (0, 1, … in stream order), so a million events
   * of ten thousand objects carry ten thousand strings — and the import looks up ten thousand.
   */
  keys: Array<string | number>;
  /** The events as `e` values (codec.ts). */
  records: Buffer[];
  /** The codec's structure table (the `m structures` value) when it grew since the previous batch. */
  structures?: Buffer;
}

/** Encodes a stream of events as record batches (one encoder per stream: key numbers and table are its own). */
export class BatchEncoder {
  private readonly codec = Codec.fromTable(undefined);
  private readonly keyNumbers = new Map<string, number>();

  encode(events: readonly Event[]): RecordBatch {
    const batch: RecordBatch = { revs: [], ts: [], deleted: [], keys: [], records: [] };
    for (const e of events) {
      batch.revs.push(e.rev);
      batch.ts.push(e.ts);
      if (e.type === 'DELETED') batch.deleted.push(batch.revs.length - 1);
      batch.keys.push(this.keyOf(keyString(e)));
      batch.records.push(this.codec.encodeEvent(e));
    }
    const table = this.codec.takeStructuresPut();
    if (table) {
      batch.structures = table.value;
      this.codec.structuresWritten(table.version);
    }
    return batch;
  }

  private keyOf(key: string): string | number {
    const n = this.keyNumbers.get(key);
    if (n !== undefined) return n;
    this.keyNumbers.set(key, this.keyNumbers.size);
    return key;
  }
}

/** The first `n` events of a batch (its table kept: the records may need it). */
export function sliceBatch(b: RecordBatch, n: number): RecordBatch {
  return { ...b, revs: b.revs.slice(0, n), ts: b.ts.slice(0, n), deleted: b.deleted.filter((i) => i < n), keys: b.keys.slice(0, n), records: b.records.slice(0, n) };
}

export class LogImporter {
  private readonly index = new RevIndex();
  private batch: Batch;
  private puts = 0;
  private head = 0;
  /** The newest structure table the records use (written with the batch that first needs it). */
  private table: Buffer | undefined;
  /** Time entries to write at the end: (ts, rev) pairs, one per distinct ts at its last rev, flat. */
  private readonly times: number[] = [];
  /** The batch being written: the next one is prepared meanwhile (CPU and I/O overlap). */
  private writing: Promise<void> = Promise.resolve();
  /** Encodes events given as objects (`append`); an import takes either events or another encoder's batches. */
  private readonly encoder = new BatchEncoder();
  /** The objects by key number (RecordBatch.keys), in the order their keys appeared. */
  private readonly numbered: ObjectRevs[] = [];

  private constructor(private readonly db: Db) {
    this.batch = new Batch(db);
  }

  /**
   * Start an import into the empty database `db`: the state at `baseRev` given as the events that
   * produced it (see the header), as objects or as a record batch. `baseRev` 0 means the trace starts
   * with the empty cluster.
   */
  static async start(db: Db, baseRev: number, base: Event[] | RecordBatch): Promise<LogImporter> {
    await db.open();
    if (await holdsEvents(db)) throw internalError('import needs an empty data directory: this one already holds a log');
    await ensureLayout(db); // stamps the empty directory: what the import derives is of this layout
    const importer = new LogImporter(db);
    const batch = Array.isArray(base) ? importer.encoder.encode([...base].sort((a, b) => a.rev - b.rev)) : base;
    if (baseRev > 0) await importer.writeBase(baseRev, batch);
    return importer;
  }

  get rev(): number {
    return this.head;
  }

  private async writeBase(baseRev: number, base: RecordBatch): Promise<void> {
    if (base.revs[base.revs.length - 1] !== baseRev) throw internalError(`the base state must include the event at its rev ${baseRev}`);
    await this.put(base, (rev) => rev > this.head, () => 'ascending revs');
    // Time lookups start at the window: one entry, at `baseRev` (the base's older revs are not in it).
    this.times.length = 0;
    this.time(base.ts[base.ts.length - 1], baseRev);
  }

  /** Append events verbatim (encoded here); they must continue the log gap-free (rev = head + 1, …). */
  append(events: readonly Event[]): Promise<void> {
    return this.appendBatch(this.encoder.encode(events));
  }

  /** Append a record batch verbatim, continuing the log gap-free. */
  appendBatch(b: RecordBatch): Promise<void> {
    return this.put(b, (rev) => rev === this.head + 1, () => `rev ${this.head + 1}`);
  }

  private async put(b: RecordBatch, inOrder: (rev: number) => boolean, expected: () => string): Promise<void> {
    if (b.structures) {
      this.table = b.structures;
      this.batch.put(STRUCTURES, b.structures);
      this.puts++;
    }
    const { revs, ts, deleted, keys, records } = b;
    for (let i = 0, d = 0; i < revs.length; i++) {
      const rev = revs[i];
      if (!inOrder(rev)) throw internalError(`import expects ${expected()}, got ${rev}`);
      this.batch.put(eventKey(rev), records[i]);
      const key = keys[i];
      const object = typeof key === 'number' ? this.numbered[key] : this.numberKey(key);
      if (!object) throw internalError(`import: event ${rev} names object key number ${key} before its key`);
      const isDeletion = deleted[d] === i;
      if (isDeletion) d++;
      this.index.addTo(object, rev, isDeletion);
      this.time(ts[i], rev);
      this.head = rev;
      if (++this.puts >= BATCH) await this.flush();
    }
  }

  /** The next key number is `key`'s. */
  private numberKey(key: string): ObjectRevs {
    const object = this.index.entry(key);
    this.numbered.push(object);
    return object;
  }

  /** One time entry per distinct ts, at its last rev: replace the previous pair while ts repeats. */
  private time(ts: number, rev: number): void {
    const n = this.times.length;
    if (n > 0 && this.times[n - 2] === ts) this.times[n - 1] = rev;
    else this.times.push(ts, rev);
  }

  /** Close the import: time entries, history segments, a checkpoint at the head, and the database. */
  async finish(): Promise<void> {
    await this.flush();
    await this.writing;
    for (const op of timeRuns(this.times)) await this.add(op.key, op.value);
    if (this.head > 0) await this.segmentsAndCheckpoint();
    await this.flush();
    await this.writing;
    await this.db.close();
  }

  /** The history segments (each keyed by its last rev, the last one by the head) and the checkpoint. */
  private async segmentsAndCheckpoint(): Promise<void> {
    const codec = Codec.fromTable(this.table);
    for (;;) {
      const segment = this.index.segment(this.head, SEGMENT);
      if (segment.count === 0) break;
      await this.add(indexKey(Math.abs(segment.revs[segment.count - 1])), codec.encodeSegment(segment));
      this.index.segmentWritten(segment.count);
    }
    await this.flush();
    for (const op of checkpointOps(codec, this.head, this.index.alive(this.head))) await this.add(op.key, op.value);
    const table = codec.takeStructuresPut();
    if (table) await this.add(table.key, table.value);
  }

  private async add(key: Buffer, value: Buffer): Promise<void> {
    this.batch.put(key, value);
    if (++this.puts >= BATCH) await this.flush();
  }

  /** Hand the prepared batch to LevelDB once the previous one is written; returns without waiting for it. */
  private async flush(): Promise<void> {
    if (this.puts === 0) return;
    const batch = this.batch;
    this.batch = new Batch(this.db);
    this.puts = 0;
    await this.writing;
    this.writing = batch.write(false);
  }
}
