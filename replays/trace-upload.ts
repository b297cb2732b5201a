// A trace uploaded to a running server (POST rewind.dev replays), received as it arrives: each piece
// of the body is appended to a spool file on disk and fed to the trace reader, which checks every
// event, marks those the replay will write (a bit each) and collects the writes to authorize. The
// server holds one frame of the trace at a time (at most MAX_FRAME), whatever the trace's size; the
// replay then reads the spool file back, decoding only the marked events (replays/live-replay.ts).
// A body that is not one whole trace — garbage, a newer version, an event of no known resource, cut
// short inside or between frames, a connection dropped mid-upload — is a BadRequest, its spool is
// removed, and nothing has been written.

import { createWriteStream, mkdirSync, mkdtempSync, rmSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import type { ReplaySpec, WriteIntent } from '../api/rewind/replays.ts';
import { badRequest, internalError, isStatusError } from '../core/errors.ts';
import type { Event } from '../core/events.ts';
import { resourceOf } from '../core/registry.ts';
import { INPUT_ACTORS } from './rederive.ts';
import { untilTest } from './replay.ts';
import { readTraceStream, type Trace, type TraceHeader } from './trace.ts';

/** The largest frame an upload may hold (a chunk of 1,024 events, or the base: the state at `from`). */
const MAX_FRAME = 256 * 1024 * 1024;

const VERBS: Record<Event['type'], WriteIntent['verb']> = { ADDED: 'create', MODIFIED: 'update', DELETED: 'delete' };

export interface ReceivedTrace {
  /** The spool file: the whole trace, as uploaded. */
  path: string;
  header: TraceHeader;
  /** The events after `from` the replay writes (it writes the whole base before them). */
  selection: Selection;
  /** How many events the replay writes, base included. */
  total: number;
  /** Each distinct (resource, namespace, verb) it writes. */
  writes: WriteIntent[];
  /** Remove the spool (after the replay, or when it is not started). */
  discard(): void;
}

/** Spool and check an upload under `spoolDir`; rejects with a BadRequest for a body that is not a whole trace. */
export async function receiveTrace(upload: AsyncIterable<Buffer>, spec: ReplaySpec, spoolDir: string): Promise<ReceivedTrace> {
  mkdirSync(spoolDir, { recursive: true });
  const dir = mkdtempSync(join(spoolDir, 'upload-'));
  const discard = () => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, 'trace');
  const out = createWriteStream(path);
  // The spool's own failure (a full disk) is the server's, a 500, not the upload's fault.
  let spoolError: Error | undefined;
  out.on('error', (err) => (spoolError ??= internalError(`cannot spool the upload: ${err.message}`)));
  try {
    const trace = await readTraceStream(spooled(upload, out), 'the upload', MAX_FRAME);
    const writes = new Map<string, WriteIntent>();
    const note = (e: Event) => writes.set(`${e.res}|${e.ns}|${VERBS[e.type]}`, { res: e.res, ns: e.ns, verb: VERBS[e.type] });
    const base = trace.base.map(checkedEvent);
    base.forEach(note);
    const selection = await select(trace, spec, note);
    // Past `until`: read to the end all the same (whole, counted, spooled), without decoding.
    for await (const _ of trace.batches);
    await new Promise((done) => out.end(done));
    if (spoolError) throw spoolError;
    return { path, header: trace.header, selection, total: base.length + selection.count, writes: [...writes.values()], discard };
  } catch (err) {
    out.destroy();
    discard();
    throw spoolError ?? (isStatusError(err) ? err : badRequest(`the body is not a readable trace: ${(err as Error).message}`));
  }
}

/**
 * Which events after `from` a replay of `spec` writes: every one (recorded) or only the inputs —
 * user and system writes — (rederive), up to `until`. Each is checked, and given to `onSelected`.
 */
async function select(trace: Trace, spec: ReplaySpec, onSelected: (e: Event) => void): Promise<Selection> {
  const selection = new Selection();
  const within = spec.until === undefined ? () => true : untilTest(spec.until, trace.header);
  let position = 0;
  for await (const chunk of trace.lazyChunks) {
    for (let i = 0; i < chunk.size; i++, position++) {
      const e = checkedEvent(chunk.event(i));
      if (!within(e.rev, e.ts)) return selection;
      if (spec.mode === 'recorded' || INPUT_ACTORS.has(e.actor.kind)) {
        selection.add(position);
        onSelected(e);
      }
    }
  }
  return selection;
}

/** The events a replay writes, read back from the spool: the base, then the selected ones — only those decoded. */
export async function* selectedEvents(trace: Trace, selection: Selection): AsyncGenerator<Event> {
  yield* trace.base;
  let position = 0;
  for await (const chunk of trace.lazyChunks) {
    if (position > selection.last) return;
    for (let i = 0; i < chunk.size; i++, position++) if (selection.has(position)) yield chunk.event(i);
  }
}

/** Positions of the trace's events, one bit each: a million events in 125 KB. */
export class Selection {
  private bits = new Uint8Array(1024);
  count = 0;
  last = -1;

  add(position: number): void {
    if (position >> 3 >= this.bits.length) {
      const grown = new Uint8Array(Math.max(this.bits.length * 2, (position >> 3) + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[position >> 3] |= 1 << (position & 7);
    this.count++;
    this.last = Math.max(this.last, position);
  }

  has(position: number): boolean {
    return ((this.bits[position >> 3] ?? 0) & (1 << (position & 7))) !== 0;
  }
}

/** The upload's pieces, each appended to the spool (waiting when the disk is behind) as it is read. */
async function* spooled(upload: AsyncIterable<Buffer>, out: WriteStream): AsyncGenerator<Buffer> {
  for await (const piece of upload) {
    // once() rejects on the spool's error, which receiveTrace's listener has kept as a 500.
    if (!out.write(piece)) await once(out, 'drain');
    yield piece;
  }
}

/** The value if it has an event's shape (of a resource this server serves), else a BadRequest naming it. */
function checkedEvent(value: unknown): Event {
  const e = value as Partial<Event> | null;
  const ok =
    typeof e?.rev === 'number' && typeof e.ts === 'number' && typeof e.ns === 'string' && typeof e.name === 'string' &&
    typeof e.type === 'string' && Object.hasOwn(VERBS, e.type) && typeof e.res === 'string' && resourceOf(e.res) !== undefined &&
    typeof e.object?.metadata === 'object' && e.object.metadata !== null && typeof e.actor?.kind === 'string' && typeof e.actor.name === 'string';
  if (!ok) throw badRequest(`the trace's event ${typeof e?.rev === 'number' ? `rev ${e.rev}` : 'without a rev'} is not a Rewind event of a known resource (docs/TRACES.md)`);
  return e as Event;
}
