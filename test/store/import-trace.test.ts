// A version 1 trace (plain msgpack events, docs/TRACES.md) still replays: written by hand here from
// a store's history, it gives the same log as the version 2 trace recorded from the same store, and
// both readers hand out the same events (`base`, `chunks`) — the records only change how bytes travel.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Packr } from 'msgpackr';
import t from 'tap';
import { VirtualClock } from '../../core/clock.ts';
import type { Event } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { logDigest } from '../../replays/digest.ts';
import { recordTrace, storeSource } from '../../replays/record.ts';
import { replayRecorded } from '../../replays/replay.ts';
import { readTrace, TRACE_FORMAT } from '../../replays/trace.ts';
import { stateEvents } from '../../api/rewind/state.ts';
import { classicDb, LevelStore, openStore } from '../../store/index.ts';
import { collect, user } from './fixtures.ts';

const cm = (name: string, v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { v } }) as KObject;

/** A version 1 file: header, base array, chunks of events — each a length-prefixed plain msgpack frame. */
async function writeV1(path: string, header: object, base: Event[], events: Event[]): Promise<void> {
  const out = createWriteStream(path);
  const packr = new Packr({ useRecords: false });
  for (const value of [header, base, events.slice(0, 5), events.slice(5)]) {
    const body = packr.pack(value);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    out.write(len);
    out.write(body);
  }
  out.end();
  await once(out, 'finish');
}

t.test('a version 1 trace replays to the same log as version 2', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-trace-v1-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const original = await openStore({ clock });
  t.teardown(() => original.close());
  for (let i = 0; i < 12; i++) {
    await original.commit([{ op: 'create', res: 'v1/configmaps', object: cm(`c${i}`, '0') }], { actor: user });
    if (i % 3 === 2) await original.commit([{ op: 'delete', res: 'v1/configmaps', ns: 'default', name: `c${i - 1}` }], { actor: user });
    clock.advanceBy(1000);
  }
  const from = 6;
  const base = await stateEvents(original, from);
  const events = await collect(original.read(from));
  const header = { format: TRACE_FORMAT, version: 1, from, to: original.rev, fromTime: base.at(-1)!.ts, toTime: events.at(-1)!.ts, baseEvents: base.length, events: events.length, source: 'rewind' };
  await writeV1(join(dir, 'v1.trace'), header, base, events);
  await recordTrace(storeSource(original, async (p) => Number(p)), join(dir, 'v2.trace'), { since: String(from) });

  const v1 = await readTrace(join(dir, 'v1.trace'));
  const v2 = await readTrace(join(dir, 'v2.trace'));
  t.same([v1.header.version, v2.header.version], [1, 2]);
  t.same(v2.base, v1.base, 'the same base events');
  t.same((await collect(v2.chunks)).flat(), events, 'version 2 chunks decode to the events');

  const digests = [];
  for (const name of ['v1', 'v2']) {
    await replayRecorded(await readTrace(join(dir, `${name}.trace`)), classicDb(join(dir, name)));
    const s = await LevelStore.open(classicDb(join(dir, name)));
    t.equal(s.rev, original.rev);
    t.same((await s.at(from)).list('v1/configmaps').items, (await original.at(from)).list('v1/configmaps').items, `${name}: the state at the window's start`);
    digests.push(await logDigest(s));
    await s.close();
  }
  t.equal(digests[0], digests[1], 'the same log');
});
