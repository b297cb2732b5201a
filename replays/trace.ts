// The trace file: a self-contained, versioned window of a cluster's history (docs/TRACES.md).
// It is a sequence of frames, each a 4-byte big-endian length and one plain msgpack value (no shared
// structures, so any msgpack reader decodes it):
//
//   1. the header  { format: "rewind.dev/trace", version: 1, from, to, fromTime, toTime,
//                    baseEvents, events, source }
//   2. the base    an array of events: the state at `from`, as the last event of every object alive
//                  then, plus the event at `from` itself (empty when from = 0)
//   3. chunks      arrays of up to CHUNK events, rev from+1 … to, in order
//
// Every event is the store's Event: { rev, ts, type, res, ns, name, object, actor, cause? }.

import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { Packr, Unpackr } from 'msgpackr';
import type { Event } from '../core/events.ts';

export const TRACE_FORMAT = 'rewind.dev/trace';
export const TRACE_VERSION = 1;
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

const packr = new Packr({ useRecords: false });
const unpackr = new Unpackr({ useRecords: false });

export class TraceWriter {
  private chunk: Event[] = [];
  private constructor(private readonly out: WriteStream) {}

  static async create(path: string, header: Omit<TraceHeader, 'format' | 'version'>, base: Event[]): Promise<TraceWriter> {
    const out = createWriteStream(path);
    await once(out, 'open');
    const w = new TraceWriter(out);
    await w.write({ format: TRACE_FORMAT, version: TRACE_VERSION, ...header });
    await w.write(base);
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
    await this.write(events);
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
  base: Event[];
  /** The events after `from`, in chunks, read as they are consumed. */
  chunks: AsyncIterable<Event[]>;
}

/** Open a trace; a file that is not one (or of a newer version) is refused with a clear message. */
export function readTrace(path: string): Promise<Trace> {
  return traceOf(createReadStream(path, { highWaterMark: 1 << 20 }), path);
}

/** A trace held in memory (uploaded to a server); refused like a file that is not one. */
export function readTraceBytes(bytes: Buffer): Promise<Trace> {
  return traceOf([bytes], 'the upload');
}

async function traceOf(source: AsyncIterable<Buffer> | Iterable<Buffer>, path: string): Promise<Trace> {
  const values = frames(source, path);
  const header = (await values.next()).value as TraceHeader | undefined;
  if (header?.format !== TRACE_FORMAT) throw new Error(`${path} is not a Rewind trace`);
  if (header.version > TRACE_VERSION) throw new Error(`${path} is a version ${header.version} trace; this Rewind reads version ${TRACE_VERSION}`);
  const base = ((await values.next()).value ?? []) as Event[];
  const chunks: AsyncIterable<Event[]> = {
    [Symbol.asyncIterator]: () => ({ next: () => values.next() as Promise<IteratorResult<Event[]>> }),
  };
  return { header, base, chunks };
}

/** The values of a trace, frame by frame, read as a stream. */
async function* frames(source: AsyncIterable<Buffer> | Iterable<Buffer>, path: string): AsyncGenerator<unknown> {
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
      if (inBody) yield unpackr.unpack(taken);
      need = inBody ? 4 : taken.readUInt32BE(0);
      inBody = !inBody;
    }
  }
  if (size > 0 || inBody) throw new Error(`${path} is truncated`);
}
