// The scheduler's NodeInfo cache (controllers/scheduler/cache.ts): kept current from events, it must
// hold at every revision exactly what a snapshot summing the view's pods gives — requests, scoring
// requests, host ports, pods per controller and node — and treat assumed bindings as kube-scheduler
// does: counted at once, confirmed by their event, forgotten when the view does not show them.
import t from 'tap';
import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { OverlayView } from '../../controllers/runtime/overlay.ts';
import { NodeInfoCache } from '../../controllers/scheduler/cache.ts';
import { randomInt, seededRandom } from '../../core/random.ts';
import { openStore } from '../../store/index.ts';
import type { ReadView } from '../../store/store.ts';

const PODS = 'v1/pods';
const NODES = 'v1/nodes';
const user = { actor: { kind: 'user' as const, name: 'alice' } };
const NODE_NAMES = ['node-1', 'node-2', 'node-3'];
const OWNERS = ['rs-a', 'rs-b'];

const node = (name: string, cpu = '4'): KObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { allocatable: { cpu, memory: '8Gi', pods: '110' } } });

function pod(name: string, opts: { node?: string; cpu?: string; port?: number; owner?: string }): KObject {
  const container = {
    name: 'c',
    image: 'nginx',
    ...(opts.cpu ? { resources: { requests: { cpu: opts.cpu, memory: '64Mi' } } } : {}),
    ...(opts.port ? { ports: [{ containerPort: 80, hostPort: opts.port }] } : {}),
  };
  const owner = opts.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: opts.owner, uid: `uid-${opts.owner}`, controller: true }] } : {};
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', ...owner }, spec: { containers: [container], ...(opts.node ? { nodeName: opts.node } : {}) } };
}

/** What a scheduler pass would read, as plain data: per node, every sum and count. */
function summary(cache: NodeInfoCache): unknown {
  return cache.nodes.map((info) => ({
    node: info.node.metadata.name,
    cpu: info.node.status,
    requested: { ...info.requested },
    nonZero: { ...info.nonZeroRequested },
    ports: [...info.hostPorts].sort(),
    owned: OWNERS.map((o) => cache.ownedBy(`uid-${o}`).get(info.node.metadata.name!) ?? 0),
  }));
}

/** One random change: a node added, resized or removed; a pod created, bound, resized, finished, re-owned or deleted. */
function randomWrite(view: ReadView, next: (n: number) => number, i: number): Mutation {
  const pods = view.list(PODS).items;
  const some = pods[next(Math.max(1, pods.length))];
  switch (pods.length === 0 ? 0 : next(8)) {
    case 0: {
      const bound = next(3) > 0 ? NODE_NAMES[next(3)] : undefined;
      return { op: 'create', res: PODS, object: pod(`p${i}`, { node: bound, cpu: next(2) ? `${100 * (1 + next(5))}m` : undefined, port: next(4) === 0 ? 8080 : undefined, owner: next(3) ? OWNERS[next(2)] : undefined }) };
    }
    case 1:
      return { op: 'patch', res: PODS, ns: 'default', name: some.metadata.name!, apply: (p) => ({ ...p, spec: { ...(p.spec as object), nodeName: NODE_NAMES[next(3)] } }) };
    case 2:
      return { op: 'patch', res: PODS, ns: 'default', name: some.metadata.name!, apply: (p) => ({ ...p, status: { phase: ['Running', 'Succeeded', 'Failed'][next(3)] } }) };
    case 3:
      return { op: 'delete', res: PODS, ns: 'default', name: some.metadata.name! };
    case 7: {
      // Resized in place (spec changes, node stays): what it requests changes.
      const cpu = `${100 * (1 + next(5))}m`;
      return { op: 'patch', res: PODS, ns: 'default', name: some.metadata.name!, apply: (p) => ({ ...p, spec: { ...(p.spec as object), containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu } } }] } }) };
    }
    case 6: {
      // Orphaned or adopted: the controller changes with no change of spec (no new generation).
      const owner = OWNERS[next(3)] as string | undefined;
      const refs = owner ? [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: owner, uid: `uid-${owner}`, controller: true }] : [];
      return { op: 'patch', res: PODS, ns: 'default', name: some.metadata.name!, apply: (p) => ({ ...p, metadata: { ...p.metadata, ownerReferences: refs } }) };
    }
    case 4: {
      const name = NODE_NAMES[next(3)];
      return view.get(NODES, '', name) ? { op: 'delete', res: NODES, ns: '', name } : { op: 'create', res: NODES, object: node(name) };
    }
    default: {
      const name = NODE_NAMES[next(3)];
      return view.get(NODES, '', name) ? { op: 'update', res: NODES, object: node(name, String(2 + next(6))) } : { op: 'create', res: NODES, object: node(name) };
    }
  }
}

t.test('kept current from events, the cache equals a fresh snapshot of the view at every revision', async (t) => {
  const store = await openStore({ sync: 'none' });
  t.teardown(() => store.close());
  await store.commit([{ op: 'create', res: NODES, object: node('node-1') }], user);
  const cache = new NodeInfoCache();
  cache.fill(store);
  const sub = store.events$.subscribe((e) => cache.observe(e));
  t.teardown(() => sub.unsubscribe());
  const rng = seededRandom('scheduler-cache');
  const next = (n: number) => randomInt(rng, n);
  let checked = 0;
  let portsSeen = false;
  for (let i = 0; i < 250; i++) {
    try {
      await store.commit([randomWrite(store, next, i)], user);
    } catch {
      continue; // a pick that raced its own earlier delete: nothing written
    }
    t.same(summary(cache), summary(NodeInfoCache.of(store)), `at rev ${store.rev}`);
    checked++;
    portsSeen ||= cache.nodes.some((n) => n.requested.pods > 1 && n.hostPorts.size > 0);
  }
  t.ok(checked > 200, `${checked} revisions compared`);
  t.ok(portsSeen, 'the run placed pods with host ports among others');
});

t.test('an assumed pod counts at once, is confirmed by its event, and is forgotten when its binding never lands', async (t) => {
  const store = await openStore({ sync: 'none' });
  t.teardown(() => store.close());
  await store.commit(
    [
      { op: 'create', res: NODES, object: node('node-1') },
      { op: 'create', res: PODS, object: pod('web', { cpu: '500m', owner: 'rs-a' }) },
      { op: 'create', res: PODS, object: pod('lost', { cpu: '250m', owner: 'rs-a' }) },
    ],
    user,
  );
  const cache = NodeInfoCache.of(store);
  const sub = store.events$.subscribe((e) => cache.observe(e));
  t.teardown(() => sub.unsubscribe());
  const view = new OverlayView(store);
  const info = () => cache.nodes[0];
  const bind = (name: string): Mutation => ({ op: 'patch', res: PODS, ns: 'default', name, apply: (p) => ({ ...p, spec: { ...(p.spec as object), nodeName: 'node-1' } }) });

  const release = view.hold([bind('web')]);
  cache.assume(view.get(PODS, 'default', 'web')!, info());
  const releaseLost = view.hold([bind('lost')]);
  cache.assume(view.get(PODS, 'default', 'lost')!, info());
  t.same({ cpu: info().requested.cpu, pods: info().requested.pods, owned: cache.ownedBy('uid-rs-a').get('node-1') }, { cpu: 750, pods: 2, owned: 2 }, 'both assumed');
  cache.forgetStale(view);
  t.equal(info().requested.cpu, 750, 'in flight: the view shows both bound, both kept');

  await store.commit([bind('web')], user); // web's binding lands: its event confirms it
  release();
  releaseLost(); // lost's commit failed: the overlay lifts it and no event comes
  cache.forgetStale(view);
  t.same({ cpu: info().requested.cpu, pods: info().requested.pods, owned: cache.ownedBy('uid-rs-a').get('node-1') }, { cpu: 500, pods: 1, owned: 1 }, 'lost forgotten, web kept');
  t.same(summary(cache), summary(NodeInfoCache.of(store)), 'the same as a snapshot of the store');
  cache.forgetStale(view);
  t.same(summary(cache), summary(NodeInfoCache.of(store)), 'nothing left to forget the next pass');
});
