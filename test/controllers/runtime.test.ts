// The shared controller runtime over a real (in-memory) store and a virtual clock: keys, coalescing,
// actor and cause, backoff, requeue, the consistent overlay view, --controllers and metrics.
import t from 'tap';
import { VirtualClock } from '../../core/clock.ts';
import type { KObject } from '../../core/object.ts';
import { isEnabled, startControllers } from '../../controllers/manager.ts';
import { runUntilSettled } from '../../controllers/runtime/settle.ts';
import { objectKey, splitKey, type Controller } from '../../controllers/runtime/types.ts';
import { openStore } from '../../store/index.ts';

const CM = 'v1/configmaps';
const cm = (name: string, data: Record<string, string> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});
const user = { actor: { kind: 'user' as const, name: 'alice' } };
const selfKeys = { res: CM, keys: (e: { ns: string; name: string }) => [objectKey(e.ns, e.name)] };

async function setup(controller: Controller) {
  const clock = new VirtualClock();
  const store = await openStore({ clock, sync: 'none' });
  const manager = await startControllers(store, { clock, factories: [() => controller] });
  t.teardown(async () => {
    await manager.stop();
    await store.close();
  });
  return { clock, store, manager };
}

t.test('a write is reconciled with actor and cause = the triggering rev', async (t) => {
  const copier: Controller = {
    name: 'copier',
    watches: [selfKeys],
    reconcile(key, { view }) {
      const { ns, name } = splitKey(key);
      const o = view.get(CM, ns, name) as (KObject & { data: Record<string, string> }) | undefined;
      if (!o || o.data.copy === o.data.value) return { writes: [] };
      return { writes: [{ op: 'update', res: CM, object: { ...o, data: { ...o.data, copy: o.data.value } } }] };
    },
  };
  const { store, manager } = await setup(copier);
  const [created] = await store.commit([{ op: 'create', res: CM, object: cm('a', { value: 'x' }) }], user);
  await manager.whenIdle();
  const history = await store.history(CM, 'default', 'a');
  t.equal(history.length, 2);
  t.same(history[1].actor, { kind: 'controller', name: 'copier' });
  t.equal(history[1].cause, created.rev);
  t.equal((history[1].object as KObject & { data: Record<string, string> }).data.copy, 'x');
});

t.test('triggers for one key in one batch coalesce into one reconcile', async (t) => {
  let runs = 0;
  const counter: Controller = {
    name: 'counter',
    watches: [{ res: CM, keys: () => ['all'] }],
    initialKeys: () => [],
    reconcile() {
      runs++;
      return { writes: [] };
    },
  };
  const { store, manager } = await setup(counter);
  await store.commit(
    Array.from({ length: 10 }, (_, i) => ({ op: 'create' as const, res: CM, object: cm(`c${i}`) })),
    user,
  );
  await manager.whenIdle();
  t.equal(runs, 1);
  t.equal(manager.reconciles().counter, 1);
});

t.test('a failing reconcile is retried with exponential backoff on the clock', async (t) => {
  const attempts: number[] = [];
  const flaky: Controller = {
    name: 'flaky',
    watches: [selfKeys],
    reconcile(_key, { now }) {
      attempts.push(now);
      if (attempts.length <= 3) throw new Error('not yet');
      return { writes: [] };
    },
  };
  const { clock, store, manager } = await setup(flaky);
  const t0 = clock.now();
  await store.commit([{ op: 'create', res: CM, object: cm('f') }], user);
  const result = await runUntilSettled(manager, clock);
  t.same(attempts.map((a) => a - t0), [0, 5, 15, 35], 'waits 5, 10, 20 ms');
  t.ok(result.settled);
  t.match(manager.metricsText(), /controller_runtime_reconcile_errors_total\{controller="flaky"\} 3/);
});

t.test('requeueAfter runs the key again after that much virtual time', async (t) => {
  const runsAt: number[] = [];
  let t0 = 0;
  const timed: Controller = {
    name: 'timed',
    watches: [selfKeys],
    reconcile(_key, { now }) {
      runsAt.push(now - t0);
      return now - t0 < 3000 ? { writes: [], requeueAfter: 1000 } : { writes: [] };
    },
  };
  const { clock, store, manager } = await setup(timed);
  t0 = clock.now();
  await store.commit([{ op: 'create', res: CM, object: cm('r') }], user);
  await runUntilSettled(manager, clock);
  t.same(runsAt, [0, 1000, 2000, 3000]);
});

t.test('a reconcile sees the writes of its controller still in flight', async (t) => {
  const seen: Record<string, string[]> = {};
  const mirror: Controller = {
    name: 'mirror',
    watches: [{ res: CM, keys: (e) => (e.name.startsWith('in-') ? [objectKey(e.ns, e.name)] : []) }],
    initialKeys: () => [],
    reconcile(key, { view }) {
      const { ns, name } = splitKey(key);
      const out = `out-${name}`;
      seen[name] = view.list(CM, { namespace: ns }).items.map((o) => o.metadata.name!).filter((n) => n.startsWith('out-'));
      if (view.get(CM, ns, out)) return { writes: [] };
      return { writes: [{ op: 'create', res: CM, object: cm(out) }] };
    },
  };
  const { store, manager } = await setup(mirror);
  await store.commit(['in-a', 'in-b', 'in-c'].map((n) => ({ op: 'create' as const, res: CM, object: cm(n) })), user);
  await manager.whenIdle();
  t.same(seen, { 'in-a': [], 'in-b': ['out-in-a'], 'in-c': ['out-in-a', 'out-in-b'] });
  t.equal(store.list(CM).items.length, 6);
});

t.test('a commit Conflict is retried and the retry sees the new state', async (t) => {
  let runs = 0;
  const stale: Controller = {
    name: 'stale',
    watches: [selfKeys],
    reconcile(key, { view }) {
      runs++;
      const { ns, name } = splitKey(key);
      const o = view.get(CM, ns, name) as KObject & { data: Record<string, string> };
      if (o.data.done) return { writes: [] };
      // The first run writes against a resourceVersion that is already gone.
      const expectedRV = runs === 1 ? '0' : o.metadata.resourceVersion;
      return { writes: [{ op: 'update', res: CM, expectedRV, object: { ...o, data: { done: 'yes' } } }] };
    },
  };
  const { clock, store, manager } = await setup(stale);
  await store.commit([{ op: 'create', res: CM, object: cm('y') }], user);
  await runUntilSettled(manager, clock);
  t.equal(runs, 3, 'conflict, retry that writes, then in sync');
  t.equal((store.get(CM, 'default', 'y') as KObject & { data: Record<string, string> }).data.done, 'yes');
  t.match(manager.metricsText(), /controller_runtime_reconcile_total\{controller="stale",result="conflict"\} [1-9]/);
});

t.test('--controllers syntax', async (t) => {
  // name            enabled list              expected
  t.equal(isEnabled('deployment', ['*']), true, '* turns on everything');
  t.equal(isEnabled('scheduler', ['*', '-scheduler']), false, '-name switches one off');
  t.equal(isEnabled('scheduler', ['*,-scheduler']), false, 'comma-joined form');
  t.equal(isEnabled('gc', ['deployment']), false, 'without * only named ones run');
  t.equal(isEnabled('deployment', ['deployment']), true, 'a named one runs');
  t.equal(isEnabled('deployment', []), false, 'an empty list runs nothing');
});

t.test('metricsText is Prometheus text with one sample set per controller', async (t) => {
  const idle: Controller = { name: 'idle', watches: [selfKeys], reconcile: () => ({ writes: [] }) };
  const { store, manager } = await setup(idle);
  await store.commit([{ op: 'create', res: CM, object: cm('m') }], user);
  await manager.whenIdle();
  const text = manager.metricsText();
  t.match(text, /# TYPE controller_runtime_reconcile_time_seconds histogram/);
  t.match(text, /controller_runtime_reconcile_total\{controller="idle",result="success"\} 1/);
  t.match(text, /controller_runtime_reconcile_time_seconds_count\{controller="idle"\} 1/);
  t.match(text, /workqueue_depth\{name="idle"\} 0/);
});

t.test('OverlayView: held writes show in get and list, in order, until released', async (t) => {
  const { viewOf } = await import('../../controllers/runtime/testing.ts');
  const { OverlayView } = await import('../../controllers/runtime/overlay.ts');
  const base = viewOf([cm('b'), cm('d'), { ...cm('x'), metadata: { name: 'x', namespace: 'other' } }]);
  const view = new OverlayView(base);
  const release = view.hold([
    { op: 'create', res: CM, object: cm('c', { new: 'yes' }) },
    { op: 'delete', res: CM, ns: 'default', name: 'd' },
    { op: 'patch', res: CM, ns: 'default', name: 'b', apply: (o) => ({ ...o, data: { patched: 'yes' } }) },
    { op: 'create', res: CM, object: { ...cm('a'), metadata: { generateName: 'a-', namespace: 'default' } } },
  ]);
  const names = (ns?: string) => view.list(CM, { namespace: ns }).items.map((o) => o.metadata.name);
  t.same(names('default'), ['b', 'c'], 'c added, d deleted, the unnamed create unpredictable');
  t.same(names(), ['b', 'c', 'x']);
  t.same(view.get(CM, 'default', 'b')!.data, { patched: 'yes' });
  t.equal(view.get(CM, 'default', 'd'), undefined);
  t.same(view.list(CM, { filter: (o) => (o.data as Record<string, string>).new === 'yes' }).items.map((o) => o.metadata.name), ['c']);
  release();
  t.same(names('default'), ['b', 'd']);
  t.same(view.get(CM, 'default', 'b')!.data, {});
});

t.test('OverlayView: a list by field sees held writes enter and leave its value', async (t) => {
  const { viewOf } = await import('../../controllers/runtime/testing.ts');
  const { OverlayView } = await import('../../controllers/runtime/overlay.ts');
  const PODS = 'v1/pods';
  const pod = (name: string, nodeName?: string): KObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) },
  });
  const bind = (name: string, nodeName: string) => ({ op: 'patch' as const, res: PODS, ns: 'default', name, apply: (p: KObject) => ({ ...p, spec: { ...(p.spec as object), nodeName } }) });
  const view = new OverlayView(viewOf([pod('a'), pod('b'), pod('c', 'n1'), pod('d', 'n2')]));
  const on = (node: string, filter?: (p: KObject) => boolean) => view.list(PODS, { fields: { 'spec.nodeName': node }, filter }).items.map((p) => p.metadata.name);
  t.same(on('n1'), ['c'], 'nothing held: the base answer');
  const releaseA = view.hold([bind('a', 'n1')]);
  t.same(on('n1'), ['a', 'c'], 'a bound to n1 by a held write');
  t.same(on(''), ['b'], 'a no longer unbound');
  const releaseMove = view.hold([bind('c', 'n2'), { op: 'delete', res: PODS, ns: 'default', name: 'd' }]);
  t.same(on('n1'), ['a'], 'c moved away');
  t.same(on('n2'), ['c'], 'c moved in, d deleted');
  const releaseA2 = view.hold([bind('a', 'n2')]);
  t.same(on('n1'), [], 'a held twice: the latest write counts');
  t.same(on('n2'), ['a', 'c']);
  t.same(on('n2', (p) => p.metadata.name !== 'c'), ['a'], 'the filter applies to held objects too');
  t.same(view.list(PODS, { namespace: 'other', fields: { 'spec.nodeName': 'n2' } }).items, [], 'the namespace applies to held objects too');
  releaseA2();
  releaseA();
  t.same(on('n2'), ['c'], 'a released, c and d still held');
  t.same(on(''), ['a', 'b']);
  releaseMove();
  t.same(on('n1'), ['c'], 'all released: the base answer again');
  t.same(on('n2'), ['d']);
  t.same(on(''), ['a', 'b']);
});

t.test('OverlayView: a patch that edits in place is predicted on a copy, and the view\'s object stays as it was', async (t) => {
  const { viewOf } = await import('../../controllers/runtime/testing.ts');
  const { OverlayView } = await import('../../controllers/runtime/overlay.ts');
  const base = viewOf([cm('b', { v: '1' })]);
  const view = new OverlayView(base);
  const inPlace = (o: KObject) => {
    (o.data as Record<string, string>).v = String(Number((o.data as Record<string, string>).v) + 1);
    return o;
  };
  view.hold([{ op: 'patch', res: CM, ns: 'default', name: 'b', apply: inPlace }]);
  t.same(view.get(CM, 'default', 'b')!.data, { v: '2' }, 'predicted');
  view.hold([{ op: 'patch', res: CM, ns: 'default', name: 'b', apply: inPlace }]);
  t.same(view.get(CM, 'default', 'b')!.data, { v: '3' }, 'a second patch builds on the predicted object');
  t.same(base.get(CM, 'default', 'b')!.data, { v: '1' }, 'the base object untouched');
});

t.test('objects present at start are reconciled, their writes caused by the object\'s revision', async (t) => {
  const clock = new VirtualClock();
  const store = await openStore({ clock, sync: 'none' });
  const [created] = await store.commit([{ op: 'create', res: CM, object: cm('early', { value: 'v' }) }], user);
  const stamp: Controller = {
    name: 'stamp',
    watches: [selfKeys],
    reconcile(key, { view }) {
      const { ns, name } = splitKey(key);
      const o = view.get(CM, ns, name) as KObject & { data: Record<string, string> };
      return o.data.stamped ? { writes: [] } : { writes: [{ op: 'update', res: CM, object: { ...o, data: { ...o.data, stamped: 'yes' } } }] };
    },
  };
  const manager = await startControllers(store, { clock, factories: [() => stamp] });
  t.teardown(async () => {
    await manager.stop();
    await store.close();
  });
  await manager.whenIdle();
  const history = await store.history(CM, 'default', 'early');
  t.equal(history.length, 2);
  t.equal(history[1].cause, created.rev);
});

t.test('the next run of a key reads the committed object, not the predicted one (no self-conflict)', async (t) => {
  const counter: Controller = {
    name: 'count-to-3',
    watches: [selfKeys],
    reconcile(key, { view }) {
      const { ns, name } = splitKey(key);
      const o = view.get(CM, ns, name) as KObject & { data: Record<string, string> };
      const n = Number(o.data.n ?? 0);
      return n >= 3 ? { writes: [] } : { writes: [{ op: 'update', res: CM, object: { ...o, data: { n: String(n + 1) } } }] };
    },
  };
  const { clock, store, manager } = await setup(counter);
  await store.commit([{ op: 'create', res: CM, object: cm('n') }], user);
  await runUntilSettled(manager, clock);
  t.same(store.get(CM, 'default', 'n')!.data, { n: '3' });
  t.match(manager.metricsText(), /controller_runtime_reconcile_total\{controller="count-to-3",result="conflict"\} 0/);
});

t.test('runUntilSettled fails, naming the controllers at work, when writes never stop', async (t) => {
  const { NotSettledError } = await import('../../controllers/runtime/settle.ts');
  // Two controllers that undo each other's write at the same instant: never idle, the clock never moves.
  const setter = (name: string, value: string): Controller => ({
    name,
    watches: [selfKeys],
    reconcile(key, { view }) {
      const { ns, name: n } = splitKey(key);
      const o = view.get(CM, ns, n)!;
      return (o.data as Record<string, string> | undefined)?.owner === value ? { writes: [] } : { writes: [{ op: 'update', res: CM, object: { ...o, data: { owner: value } } }] };
    },
  });
  const clock = new VirtualClock();
  const store = await openStore({ clock, sync: 'none' });
  const manager = await startControllers(store, { clock, factories: [() => setter('blue', 'b'), () => setter('green', 'g')] });
  t.teardown(async () => {
    await manager.stop();
    await store.close();
  });
  await store.commit([{ op: 'create', res: CM, object: cm('contested') }], user);
  const err = await runUntilSettled(manager, clock, { maxReconciles: 200 }).catch((e: unknown) => e);
  t.ok(err instanceof NotSettledError, 'rejected with NotSettledError');
  const e = err as InstanceType<typeof NotSettledError>;
  t.match(e.message, /^controllers did not settle: more than 200 reconciles after 0 ms of virtual time; reconciles in this run: (blue|green) \d+, (blue|green) \d+$/);
  t.same(e.busiest.map(([name]) => name).sort(), ['blue', 'green']);
});

t.test('runUntilSettled fails after maxSteps timer jumps when a key requeues itself at the same instant', async (t) => {
  const { NotSettledError } = await import('../../controllers/runtime/settle.ts');
  const again: Controller = { name: 'again', watches: [selfKeys], reconcile: () => ({ writes: [], requeueAfter: 0 }) };
  const { clock, store, manager } = await setup(again);
  await store.commit([{ op: 'create', res: CM, object: cm('loop') }], user);
  const err = await runUntilSettled(manager, clock, { maxSteps: 50 }).catch((e: unknown) => e);
  t.ok(err instanceof NotSettledError);
  t.match((err as Error).message, /^controllers did not settle: 50 timer jumps after 0 ms of virtual time; reconciles in this run: again 5\d$/);
});
