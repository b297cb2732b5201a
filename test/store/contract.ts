// The Store contract: one suite every backend runs (memory.test.ts, classic.test.ts). Each test
// pins one promise of store/store.ts and fails if that promise breaks.
import type { TAP } from 'tap';
import { VirtualClock } from '../../core/clock.ts';
import { badRequest, isStatusError, STALE_OBJECT } from '../../core/errors.ts';
import type { Event } from '../../core/events.ts';
import { NAME_ALPHABET } from '../../core/random.ts';
import { collect, deployment, node, pod, user, type BackendFactory, type TestStore } from './fixtures.ts';
import type { StoreOptions } from '../../store/store.ts';

/** "Reason: message" of a rejected promise (or of a thrown StatusError). */
async function failure(p: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    await (typeof p === 'function' ? p() : p);
    return 'no error';
  } catch (e) {
    if (!isStatusError(e)) throw e;
    return `${e.reason}: ${e.message}`;
  }
}

export function contract(tap: TAP, backend: BackendFactory): void {
  /** Run `fn` with a fresh store on a fresh database, closed (and cleaned) afterwards. */
  const withStore = (name: string, fn: (s: TestStore, clock: VirtualClock, reopen: (o?: StoreOptions) => Promise<TestStore>) => Promise<void>, opts: StoreOptions = {}) =>
    tap.test(`${backend.name}: ${name}`, async () => {
      const b = backend.create();
      const clock = new VirtualClock();
      let s = await b.open({ clock, ...opts });
      const reopen = async (o?: StoreOptions) => {
        await s.close();
        s = await b.open({ clock, ...opts, ...o });
        return s;
      };
      try {
        await fn(s, clock, reopen);
      } finally {
        await s.close();
        b.cleanup();
      }
    });

  withStore('create stamps metadata; get and list return it', async (s) => {
    const [e] = await s.commit([{ op: 'create', res: 'v1/pods', object: pod('web') }], { actor: user });
    const t = tap; // keep assertions on the root so the subtest needs no plan
    t.equal(e.rev, 1);
    t.equal(e.type, 'ADDED');
    t.match(e.object.metadata, { name: 'web', namespace: 'default', generation: 1, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z' });
    t.match(e.object.metadata.uid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    t.same(s.get('v1/pods', 'default', 'web'), e.object);
    t.same(s.list('v1/pods').items.map((o) => o.metadata.name), ['web']);
    t.equal(s.list('v1/pods').rev, 1);
    t.equal(s.rev, 1);
    t.equal(s.ts, Date.UTC(2026, 0, 1));
  });

  withStore('generateName: 5 chars of the Kubernetes alphabet, the same for the same seed', async (s) => {
    const gen = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'web-', namespace: 'default' }, spec: {} };
    const [e] = await s.commit([{ op: 'create', res: 'v1/pods', object: gen }], { actor: user });
    tap.match(e.object.metadata.name, new RegExp(`^web-[${NAME_ALPHABET}]{5}$`));
    const other = await backend.create().open({ clock: new VirtualClock(), seed: 0 });
    const [again] = await other.commit([{ op: 'create', res: 'v1/pods', object: gen }], { actor: user });
    tap.equal(again.object.metadata.name, e.object.metadata.name, 'same seed, same name');
    tap.equal(again.object.metadata.uid, e.object.metadata.uid, 'same seed, same uid');
    await other.close();
    const third = await backend.create().open({ clock: new VirtualClock(), seed: 7 });
    const [seeded] = await third.commit([{ op: 'create', res: 'v1/pods', object: gen }], { actor: user });
    tap.not(seeded.object.metadata.uid, e.object.metadata.uid, 'another seed, another uid');
    await third.close();
  });

  withStore('create of an existing object: AlreadyExists, nothing written', async (s) => {
    await s.commit([{ op: 'create', res: 'apps/v1/deployments', object: deployment('web') }], { actor: user });
    const err = await failure(s.commit([{ op: 'create', res: 'apps/v1/deployments', object: deployment('web') }], { actor: user }));
    tap.equal(err, 'AlreadyExists: deployments.apps "web" already exists');
    tap.equal(s.rev, 1);
  });

  withStore('update: NotFound when missing, Conflict when stale, nothing written', async (s) => {
    tap.equal(await failure(s.commit([{ op: 'update', res: 'v1/pods', object: pod('ghost') }], { actor: user })), 'NotFound: pods "ghost" not found');
    await s.commit([{ op: 'create', res: 'v1/pods', object: pod('web') }], { actor: user });
    await s.commit([{ op: 'update', res: 'v1/pods', object: pod('web') }], { actor: user });
    const stale = { ...pod('web'), metadata: { ...pod('web').metadata, resourceVersion: '1' } };
    tap.equal(await failure(s.commit([{ op: 'update', res: 'v1/pods', object: stale }], { actor: user })), `Conflict: Operation cannot be fulfilled on pods "web": ${STALE_OBJECT}`);
    tap.match(await failure(s.commit([{ op: 'update', res: 'v1/pods', object: pod('web'), expectedRV: '1' }], { actor: user })), /^Conflict/);
    tap.match(await failure(s.commit([{ op: 'patch', res: 'v1/pods', ns: 'default', name: 'web', apply: (o) => o, expectedRV: '1' }], { actor: user })), /^Conflict/);
    tap.match(await failure(s.commit([{ op: 'delete', res: 'v1/pods', ns: 'default', name: 'web', expectedRV: '1' }], { actor: user })), /^Conflict/);
    tap.equal(s.rev, 2, 'no write after a rejection');
    const [ok] = await s.commit([{ op: 'update', res: 'v1/pods', object: pod('web'), expectedRV: '2' }], { actor: user });
    tap.equal(ok.rev, 3, 'the current resourceVersion is accepted');
  });

  withStore('update keeps identity, bumps generation only for spec changes', async (s) => {
    const [c] = await s.commit([{ op: 'create', res: 'v1/pods', object: pod('web') }], { actor: user });
    const meta = c.object.metadata;
    const relabel = { ...c.object, metadata: { ...meta, labels: { a: 'b' }, uid: 'forged', creationTimestamp: '1999-01-01T00:00:00Z' }, status: { phase: 'Running' } };
    const [u1] = await s.commit([{ op: 'update', res: 'v1/pods', object: relabel }], { actor: user });
    tap.match(u1.object.metadata, { uid: meta.uid, creationTimestamp: meta.creationTimestamp, generation: 1, resourceVersion: '2', labels: { a: 'b' } });
    const [u2] = await s.commit([{ op: 'patch', res: 'v1/pods', ns: 'default', name: 'web', apply: (o) => ({ ...o, spec: { changed: true } }) }], { actor: user });
    tap.equal(u2.object.metadata.generation, 2);
    tap.equal(u2.type, 'MODIFIED');
  });

  withStore('a commit is all or nothing, and its mutations see each other', async (s) => {
    const emitted: Event[] = [];
    s.events$.subscribe((e) => emitted.push(e));
    const err = await failure(s.commit([
      { op: 'create', res: 'v1/pods', object: pod('a') },
      { op: 'create', res: 'v1/nodes', object: node('n1') },
      { op: 'update', res: 'v1/pods', object: pod('missing') },
    ], { actor: user }));
    tap.match(err, /^NotFound/);
    tap.equal(s.rev, 0);
    tap.equal(s.get('v1/pods', 'default', 'a'), undefined);
    tap.equal(emitted.length, 0);
    const evs = await s.commit([
      { op: 'create', res: 'v1/pods', object: pod('a') },
      { op: 'patch', res: 'v1/pods', ns: 'default', name: 'a', apply: (o) => ({ ...o, spec: { v: 2 } }) },
      { op: 'create', res: 'v1/pods', object: pod('b') },
      { op: 'delete', res: 'v1/pods', ns: 'default', name: 'b' },
    ], { actor: user, cause: 42 });
    tap.same(evs.map((e) => [e.rev, e.type, e.name, e.cause]), [[1, 'ADDED', 'a', 42], [2, 'MODIFIED', 'a', 42], [3, 'ADDED', 'b', 42], [4, 'DELETED', 'b', 42]]);
    tap.same(s.get('v1/pods', 'default', 'a')?.spec, { v: 2 });
    tap.equal(s.get('v1/pods', 'default', 'b'), undefined);
  });

  withStore('delete: DELETED carries the last state at the delete rev; uid precondition', async (s) => {
    const [c] = await s.commit([{ op: 'create', res: 'v1/nodes', object: node('n1') }], { actor: user });
    tap.match(await failure(s.commit([{ op: 'delete', res: 'v1/nodes', ns: '', name: 'n1', expectedUid: 'nope' }], { actor: user })), /^Conflict: .*Precondition failed: UID in precondition: nope/);
    const [d] = await s.commit([{ op: 'delete', res: 'v1/nodes', ns: '', name: 'n1', expectedUid: c.object.metadata.uid }], { actor: user });
    tap.match(d, { type: 'DELETED', rev: 2, object: { metadata: { name: 'n1', resourceVersion: '2', uid: c.object.metadata.uid } } });
    tap.equal(s.get('v1/nodes', '', 'n1'), undefined);
    tap.equal(await failure(s.commit([{ op: 'delete', res: 'v1/nodes', ns: '', name: 'n1' }], { actor: user })), 'NotFound: nodes "n1" not found');
  });

  // Kubernetes' ShouldDeleteDuringUpdate: deletionTimestamp set, grace period 0, no finalizers left.
  withStore('deletion rule: the update that drops the last finalizer of a terminating object deletes it', async (s) => {
    const obj = { ...pod('web'), metadata: { name: 'web', namespace: 'default', finalizers: ['x/y'] } };
    await s.commit([{ op: 'create', res: 'v1/pods', object: obj }], { actor: user });
    const terminate = (o: typeof obj) => ({ ...o, metadata: { ...o.metadata, deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 0 } });
    const [t1] = await s.commit([{ op: 'patch', res: 'v1/pods', ns: 'default', name: 'web', apply: (o) => terminate(o as typeof obj) }], { actor: user });
    tap.equal(t1.type, 'MODIFIED', 'a finalizer is left: still there');
    tap.ok(s.get('v1/pods', 'default', 'web'));
    const drop = (o: typeof obj) => ({ ...o, metadata: { ...o.metadata, finalizers: [] } });
    const [t2] = await s.commit([{ op: 'patch', res: 'v1/pods', ns: 'default', name: 'web', apply: (o) => drop(o as typeof obj) }], { actor: user });
    tap.equal(t2.type, 'DELETED');
    tap.equal(s.get('v1/pods', 'default', 'web'), undefined);
    const graceful = { ...pod('g'), metadata: { name: 'g', namespace: 'default', deletionTimestamp: '2026-01-01T00:00:30Z', deletionGracePeriodSeconds: 30 } };
    await s.commit([{ op: 'create', res: 'v1/pods', object: pod('g') }], { actor: user });
    const [t3] = await s.commit([{ op: 'update', res: 'v1/pods', object: graceful }], { actor: user });
    tap.equal(t3.type, 'MODIFIED', 'a pod in its grace period waits for the kubelet');
  });

  withStore('group commit: concurrent callers share batches; events$ in rev order', async (s) => {
    const seen: number[] = [];
    s.events$.subscribe((e) => seen.push(e.rev));
    const first = s.commit([{ op: 'create', res: 'v1/pods', object: pod('p0') }], { actor: user });
    await Promise.resolve(); // the writer starts on a microtask; later callers arrive mid-write
    await Promise.resolve();
    const rest = Array.from({ length: 199 }, (_, i) => s.commit([{ op: 'create', res: 'v1/pods', object: pod(`p${i + 1}`) }], { actor: user }));
    const results = await Promise.all([first, ...rest]);
    const revs = results.map(([e]) => e.rev);
    tap.equal(new Set(revs).size, 200, 'every commit got its own rev');
    tap.same(seen, Array.from({ length: 200 }, (_, i) => i + 1), 'emitted once each, in rev order');
    tap.equal(s.batchSizes.reduce((a, b) => a + b, 0), 200);
    // The first caller is written alone; the 199 who arrived meanwhile share batches of up to 64.
    tap.ok(s.batchSizes.length <= 1 + Math.ceil(199 / 64), `200 callers in ${s.batchSizes.length} batches (${s.batchSizes.join(', ')})`);
    tap.equal(s.batchSizes[0], 1, 'the first caller did not wait for the others');
  });

  withStore('concurrent callers see each other across pipelined batches: one create wins, one update per rv', async (s) => {
    const creates = await Promise.allSettled(Array.from({ length: 300 }, () => s.commit([{ op: 'create', res: 'v1/pods', object: pod('x') }], { actor: user })));
    tap.equal(creates.filter((r) => r.status === 'fulfilled').length, 1, 'one create of x, 299 AlreadyExists');
    const rv = s.get('v1/pods', 'default', 'x')!.metadata.resourceVersion;
    const updates = await Promise.allSettled(Array.from({ length: 300 }, (_, i) => s.commit([{ op: 'update', res: 'v1/pods', object: pod('x', 'default', { i }), expectedRV: rv }], { actor: user })));
    tap.equal(updates.filter((r) => r.status === 'fulfilled').length, 1, 'one update at that resourceVersion, 299 Conflict');
    tap.equal(s.rev, 2);
  });

  withStore('events$ emits after the event is durable and applied', async (s) => {
    const checks: Array<Promise<boolean>> = [];
    s.events$.subscribe((e) => {
      tap.equal(s.get(e.res, e.ns, e.name)?.metadata.resourceVersion, String(e.rev), 'view already applied');
      checks.push(s.event(e.rev).then((stored) => stored?.rev === e.rev));
    });
    await s.commit([{ op: 'create', res: 'v1/pods', object: pod('a') }], { actor: user });
    tap.same(await Promise.all(checks), [true]);
  });

  withStore('dryRun computes the events and writes nothing', async (s) => {
    await s.commit([{ op: 'create', res: 'v1/pods', object: pod('a') }], { actor: user });
    let emitted = 0;
    s.events$.subscribe(() => emitted++);
    const [e] = await s.commit([{ op: 'create', res: 'v1/pods', object: pod('b') }], { actor: user, dryRun: true });
    tap.match(e, { rev: 2, type: 'ADDED', object: { metadata: { name: 'b', resourceVersion: '2' } } });
    tap.equal(s.rev, 1);
    tap.equal(s.get('v1/pods', 'default', 'b'), undefined);
    tap.equal(emitted, 0);
    tap.match(await failure(s.commit([{ op: 'create', res: 'v1/pods', object: pod('a') }], { actor: user, dryRun: true })), /^AlreadyExists/);
  });

  withStore('admission runs inside the commit: defaults are stored, a rejection writes nothing', async (s) => {
    await s.commit([{ op: 'create', res: 'v1/pods', object: pod('web') }], { actor: user });
    await s.commit([{ op: 'update', res: 'v1/pods', object: pod('web') }], { actor: user });
    tap.same(s.get('v1/pods', 'default', 'web')?.metadata.labels, { defaulted: 'create' });
    tap.same(s.get('v1/pods', 'default', 'web')?.metadata.annotations, { old: '1' }, 'update sees the old object');
    tap.match(await failure(s.commit([{ op: 'create', res: 'v1/pods', object: pod('bad') }], { actor: user })), /^BadRequest: no bad pods/);
    tap.equal(s.rev, 2);
  }, {
    admit: ({ op, object, old }) => {
      if (object.metadata.name === 'bad') throw badRequest('no bad pods');
      if (op === 'create') return { ...object, metadata: { ...object.metadata, labels: { defaulted: 'create' } } };
      return { ...object, metadata: { ...object.metadata, labels: old?.metadata.labels, annotations: { old: old?.metadata.resourceVersion ?? '' } } };
    },
  });

  withStore('commit takes ownership: what it stores is frozen, and nobody can change it', async (s) => {
    const input = pod('web');
    await s.commit([{ op: 'create', res: 'v1/pods', object: input }], { actor: user });
    tap.throws(() => {
      (input.spec as Record<string, unknown>).containers = [];
    }, TypeError, 'the input was frozen in place');
    tap.throws(() => {
      ((input.spec as { containers: Array<{ image: string }> }).containers[0]).image = 'evil';
    }, TypeError, 'all the way down');
    tap.same((s.get('v1/pods', 'default', 'web')?.spec as { containers: unknown[] }).containers.length, 1);
    const got = s.get('v1/pods', 'default', 'web')!;
    tap.throws(() => {
      got.metadata.name = 'other';
    }, TypeError);
    tap.equal(s.get('v1/pods', 'default', 'web')?.metadata.name, 'web');
  });

  withStore('list: (namespace, name) order, namespace, filter, limit/continue, remaining', async (s) => {
    const names = [['b', 'y'], ['a', 'z'], ['b', 'x'], ['a', 'a'], ['c', 'm']];
    await s.commit(names.map(([ns, n]) => ({ op: 'create' as const, res: 'v1/pods', object: pod(n, ns) })), { actor: user });
    const key = (o: { metadata: { namespace?: string; name?: string } }) => `${o.metadata.namespace}/${o.metadata.name}`;
    tap.same(s.list('v1/pods').items.map(key), ['a/a', 'a/z', 'b/x', 'b/y', 'c/m']);
    tap.same(s.list('v1/pods', { namespace: 'b' }).items.map(key), ['b/x', 'b/y']);
    tap.same(s.list('v1/pods', { filter: (o) => o.metadata.name! > 'x' }).items.map(key), ['a/z', 'b/y']);
    const p1 = s.list('v1/pods', { limit: 2 });
    tap.same([p1.items.map(key), p1.remaining, p1.rev], [['a/a', 'a/z'], 3, 5]);
    // The cluster moves on: the next pages still show rev 5.
    await s.commit([{ op: 'create', res: 'v1/pods', object: pod('b', 'a') }, { op: 'delete', res: 'v1/pods', ns: 'c', name: 'm' }], { actor: user });
    const p2 = s.list('v1/pods', { limit: 2, continue: p1.continue });
    tap.same([p2.items.map(key), p2.remaining, p2.rev], [['b/x', 'b/y'], 1, 5]);
    const p3 = s.list('v1/pods', { limit: 2, continue: p2.continue });
    tap.same([p3.items.map(key), p3.continue, p3.rev], [['c/m'], undefined, 5]);
    tap.match(await failure(() => s.list('v1/pods', { continue: 'garbage' })), /^BadRequest: continue key is not valid/);
    tap.same(s.list('v1/services').items, []);
  });

  withStore('at(rev), at({time}), revAtTime: the cluster as it was', async (s, clock) => {
    await s.commit([{ op: 'create', res: 'v1/pods', object: pod('a') }], { actor: user }); // rev 1 at t0
    clock.advanceBy(60_000);
    await s.commit([{ op: 'patch', res: 'v1/pods', ns: 'default', name: 'a', apply: (o) => ({ ...o, spec: { v: 2 } }) }], { actor: user }); // rev 2 at t0+60s
    await s.commit([{ op: 'create', res: 'v1/pods', object: pod('b') }], { actor: user }); // rev 3
    clock.advanceBy(60_000);
    await s.commit([{ op: 'delete', res: 'v1/pods', ns: 'default', name: 'a' }], { actor: user }); // rev 4 at t0+120s
    const t0 = Date.UTC(2026, 0, 1);
    const v1 = await s.at(1);
    tap.same([v1.rev, v1.ts, v1.get('v1/pods', 'default', 'a')?.spec, v1.get('v1/pods', 'default', 'b')], [1, t0, pod('a').spec, undefined]);
    tap.same((await s.at(3)).list('v1/pods').items.map((o) => o.metadata.resourceVersion), ['2', '3']);
    tap.equal((await s.at(4)).get('v1/pods', 'default', 'a'), undefined, 'deleted at 4');
    tap.same((await s.at(0)).list('v1/pods').items, []);
    tap.same([await s.revAtTime(t0 - 1), await s.revAtTime(t0), await s.revAtTime(t0 + 90_000), await s.revAtTime(t0 + 10 ** 9)], [0, 1, 3, 4]);
    tap.equal((await s.at({ time: t0 + 60_000 })).rev, 3);
    tap.match(await failure(s.at(5)), /^BadRequest: revision 5 is in the future/);
  });

  withStore('history and diff of one object across lifetimes', async (s) => {
    await s.commit([{ op: 'create', res: 'v1/pods', object: pod('a') }], { actor: user });
    await s.commit([{ op: 'create', res: 'v1/pods', object: pod('other') }], { actor: user });
    await s.commit([{ op: 'patch', res: 'v1/pods', ns: 'default', name: 'a', apply: (o) => ({ ...o, metadata: { ...o.metadata, labels: { x: 'y' } } }) }], { actor: user });
    await s.commit([{ op: 'delete', res: 'v1/pods', ns: 'default', name: 'a' }], { actor: user });
    await s.commit([{ op: 'create', res: 'v1/pods', object: pod('a') }], { actor: user });
    tap.same((await s.history('v1/pods', 'default', 'a')).map((e) => [e.rev, e.type]), [[1, 'ADDED'], [3, 'MODIFIED'], [4, 'DELETED'], [5, 'ADDED']]);
    tap.same((await s.history('v1/pods', 'default', 'a', { fromRev: 2, toRev: 4 })).map((e) => e.rev), [3, 4]);
    tap.same(await s.diff('v1/pods', 'default', 'a', 1, 3), [
      { op: 'replace', path: '/metadata/resourceVersion', value: '3' },
      { op: 'add', path: '/metadata/labels', value: { x: 'y' } },
    ]);
  });

  withStore('read and event: the log itself', async (s) => {
    for (let i = 0; i < 5; i++) await s.commit([{ op: 'create', res: 'v1/pods', object: pod(`p${i}`) }], { actor: user });
    tap.same((await collect(s.read(0))).map((e) => e.rev), [1, 2, 3, 4, 5]);
    tap.same((await collect(s.read(2, 4))).map((e) => e.rev), [3, 4]);
    tap.match(await s.event(3), { rev: 3, name: 'p2', actor: user });
    tap.equal(await s.event(6), undefined);
  });

  withStore('watch(rev): the log, then live, each once; a future rev is BadRequest', async (s) => {
    for (let i = 0; i < 3; i++) await s.commit([{ op: 'create', res: 'v1/pods', object: pod(`p${i}`) }], { actor: user });
    const got: number[] = [];
    const sub = s.watch(1).subscribe((e) => got.push(e.rev));
    await s.commit([{ op: 'create', res: 'v1/pods', object: pod('p3') }], { actor: user });
    await s.commit([{ op: 'create', res: 'v1/pods', object: pod('p4') }], { actor: user });
    while (got.length < 4) await new Promise((r) => setImmediate(r));
    sub.unsubscribe();
    tap.same(got, [2, 3, 4, 5]);
    const err = await new Promise((resolve) => s.watch(99).subscribe({ error: resolve }));
    tap.match(isStatusError(err) && err.reason, 'BadRequest');
  });

  withStore('close then reopen: same state, same log, same past', async (s, _clock, reopen) => {
    for (let i = 0; i < 12; i++) await s.commit([{ op: 'create', res: 'v1/pods', object: pod(`p${i}`) }], { actor: user });
    await s.commit([{ op: 'delete', res: 'v1/pods', ns: 'default', name: 'p3' }], { actor: user });
    const before = s.list('v1/pods');
    const past = (await s.at(7)).list('v1/pods');
    const s2 = await reopen();
    tap.equal(s2.rev, 13);
    tap.equal((await s2.at(4)).get('v1/pods', 'default', 'p3')?.metadata.resourceVersion, '4', 'point read in the past after reopen');
    tap.equal((await s2.at(2)).get('v1/pods', 'default', 'p3'), undefined, 'not yet created at 2');
    tap.same(s2.list('v1/pods'), before);
    tap.same((await s2.at(7)).list('v1/pods'), past);
    tap.same((await s2.at(13)).get('v1/pods', 'default', 'p3'), undefined);
    const [e] = await s2.commit([{ op: 'create', res: 'v1/pods', object: { ...pod('x'), status: { deep: [{ shape: 1 }] } } }], { actor: user });
    tap.equal(e.rev, 14, 'revisions continue');
    const s3 = await reopen();
    tap.same(s3.get('v1/pods', 'default', 'x')?.status, { deep: [{ shape: 1 }] }, 'new record shapes decode after reopen');
  }, { checkpointEvery: 5 });
}
