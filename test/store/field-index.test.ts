// The `fields` list option (store/store.ts): the live view answers `spec.nodeName=x` from its index
// of pods by node, and the answer must be exactly the one a filter over every pod gives — at the
// head after any mix of creates, bindings, status updates and deletes, at past revisions, through
// pages, with a namespace, and together with other fields and a filter.
import t, { type Test } from 'tap';
import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { randomInt, seededRandom } from '../../core/random.ts';
import { openStore } from '../../store/index.ts';
import type { ListOptions, ReadView } from '../../store/store.ts';
import { pod, user } from './fixtures.ts';

const PODS = 'v1/pods';
const NODES = ['', 'node-1', 'node-2', 'node-3'];
const nodeOf = (p: KObject) => ((p.spec as { nodeName?: string }).nodeName ?? '');
const names = (items: KObject[]) => items.map((p) => `${p.metadata.namespace}/${p.metadata.name}@${p.metadata.resourceVersion}`);

/** One random write: create a pod (bound or not), bind or move one, update its status, or delete one. */
function randomWrite(view: ReadView, next: (n: number) => number, i: number): Mutation {
  const pods = view.list(PODS).items;
  const pick = pods[next(Math.max(1, pods.length))];
  const choice = pods.length === 0 ? 0 : next(4);
  if (choice === 0) {
    const node = NODES[next(NODES.length)];
    return { op: 'create', res: PODS, object: pod(`p${i}`, ['a', 'b'][next(2)], { containers: [{ name: 'c', image: 'nginx' }], ...(node ? { nodeName: node } : {}) }) };
  }
  const { namespace = '', name = '' } = pick.metadata;
  if (choice === 1) return { op: 'patch', res: PODS, ns: namespace, name, apply: (p) => ({ ...p, spec: { ...(p.spec as object), nodeName: NODES[1 + next(3)] } }) };
  if (choice === 2) return { op: 'patch', res: PODS, ns: namespace, name, apply: (p) => ({ ...p, status: { phase: ['Pending', 'Running', 'Succeeded'][next(3)] } }) };
  return { op: 'delete', res: PODS, ns: namespace, name };
}

/** Every list shape the index serves, against the same list by filter. */
function checkAgainstFilter(t: Test, view: ReadView, at: string): void {
  for (const node of NODES) {
    const byNode = (p: KObject) => nodeOf(p) === node;
    const cases: [ListOptions, ListOptions][] = [
      [{ fields: { 'spec.nodeName': node } }, { filter: byNode }],
      [{ namespace: 'a', fields: { 'spec.nodeName': node } }, { namespace: 'a', filter: byNode }],
      [{ fields: { 'spec.nodeName': node, 'status.phase': 'Running' } }, { filter: (p) => byNode(p) && (p.status as { phase?: string } | undefined)?.phase === 'Running' }],
      [{ fields: { 'spec.nodeName': node }, filter: (p) => p.metadata.namespace === 'b' }, { filter: (p) => byNode(p) && p.metadata.namespace === 'b' }],
    ];
    for (const [indexed, filtered] of cases) {
      t.same(names(view.list(PODS, indexed).items), names(view.list(PODS, filtered).items), `${at}: ${JSON.stringify({ ...indexed, filter: undefined })}`);
    }
  }
}

t.test('a list by spec.nodeName answers as the filter does, live and at past revisions', async (t) => {
  const store = await openStore({ sync: 'none', checkpointEvery: 50 });
  t.teardown(() => store.close());
  const rng = seededRandom('field-index');
  const next = (n: number) => randomInt(rng, n);
  const revs: number[] = [];
  for (let i = 0; i < 300; i++) {
    try {
      await store.commit([randomWrite(store, next, i)], { actor: user });
    } catch {
      // a delete racing a name picked twice: nothing was written, the next write goes on
    }
    checkAgainstFilter(t, store, `head at ${store.rev}`);
    if (i % 25 === 0) revs.push(store.rev);
  }
  t.ok(store.list(PODS, { fields: { 'spec.nodeName': 'node-1' } }).items.length > 0, 'the run bound pods to node-1');
  for (const rev of revs) checkAgainstFilter(t, await store.at(rev), `at ${rev}`);
});

t.test('pages of an indexed list continue in (namespace, name) order and count what remains', async (t) => {
  const store = await openStore({ sync: 'none' });
  t.teardown(() => store.close());
  const bound = (name: string, ns: string, node: string) => pod(name, ns, { containers: [{ name: 'c', image: 'nginx' }], nodeName: node });
  await store.commit(
    [bound('z', 'a', 'node-1'), bound('m', 'b', 'node-1'), bound('k', 'a', 'node-2'), bound('c', 'a', 'node-1'), bound('d', 'c', 'node-1')].map((object) => ({ op: 'create' as const, res: PODS, object })),
    { actor: user },
  );
  const fields = { 'spec.nodeName': 'node-1' };
  const first = store.list(PODS, { fields, limit: 3 });
  t.same(first.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`), ['a/c', 'a/z', 'b/m']);
  t.equal(first.remaining, 1);
  const second = store.list(PODS, { fields, limit: 3, continue: first.continue });
  t.same(second.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`), ['c/d']);
  t.equal(second.continue, undefined);
});

t.test('a field the resource does not expose is a BadRequest; other resources filter by their fields', async (t) => {
  const store = await openStore({ sync: 'none' });
  t.teardown(() => store.close());
  await store.commit([{ op: 'create', res: 'v1/configmaps', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' } } }], { actor: user });
  t.throws(() => store.list(PODS, { fields: { 'spec.color': 'blue' } }), { code: 400, reason: 'BadRequest', message: 'field label not supported: spec.color' });
  t.same(store.list('v1/configmaps', { fields: { 'metadata.name': 'x' } }).items.map((o) => o.metadata.name), ['x']);
  t.same(store.list('v1/configmaps', { fields: { 'metadata.name': 'y' } }).items, []);
});
