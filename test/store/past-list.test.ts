// Lists in the past are read through the history index (store/past-view.ts, store/rev-index.ts), not
// from a materialized state, so they must be checked against the live view's own list semantics:
// at random revs of a random history (creates, updates, deletes, re-creates under the same name,
// namespaces that sort tricky — "a" < "a-b" < "a.b" < "b" — and a cluster-scoped kind), a past list
// with and without a namespace, a label filter, and limit/continue paging equals a MemView holding the
// log replayed up to that rev, paged by the same `page` function — whether the list was prefetched
// (asynchronously, as the API does) or read synchronously, and whatever past list came before it
// (a list reuses the objects of the previous one). It holds again after reopening (the index then
// comes from the persisted segments, deletions included).
import t, { type Test } from 'tap';
import { VirtualClock } from '../../core/clock.ts';
import type { Event } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { pick, randomInt, seededRandom } from '../../core/random.ts';
import type { ListOptions, ListResult } from '../../store/store.ts';
import { decodeContinue, MemView, page } from '../../store/view.ts';
import { MemoryLevel } from 'memory-level';
import type { Db } from '../../store/db.ts';
import { openStore } from '../../store/index.ts';
import { classicBackend, collect, node, user, type TestStore } from './fixtures.ts';

const rng = seededRandom('past-list');
const NAMESPACES = ['a', 'a-b', 'a.b', 'b'];
const KINDS = [
  { res: 'v1/configmaps', api: 'v1', kind: 'ConfigMap', namespaced: true },
  { res: 'v1/nodes', api: 'v1', kind: 'Node', namespaced: false },
];
const STEPS = 300;

function object(k: (typeof KINDS)[number], name: string): KObject {
  const metadata: KObject['metadata'] = { name, labels: { app: pick(rng, ['web', 'db']) } };
  if (k.namespaced) metadata.namespace = pick(rng, NAMESPACES);
  return { apiVersion: k.api, kind: k.kind, metadata, data: { v: String(randomInt(rng, 1000)) } } as KObject;
}

/** One random valid write: create if absent, else update or (a third of the time) delete. */
async function step(s: TestStore): Promise<void> {
  const k = pick(rng, KINDS);
  const obj = object(k, `o${randomInt(rng, 12)}`);
  const ns = obj.metadata.namespace ?? '';
  const current = s.get(k.res, ns, obj.metadata.name!);
  if (!current) await s.commit([{ op: 'create', res: k.res, object: obj }], { actor: user });
  else if (rng() < 0.33) await s.commit([{ op: 'delete', res: k.res, ns, name: obj.metadata.name! }], { actor: user });
  else await s.commit([{ op: 'update', res: k.res, object: { ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } } }], { actor: user });
}

/** The reference: the live view's structure and paging over the log replayed up to `rev`. */
function expectedList(events: Event[], rev: number, res: string, opts: ListOptions): ListResult {
  const view = new MemView();
  for (const e of events) if (e.rev <= rev) view.apply(e);
  return page(view.objects(res, opts.namespace), rev, opts, opts.continue ? decodeContinue(opts.continue) : undefined);
}

/** Every page of a list at `rev`, following continue tokens. */
function allPages(list: (opts: ListOptions) => ListResult, opts: ListOptions): ListResult[] {
  const pages = [list(opts)];
  while (pages[pages.length - 1].continue) pages.push(list({ ...opts, continue: pages[pages.length - 1].continue }));
  return pages;
}

const plain = (x: unknown) => JSON.parse(JSON.stringify(x));

async function checkRandomRevs(t: Test, s: TestStore, events: Event[], label: string): Promise<void> {
  for (let i = 0; i < 25; i++) {
    const rev = randomInt(rng, s.rev + 1);
    const view = await s.at(rev);
    for (const k of KINDS) {
      const namespace = k.namespaced && rng() < 0.5 ? pick(rng, NAMESPACES) : undefined;
      const app = pick(rng, ['web', 'db']);
      const filter = rng() < 0.5 ? (o: KObject) => o.metadata.labels?.app === app : undefined;
      const opts: ListOptions = { namespace, filter };
      if (rng() < 0.5) await view.prefetch!(k.res, namespace);
      t.same(plain(view.list(k.res, opts)), plain(expectedList(events, rev, k.res, opts)), `${label}: at(${rev}) list ${k.res} ns=${namespace} filter=${!!filter}`);
      const limit = 1 + randomInt(rng, 3);
      const got = allPages((o) => view.list(k.res, o), { ...opts, limit });
      const want = allPages((o) => expectedList(events, rev, k.res, o), { ...opts, limit });
      t.same(plain(got), plain(want), `${label}: at(${rev}) pages of ${limit} of ${k.res}`);
      for (const obj of expectedList(events, rev, k.res, {}).items) {
        t.same(plain(view.get(k.res, obj.metadata.namespace ?? '', obj.metadata.name!)), plain(obj), `${label}: at(${rev}) get`);
      }
    }
  }
}

t.test('a list at a random past rev equals the live view of the log replayed to it', async (t) => {
  const backend = classicBackend.create();
  t.teardown(() => backend.cleanup());
  const clock = new VirtualClock();
  let s = await backend.open({ clock, checkpointEvery: 11 });
  for (let i = 0; i < STEPS; i++) {
    clock.advanceBy(1000);
    await step(s);
  }
  const events = await collect(s.read(0));
  t.ok(events.some((e) => e.type === 'DELETED'), 'the history deletes objects');
  await checkRandomRevs(t, s, events, 'live');
  await s.close();
  s = await backend.open({ clock, checkpointEvery: 11 });
  await checkRandomRevs(t, s, events, 'reopened');
  await s.close();
});

t.test('paging a past list keeps its rev while the log grows', async (t) => {
  const backend = classicBackend.create();
  t.teardown(() => backend.cleanup());
  const clock = new VirtualClock();
  const s = await backend.open({ clock });
  t.teardown(() => s.close());
  for (let i = 0; i < 6; i++) await s.commit([{ op: 'create', res: 'v1/nodes', object: { apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}` } } }], { actor: user });
  const rev = s.rev;
  const first = (await s.at(rev)).list('v1/nodes', { limit: 2 });
  await s.commit([{ op: 'delete', res: 'v1/nodes', ns: '', name: 'n3' }], { actor: user });
  await s.commit([{ op: 'create', res: 'v1/nodes', object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n10' } } }], { actor: user });
  const names: string[] = first.items.map((o) => o.metadata.name!);
  for (let token = first.continue; token; ) {
    const next = s.list('v1/nodes', { limit: 2, continue: token });
    t.equal(next.rev, rev, 'continued at the first page\'s rev');
    names.push(...next.items.map((o) => o.metadata.name!));
    token = next.continue;
  }
  t.same(names, ['n0', 'n1', 'n2', 'n3', 'n4', 'n5']);
});

t.test('an object unchanged since the past rev is the live object itself (nothing read or decoded)', async (t) => {
  const backend = classicBackend.create();
  t.teardown(() => backend.cleanup());
  const s = await backend.open({ clock: new VirtualClock() });
  t.teardown(() => s.close());
  const node = (name: string, v: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { v } } }) as KObject;
  for (const name of ['a', 'b', 'c']) await s.commit([{ op: 'create', res: 'v1/nodes', object: node(name, '1') }], { actor: user });
  const rev = s.rev;
  await s.commit([{ op: 'update', res: 'v1/nodes', object: node('b', '2') }], { actor: user });
  const past = (await s.at(rev)).list('v1/nodes').items;
  t.equal(past[0], s.get('v1/nodes', '', 'a'), 'a: the live object');
  t.equal(past[2], s.get('v1/nodes', '', 'c'), 'c: the live object');
  t.not(past[1], s.get('v1/nodes', '', 'b'), 'b changed since: read from the log');
  t.equal(past[1].metadata.labels?.v, '1');
  t.equal((await s.at(rev)).get('v1/nodes', '', 'a'), s.get('v1/nodes', '', 'a'), 'a point read too');
});

t.test('stepping through time reads from the log only the objects that changed between the steps', async (t) => {
  // A database that counts the event values read from it, by either read path.
  const db = new MemoryLevel<Buffer, Buffer>({ keyEncoding: 'buffer', valueEncoding: 'buffer' }) as unknown as Db;
  let reads = 0;
  const isEvent = (k: Buffer | Uint8Array | string) => typeof k !== 'string' && k[0] === 0x65; // 'e' (store/keys.ts)
  const getSync = db.getSync.bind(db);
  const getMany = db.getMany.bind(db);
  Object.assign(db, {
    getSync: (k: Buffer) => (isEvent(k) && reads++, getSync(k)),
    getMany: (ks: Buffer[]) => ((reads += ks.filter(isEvent).length), getMany(ks)),
  });
  const s = await openStore({ db, clock: new VirtualClock() });
  t.teardown(() => s.close());
  const labelled = (name: string, v: number) => ({ ...node(name), metadata: { name, labels: { v: String(v) } } }) as KObject;
  for (let i = 0; i < 20; i++) await s.commit([{ op: 'create', res: 'v1/nodes', object: labelled(`n${i}`, 0) }], { actor: user });
  const first = s.rev;
  for (let i = 0; i < 3; i++) await s.commit([{ op: 'update', res: 'v1/nodes', object: labelled(`n${i}`, 1) }], { actor: user });
  const second = s.rev;
  for (let i = 0; i < 20; i++) await s.commit([{ op: 'update', res: 'v1/nodes', object: labelled(`n${i}`, 2) }], { actor: user });

  reads = 0;
  const then = await s.at(first);
  await then.prefetch!('v1/nodes');
  const thenItems = then.list('v1/nodes').items;
  t.equal(thenItems.length, 20);
  t.equal(reads, 20, 'the first list reads every object (all changed since)');

  reads = 0;
  const later = await s.at(second);
  await later.prefetch!('v1/nodes');
  const items = later.list('v1/nodes').items;
  t.equal(reads, 3, 'the next step reads only the 3 objects updated in between');
  const byName = new Map(items.map((o) => [o.metadata.name!, o.metadata.labels!.v]));
  t.same([0, 1, 2, 3, 19].map((i) => byName.get(`n${i}`)), ['1', '1', '1', '0', '0'], 'each object as it was at the second step');
  t.equal(items.find((o) => o.metadata.name === 'n5'), thenItems.find((o) => o.metadata.name === 'n5'), 'an unchanged object is the very object of the previous list');
});

t.test('two past lists read at once each keep every object (the previous list changes under them)', async (t) => {
  const s = await openStore({ db: new MemoryLevel<Buffer, Buffer>({ keyEncoding: 'buffer', valueEncoding: 'buffer' }) as unknown as Db, clock: new VirtualClock() });
  t.teardown(() => s.close());
  const labelled = (name: string, v: number) => ({ ...node(name), metadata: { name, labels: { v: String(v) } } }) as KObject;
  for (let v = 0; v < 3; v++) {
    for (let i = 0; i < 10; i++) await s.commit([{ op: v === 0 ? 'create' : 'update', res: 'v1/nodes', object: labelled(`n${i}`, v) }], { actor: user });
  }
  (await s.at(10)).list('v1/nodes'); // the previous list: every node as created
  const [a, b] = [await s.at(20), await s.at(15)];
  await Promise.all([a.prefetch!('v1/nodes'), b.prefetch!('v1/nodes')]);
  t.same(b.list('v1/nodes').items.map((o) => o.metadata.labels!.v), ['1', '1', '1', '1', '1', '0', '0', '0', '0', '0'], 'at 15: five updated, five as created');
  t.same(a.list('v1/nodes').items.map((o) => o.metadata.labels!.v), Array(10).fill('1'), 'at 20: all updated once');
});
