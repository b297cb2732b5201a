// A trace recorded from a store and replayed in recorded mode reproduces the original exactly: every
// read at every revision of the window, every event, time lookups and histories; and replaying the
// same trace twice gives the same log, byte for byte.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { VirtualClock } from '../../core/clock.ts';
import type { Actor } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { RESOURCES } from '../../core/registry.ts';
import { classicDb, LevelStore, openStore, type Store } from '../../store/index.ts';
import { logDigest } from '../../replays/digest.ts';
import { recordTrace, storeSource } from '../../replays/record.ts';
import { replayRecorded } from '../../replays/replay.ts';
import { readTrace } from '../../replays/trace.ts';

const ALICE: Actor = { kind: 'user', name: 'alice' };
const RS: Actor = { kind: 'controller', name: 'replicaset' };
const cm = (name: string, v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', labels: { app: 'x' } }, data: { v } }) as KObject;
const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', generateName: 'web-' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } }) as KObject;

/** About 60 events of creates, updates, deletes and generated names, over virtual minutes, some sharing a time. */
async function history(store: Store, clock: VirtualClock): Promise<void> {
  for (let i = 0; i < 12; i++) {
    await store.commit([{ op: 'create', res: 'v1/configmaps', object: cm(`c${i}`, '0') }], { actor: ALICE });
    const [p] = await store.commit([{ op: 'create', res: 'v1/pods', object: { ...pod(''), metadata: { namespace: 'default', generateName: 'web-' } } }], { actor: RS, cause: store.rev });
    if (i % 3 === 0) await store.commit([{ op: 'delete', res: 'v1/pods', ns: 'default', name: p.name }], { actor: RS });
    await store.commit([{ op: 'update', res: 'v1/configmaps', object: cm(i % 2 ? `c${i}` : "c0", String(i)) }], { actor: ALICE });
    if (i % 4 === 3) await store.commit([{ op: 'delete', res: 'v1/configmaps', ns: 'default', name: `c${i - 1}` }], { actor: ALICE });
    clock.advanceBy(i % 2 === 0 ? 0 : 30_000);
  }
}

const resources = [...new Set(RESOURCES.map((r) => r.res))];
const snapshot = async (store: Store, rev: number) => {
  const v = await store.at(rev);
  return JSON.stringify({ ts: v.ts, lists: resources.map((res) => v.list(res).items) });
};

t.test('recorded replay reproduces every revision of the window', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-replay-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const original = await openStore({ clock, checkpointEvery: 7 });
  t.teardown(() => original.close());
  await history(original, clock);
  const from = 17;
  const tracePath = join(dir, 'w.trace');
  const rec = await recordTrace(storeSource(original, async (p) => Number(p)), tracePath, { since: String(from) });
  t.same(rec, { from, to: original.rev, events: original.rev - from });

  const trace = await readTrace(tracePath);
  t.equal(trace.header.format, 'rewind.dev/trace');
  t.equal(trace.header.version, 2);
  const last = await replayRecorded(trace, classicDb(join(dir, 'a')));
  t.equal(last, original.rev);
  const replayed = await LevelStore.open(classicDb(join(dir, 'a')));
  t.teardown(() => replayed.close());

  t.equal(replayed.rev, original.rev);
  t.equal(await snapshot(replayed, replayed.rev), await snapshot(original, original.rev), 'the live view');
  let same = 0;
  for (let r = from; r <= original.rev; r++) {
    if ((await snapshot(replayed, r)) === (await snapshot(original, r))) same++;
    else t.fail(`state differs at rev ${r}`);
  }
  t.equal(same, original.rev - from + 1, 'every revision of the window');
  const events = [];
  for await (const e of original.read(from)) events.push(e);
  const again = [];
  for await (const e of replayed.read(from)) again.push(e);
  t.same(again, events, 'the events, with ts, actor and cause');
  for (const e of events) {
    t.equal(await replayed.revAtTime(e.ts), await original.revAtTime(e.ts), `time lookup at ${e.ts}`);
    const h = (s: Store) => s.history(e.res, e.ns, e.name, { fromRev: from + 1 });
    t.same(await h(replayed), await h(original), `history of ${e.name}`);
  }
});

/** The history recorded from its start into a trace, in a temporary directory. */
async function wholeHistory(t: { teardown(fn: () => unknown): void }) {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-replay-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const original = await openStore({ clock });
  t.teardown(() => original.close());
  await history(original, clock);
  const tracePath = join(dir, 'all.trace');
  await recordTrace(storeSource(original, async (p) => Number(p)), tracePath);
  return { dir, original, tracePath };
}

t.test('--until stops early, and the same trace replayed twice gives the same log', async (t) => {
  const { dir, original, tracePath } = await wholeHistory(t);
  const digests = [];
  for (const name of ['a', 'b']) {
    await replayRecorded(await readTrace(tracePath), classicDb(join(dir, name)));
    const s = await LevelStore.open(classicDb(join(dir, name)));
    digests.push(await logDigest(s));
    await s.close();
  }
  t.equal(digests[0], digests[1], 'byte for byte');
  t.equal(digests[0], await logDigest(original), 'and the same as the original');
  const cut = await replayRecorded(await readTrace(tracePath), classicDb(join(dir, 'c')), { until: '20' });
  t.equal(cut, 20);
  const early = await replayRecorded(await readTrace(tracePath), classicDb(join(dir, 'd')), { until: '+30s' });
  const e = await original.event(early + 1);
  t.ok(e && e.ts > Date.UTC(2026, 0, 1) + 30_000, 'stopped at the first event after +30s');
  t.ok((await original.event(early))!.ts <= Date.UTC(2026, 0, 1) + 30_000);
});

t.test('--speed in a data directory divides the recorded gaps (virtual time); max keeps them', async (t) => {
  const { dir, original, tracePath } = await wholeHistory(t);
  const times = async (s: Store) => {
    const out: number[] = [];
    for await (const e of s.read(0)) out.push(e.ts);
    return out;
  };
  const recorded = await times(original);
  for (const [name, speed, expected] of [
    ['fast', 10, recorded.map((ts) => recorded[0] + Math.floor((ts - recorded[0]) / 10))],
    ['max', Infinity, recorded],
  ] as const) {
    await replayRecorded(await readTrace(tracePath), classicDb(join(dir, name)), { speed });
    const s = await LevelStore.open(classicDb(join(dir, name)));
    t.same(await times(s), expected, `speed ${speed}`);
    t.equal(await s.revAtTime(recorded[0] + 3_000), speed === 10 ? await original.revAtTime(recorded[0] + 30_000) : await original.revAtTime(recorded[0] + 3_000), 'time lookups follow the new times');
    await s.close();
  }
  t.ok(recorded[recorded.length - 1] - recorded[0] >= 60_000, 'the history spans minutes');
});
