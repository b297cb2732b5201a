// Reading a trace file that is not whole: cut inside a frame, between two frames (fewer events than
// the header announces), before its base, or not a trace at all — each a TraceError naming the file
// and what is wrong, found before or while the events are read; `rewind replay --data` says so and
// exits 1 instead of crashing.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Event } from '../../core/events.ts';
import { readTrace, TraceError, TraceWriter } from '../../replays/trace.ts';
import { run } from '../kubectl/harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'rewind-trace-read-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

const T0 = Date.UTC(2026, 0, 1);
const event = (rev: number): Event => ({ rev, ts: T0 + rev, type: 'ADDED', res: 'v1/configmaps', ns: 'default', name: `cm-${rev}`, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${rev}`, namespace: 'default' } }, actor: { kind: 'user', name: 'alice' } });

/** A trace of 1,500 events (two chunks: 1,024 and 476) and where each of its frames ends. */
async function whole(): Promise<{ bytes: Buffer; ends: number[] }> {
  const path = join(dir, 'whole.trace');
  const w = await TraceWriter.create(path, { from: 0, to: 1500, fromTime: T0, toTime: T0 + 1500, baseEvents: 0, events: 1500, source: 'test' }, []);
  for (let rev = 1; rev <= 1500; rev++) await w.add(event(rev));
  await w.close();
  const bytes = readFileSync(path);
  const ends: number[] = [];
  for (let at = 0; at < bytes.length; at += 4 + bytes.readUInt32BE(at)) ends.push(at + 4 + bytes.readUInt32BE(at));
  return { bytes, ends };
}

/** Read every event of the file; resolves with how many, or rejects as the reader does. */
async function readAll(path: string): Promise<number> {
  let n = 0;
  for await (const chunk of (await readTrace(path)).chunks) n += chunk.length;
  return n;
}

t.test('a trace cut anywhere is refused with a TraceError saying where', async (t) => {
  const { bytes, ends } = await whole();
  t.equal(ends.length, 4, 'header, base, two chunks');
  t.equal(await readAll(join(dir, 'whole.trace')), 1500);
  for (const [cut, message] of [
    [ends[3] - 10, /cut\.trace is truncated$/],
    [ends[2], /cut\.trace is truncated: it holds 1024 of the 1500 events its header announces/],
    [ends[0], /cut\.trace is truncated: it ends before its base/],
    [2, /cut\.trace is not a Rewind trace/],
  ] as const) {
    writeFileSync(join(dir, 'cut.trace'), bytes.subarray(0, cut));
    const err = await readAll(join(dir, 'cut.trace')).catch((e: unknown) => e);
    t.ok(err instanceof TraceError, `cut at ${cut}: a TraceError`);
    t.match((err as Error).message, message);
  }
  const frame = (...body: number[]) => Buffer.from([0, 0, 0, body.length, ...body]);
  writeFileSync(join(dir, 'cut.trace'), Buffer.concat([bytes.subarray(0, ends[1]), frame(0x82)]));
  await t.rejects(readAll(join(dir, 'cut.trace')), { message: /cut\.trace is corrupt: a frame is not msgpack/ });
  writeFileSync(join(dir, 'cut.trace'), Buffer.concat([bytes.subarray(0, ends[1]), frame(0x2a)]));
  await t.rejects(readAll(join(dir, 'cut.trace')), { message: /cut\.trace is corrupt: a chunk is not a batch of events/ });
});

t.test('rewind replay --data of a truncated trace says so and exits 1', async (t) => {
  const { bytes, ends } = await whole();
  writeFileSync(join(dir, 'cut.trace'), bytes.subarray(0, ends[2]));
  const REWIND = fileURLToPath(new URL('../../bin/rewind', import.meta.url));
  const r = await run('env', ['NODE_OPTIONS=', process.execPath, REWIND, 'replay', join(dir, 'cut.trace'), '--data', join(dir, 'data'), '--quiet']);
  t.equal(r.code, 1);
  t.match(r.stderr, /^.*cut\.trace is truncated: it holds 1024 of the 1500 events its header announces; .*data holds only the events before that point\n$/);
});

t.test('a reader that stops early closes the trace file', async (t) => {
  const { bytes } = await whole();
  const path = join(dir, 'early.trace');
  writeFileSync(path, bytes);
  const open = () => readdirSync('/proc/self/fd').length;
  // Closing is asynchronous (the stream's fd is closed on libuv's pool): wait for it, boundedly.
  const settled = async (want: number) => {
    for (let i = 0; i < 100 && open() > want; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    return open();
  };
  await readAll(path);
  const before = await settled(0);
  for (let i = 0; i < 5; i++) {
    for await (const chunk of (await readTrace(path)).lazyChunks) if (chunk.size > 0) break;
    for await (const chunk of (await readTrace(path)).chunks) if (chunk.length > 0) break;
  }
  t.ok((await settled(before)) <= before, 'no file handle left open');
});
