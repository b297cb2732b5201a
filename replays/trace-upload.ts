// A trace uploaded to a running server (POST rewind.dev replays), received as it arrives: each piece
// of the body is appended to a spool file on disk and fed to the trace reader, which checks every
// event the replay will write, counts them and collects the writes to authorize. The server holds
// one frame of the trace at a time (at most MAX_FRAME), whatever the trace's size; the replay then
// reads the spool file back (replays/live-replay.ts). A body that is not one whole trace — garbage,
// a newer version, an event of no known resource, cut short inside or between frames, a connection
// dropped mid-upload — is a BadRequest, its spool is removed, and nothing has been written.

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
export const MAX_FRAME = 256 * 1024 * 1024;

const VERBS: Record<Event['type'], WriteIntent['verb']> = { ADDED: 'create', MODIFIED: 'update', DELETED: 'delete' };

export interface ReceivedTrace {
  /** The spool file: the whole trace, as uploaded. */
  path: string;
  header: TraceHeader;
  /** How many events the replay writes (the base, then the window's events it keeps). */
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
    let total = 0;
    for await (const e of eventsToWrite(trace, spec, checkedEvent)) {
      total++;
      writes.set(`${e.res}|${e.ns}|${VERBS[e.type]}`, { res: e.res, ns: e.ns, verb: VERBS[e.type] });
    }
    // Past `until`: read to the end all the same (whole, counted, spooled), without decoding.
    for await (const _ of trace.batches);
    await new Promise((done) => out.end(done));
    if (spoolError) throw spoolError;
    return { path, header: trace.header, total, writes: [...writes.values()], discard };
  } catch (err) {
    out.destroy();
    discard();
    throw spoolError ?? (isStatusError(err) ? err : badRequest(`the body is not a readable trace: ${(err as Error).message}`));
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

/**
 * The events a replay of `spec` writes, in order: the base (the state at `from`), then every event
 * (recorded) or only the inputs — user and system writes — (rederive), up to `until`. `check` sees
 * every event read first.
 */
export async function* eventsToWrite(trace: Trace, spec: ReplaySpec, check: (e: Event) => Event = (e) => e): AsyncGenerator<Event> {
  for (const e of trace.base) yield check(e);
  const within = spec.until === undefined ? () => true : untilTest(spec.until, trace.header);
  for await (const chunk of trace.chunks) {
    for (const read of chunk) {
      const e = check(read);
      if (!within(e.rev, e.ts)) return;
      if (spec.mode === 'recorded' || INPUT_ACTORS.has(e.actor.kind)) yield e;
    }
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
