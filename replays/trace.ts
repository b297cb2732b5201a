// The trace file: a self-contained, versioned window of a cluster's history (docs/TRACES.md).
// It is a sequence of frames, each a 4-byte big-endian length and one plain msgpack value:
//
//   1. the header  { format: "rewind.dev/trace", version: 2, from, to, fromTime, toTime,
//                    baseEvents, events, source }
//   2. the base    a record batch: the state at `from`, as the last event of every object alive then,
//                  plus the event at `from` itself (empty when from = 0)
//   3. chunks      record batches of up to CHUNK events, rev from+1 … to, in order
//
// A record batch (store/import.ts RecordBatch) holds its events as the store's own `e` values —
// msgpackr records over a shared structure table, which the batch carries whenever it grew — beside
// plain columns of what an import needs without decoding them: { revs, ts, deleted, keys, records,
// structures? } (an object key is written once, then by number). A recorded replay copies the
// records into the log as they are (a million events: no decode, no re-encode); any other reader
// decodes them with the table (store/codec.ts Codec.fromTable).
// Version 1 (still read) held plain msgpack arrays of events instead of record batches.
//
// Every event is the store's Event: { rev, ts, type, res, ns, name, object, actor, cause? }.

import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { Packr, Unpackr } from 'msgpackr';
import type { Event } from '../core/events.ts';
import { Codec } from '../store/codec.ts';
import { BatchEncoder, type RecordBatch } from '../store/import.ts';

export const TRACE_FORMAT = 'rewind.dev/trace';
export const TRACE_VERSION = 2;
const CHUNK = 1024;

export interface TraceHeader {
  format: typeof TRACE_FORMAT;
  version: number;
  /** The trace holds the state at rev `from` and every event in (from, to]. */
  from: number;
  to: number;
  /** Commit times (ms) of the events at `from` (from = 0: of the first event) and at `to`. */
  fromTime: number;
  toTime: number;
  /** Number of base events and of events after `from`. */
  baseEvents: number;
  events: number;
  /** Where it came from: "rewind" (recorded), "audit" (imported from an audit log), "scenario". */
  source: string;
}

/** A file (or upload) that is not a whole, readable trace; the message names it and says why. */
export class TraceError extends Error {}

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false });

export class TraceWriter {
  private chunk: Event[] = [];
  /** Encodes the records; its structure table and key numbers travel with the batches. */
  private readonly encoder = new BatchEncoder();
  private constructor(private readonly out: WriteStream) {}

  static async create(path: string, header: Omit<TraceHeader, 'format' | 'version'>, base: Event[]): Promise<TraceWriter> {
    const out = createWriteStream(path);
    await once(out, 'open');
    const w = new TraceWriter(out);
    await w.write({ ...header, format: TRACE_FORMAT, version: TRACE_VERSION });
    await w.write(w.encoder.encode([...base].sort((a, b) => a.rev - b.rev)));
    return w;
  }

  async add(e: Event): Promise<void> {
    this.chunk.push(e);
    if (this.chunk.length >= CHUNK) await this.flush();
  }

  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }

  private async flush(): Promise<void> {
    if (this.chunk.length === 0) return;
    const events = this.chunk;
    this.chunk = [];
    await this.write(this.encoder.encode(events));
  }

  private async write(value: unknown): Promise<void> {
    const body = packr.pack(value);
    const frame = Buffer.allocUnsafe(4 + body.length);
    frame.writeUInt32BE(body.length, 0);
    body.copy(frame, 4);
    if (!this.out.write(frame)) await once(this.out, 'drain');
  }
}

export interface Trace {
  header: TraceHeader;
  /** The state at `from` as events (decoded on first use). */
  readonly base: Event[];
  /** The events after `from`, in chunks, read as they are consumed. */
  chunks: AsyncIterable<Event[]>;
  /** The base as the store's records: what a recorded replay copies. */
  readonly baseBatch: RecordBatch;
  /** The events after `from` as record batches. One stream: read either `chunks` or `batches`. */
  batches: AsyncIterable<RecordBatch>;
  /** The same stream again, each chunk decoding only the events asked for (a replay of a few of them). */
  lazyChunks: AsyncIterable<LazyChunk>;
}

/** A chunk of events, each decoded when asked for. */
export interface LazyChunk {
  size: number;
  event(i: number): Event;
}

/** Open a trace; a file that is not one (or of a newer version) is refused with a clear message. */
export function readTrace(path: string): Promise<Trace> {
  return readTraceStream(createReadStream(path, { highWaterMark: 1 << 20 }), path);
}

/**
 * A trace read from a stream as it arrives (a file, an upload), named `path` in errors. `maxFrame`
 * bounds the one frame held at a time, so a corrupt length cannot make the reader buffer without end.
 */
export async function readTraceStream(source: AsyncIterable<Buffer>, path: string, maxFrame = Infinity): Promise<Trace> {
  const values = frames(source, path, maxFrame);
  // A first frame that cannot be read (cut short, absurdly long, not msgpack) is no trace header.
  const first = await values.next().catch((err: unknown) => {
    if (err instanceof TraceError) return { value: undefined };
    throw err;
  });
  const header = first.value as TraceHeader | undefined;
  if (header?.format !== TRACE_FORMAT) throw new TraceError(`${path} is not a Rewind trace`);
  if (header.version > TRACE_VERSION) throw new TraceError(`${path} is a version ${header.version} trace; this Rewind reads version ${TRACE_VERSION}`);
  const base = (await values.next()).value as Event[] | RecordBatch | undefined;
  if (base === undefined) throw new TraceError(`${path} is truncated: it ends before its base`);
  const baseEvents = Array.isArray(base) ? base.length : base.records?.length;
  if (baseEvents !== header.baseEvents) throw new TraceError(`${path} is truncated: its base holds ${baseEvents} of the ${header.baseEvents} events its header announces`);
  const rest = values as AsyncIterator<unknown>;
  if (header.version === 1) return eventTrace(header, base as Event[], counted(rest as AsyncIterator<Event[]>, header, path, (c) => (Array.isArray(c) ? c.length : undefined)));
  return recordTrace(header, base as RecordBatch, counted(rest as AsyncIterator<RecordBatch>, header, path, (b) => b.records?.length));
}

/**
 * The chunks, checked at their end against the header's count: a trace cut between two frames is
 * as truncated as one cut inside a frame, though every frame it holds is whole.
 */
function counted<T>(it: AsyncIterator<T>, header: TraceHeader, path: string, size: (chunk: T) => number | undefined): AsyncIterator<T> {
  let events = 0;
  return {
    next: async () => {
      const r = await it.next();
      if (!r.done) events += chunkSize(r.value, size, path);
      else if (events !== header.events) throw new TraceError(`${path} is truncated: it holds ${events} of the ${header.events} events its header announces`);
      return r;
    },
    return: () => stop(it),
  };
}

/** A reader stopped early (a `break`, a replay's `until`): close what it reads, down to the file. */
async function stop<T>(it: AsyncIterator<unknown>): Promise<IteratorResult<T>> {
  await it.return?.();
  return { done: true, value: undefined };
}

/** A chunk's number of events; a frame of another shape is corruption, named as such. */
function chunkSize<T>(chunk: T, size: (chunk: T) => number | undefined, path: string): number {
  const n = chunk === null || typeof chunk !== 'object' ? undefined : size(chunk);
  if (typeof n !== 'number') throw new TraceError(`${path} is corrupt: a chunk is not a batch of events`);
  return n;
}

/** A version 2 trace: record batches, decoded only for readers of `base`, `chunks` and `lazyChunks`. */
function recordTrace(header: TraceHeader, baseBatch: RecordBatch, rest: AsyncIterator<RecordBatch>): Trace {
  // Tables only grow (a later one extends an earlier one), so the newest decodes every earlier record.
  let codec = Codec.fromTable(baseBatch.structures);
  const lazy = (b: RecordBatch): LazyChunk => {
    if (b.structures) codec = Codec.fromTable(b.structures);
    const table = codec;
    return { size: b.records.length, event: (i) => table.decodeEvent(b.records[i]) };
  };
  let base: Event[] | undefined;
  return {
    header,
    baseBatch,
    get base() {
      return (base ??= all(lazy(baseBatch)));
    },
    batches: iterable(rest),
    chunks: iterable(mapIterator(rest, (b) => all(lazy(b)))),
    lazyChunks: iterable(mapIterator(rest, lazy)),
  };
}

/** A version 1 trace: plain events, encoded as records (base first) for readers of `baseBatch` and `batches`. */
function eventTrace(header: TraceHeader, base: Event[], rest: AsyncIterator<Event[]>): Trace {
  const encoder = new BatchEncoder();
  const encode = (events: Event[]) => encoder.encode(events);
  return {
    header,
    base,
    baseBatch: encode([...base].sort((a, b) => a.rev - b.rev)),
    chunks: iterable(rest),
    batches: iterable(mapIterator(rest, encode)),
    lazyChunks: iterable(mapIterator(rest, (events): LazyChunk => ({ size: events.length, event: (i) => events[i] }))),
  };
}

const all = (chunk: LazyChunk): Event[] => Array.from({ length: chunk.size }, (_, i) => chunk.event(i));

function iterable<T>(it: AsyncIterator<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => it };
}

function mapIterator<A, B>(it: AsyncIterator<A>, f: (a: A) => B): AsyncIterator<B> {
  return {
    next: async () => {
      const r = await it.next();
      return r.done ? r : { value: f(r.value), done: false };
    },
    return: () => stop(it),
  };
}

/** The values of a trace, frame by frame, read as a stream. */
async function* frames(source: AsyncIterable<Buffer>, path: string, maxFrame: number): AsyncGenerator<unknown> {
  let pending: Buffer[] = [];
  let size = 0;
  let need = 4;
  let inBody = false;
  for await (const chunk of source) {
    pending.push(chunk);
    size += chunk.length;
    while (size >= need) {
      const buf = pending.length === 1 ? pending[0] : Buffer.concat(pending, size);
      const taken = buf.subarray(0, need);
      const rest = buf.subarray(need);
      pending = rest.length ? [rest] : [];
      size = rest.length;
      if (inBody) yield unpacked(taken, path);
      need = inBody ? 4 : taken.readUInt32BE(0);
      if (!inBody && need > maxFrame) throw new TraceError(`${path} has a frame of ${need} bytes, more than the ${maxFrame} a frame may hold`);
      inBody = !inBody;
    }
  }
  if (size > 0 || inBody) throw new TraceError(`${path} is truncated`);
}

function unpacked(frame: Buffer, path: string): unknown {
  try {
    return unpackr.unpack(frame);
  } catch (err) {
    throw new TraceError(`${path} is corrupt: a frame is not msgpack (${(err as Error).message})`);
  }
}
