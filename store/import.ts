// Importing a log verbatim: a fresh database filled with events as they were — same rev, ts, type,
// object, actor and cause — instead of deciding and stamping mutations. This is what makes a recorded
// replay an exact reconstruction: the imported store answers at(r) exactly as the original for every
// r the trace covers.
//
// A trace starts at rev A with the state at A (replays/trace.ts). That state is written as the
// events that produced it: the last event of every object alive at A (at its own rev: an object's
// resourceVersion is the rev of its last write) plus the event at A itself, with a checkpoint at A.
// Revisions below A the trace does not hold are absent; the store only ever reads below a checkpoint
// through the history index, which points at exactly those events. Then every later event is appended
// in order, gap-free, with time entries, checkpoints and history segments laid out as the live store
// writes them (keys.ts), so LevelStore.open serves the result like any other log.

import type { Event } from '../core/events.ts';
import { internalError } from '../core/errors.ts';
import { checkpointOps } from './checkpoint.ts';
import { Codec } from './codec.ts';
import { writeBatch, type Db, type PutOp } from './db.ts';
import { eventKey, EVENT, group, indexKey, timeKey } from './keys.ts';
import { RevIndex } from './rev-index.ts';
import { MemView } from './view.ts';

const EMPTY = Buffer.alloc(0);
/** Events per LevelDB batch: large batches amortize LevelDB's per-write cost. */
const BATCH = 2048;

export interface ImportOptions {
  /** Take a checkpoint every K revisions, as StoreOptions.checkpointEvery (default 1000). */
  checkpointEvery?: number;
}

export class LogImporter {
  private readonly view = new MemView();
  private readonly index = new RevIndex();
  private ops: PutOp[] = [];
  private head = 0;
  private lastCheckpoint = 0;
  /** The time of the newest events not yet given a time entry (one entry per distinct ts, at its last rev). */
  private pendingTs: { ts: number; rev: number } | undefined;
  /** The batch being written: the next one is prepared meanwhile (CPU and I/O overlap). */
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly db: Db,
    private readonly codec: Codec,
    private readonly every: number,
  ) {}

  /**
   * Start an import into the empty database `db`: the state at `baseRev` given as the events that
   * produced it (see the header). `baseRev` 0 means the trace starts with the empty cluster.
   */
  static async start(db: Db, baseRev: number, baseEvents: Event[], opts: ImportOptions = {}): Promise<LogImporter> {
    await db.open();
    const [existing] = await db.keys({ ...group(EVENT), limit: 1 }).all();
    if (existing) throw internalError('import needs an empty data directory: this one already holds a log');
    const importer = new LogImporter(db, await Codec.load(db), opts.checkpointEvery ?? 1000);
    if (baseRev > 0) await importer.writeBase(baseRev, baseEvents);
    return importer;
  }

  get rev(): number {
    return this.head;
  }

  private async writeBase(baseRev: number, events: Event[]): Promise<void> {
    const sorted = [...events].sort((a, b) => a.rev - b.rev);
    const last = sorted[sorted.length - 1];
    if (!last || last.rev !== baseRev) throw internalError(`the base state must include the event at its rev ${baseRev}`);
    for (const e of sorted) this.put(e);
    this.pendingTs = { ts: last.ts, rev: baseRev };
    this.head = baseRev;
    this.checkpointOps();
    await this.flush();
  }

  /** Append events verbatim; they must continue the log gap-free (rev = head + 1, …). */
  async append(events: Event[]): Promise<void> {
    for (const e of events) {
      if (e.rev !== this.head + 1) throw internalError(`import expects rev ${this.head + 1}, got ${e.rev}`);
      if (this.pendingTs && e.ts !== this.pendingTs.ts) this.ops.push({ type: 'put', key: timeKey(this.pendingTs.ts, this.pendingTs.rev), value: EMPTY });
      this.put(e);
      this.pendingTs = { ts: e.ts, rev: e.rev };
      this.head = e.rev;
      if (this.head - this.lastCheckpoint >= Math.max(this.every, this.view.size)) this.checkpointOps();
      if (this.ops.length >= BATCH) await this.flush();
    }
  }

  /** Close the import: time entry, checkpoint at the head, and the database. */
  async finish(): Promise<void> {
    if (this.pendingTs) this.ops.push({ type: 'put', key: timeKey(this.pendingTs.ts, this.pendingTs.rev), value: EMPTY });
    if (this.head > this.lastCheckpoint) this.checkpointOps();
    await this.flush();
    await this.writing;
    await this.db.close();
  }

  private put(e: Event): void {
    this.ops.push({ type: 'put', key: eventKey(e.rev), value: this.codec.encodeEvent(e) });
    this.index.add(`${e.res}|${e.ns}|${e.name}`, e.rev);
    this.view.apply(e);
  }

  /** A checkpoint at the head with its history segment, as LevelStore writes them. */
  private checkpointOps(): void {
    this.ops.push(...checkpointOps(this.codec, this.head, this.view));
    const segment = this.index.segment(this.head);
    this.ops.push({ type: 'put', key: indexKey(this.head), value: this.codec.encodeSegment(segment) });
    this.index.segmentWritten(segment.count);
    this.lastCheckpoint = this.head;
  }

  /** Hand the prepared batch to LevelDB once the previous one is written; returns without waiting for it. */
  private async flush(): Promise<void> {
    if (this.ops.length === 0) return;
    const structures = this.codec.takeStructuresPut();
    const ops = this.ops;
    if (structures) ops.push(structures);
    this.ops = [];
    await this.writing;
    this.writing = writeBatch(this.db, ops, false).then(() => {
      if (structures) this.codec.structuresWritten(structures.version);
    });
  }
}
