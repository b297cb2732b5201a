// metrics.k8s.io/v1beta1 through fastify.inject: discovery lists it, PodMetrics follow the load
// model (annotations), a label selector filters, NodeMetrics add a node's pods to its overhead, and
// unknown objects and bad selectors are Status errors.
import t from 'tap';
import { apiFixture } from './server.ts';

const f = await apiFixture(t);

const pod = (name: string, cpu: string, labels: Record<string, string>, nodeName = 'node-1') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels, annotations: { 'sim.rewind.dev/cpu': cpu, 'sim.rewind.dev/memory': '64Mi' } },
  spec: { nodeName, containers: [{ name: 'app', image: 'nginx' }] },
});

t.before(async () => {
  await f.store.commit(
    [
      { op: 'create', res: 'v1/nodes', object: { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' } } },
      { op: 'create', res: 'v1/pods', object: pod('web-1', '250m', { app: 'web' }) },
      { op: 'create', res: 'v1/pods', object: pod('db-1', '100m', { app: 'db' }) },
    ],
    { actor: { kind: 'user', name: 'test' } },
  );
  // Only running pods have metrics.
  await f.store.commit(
    ['web-1', 'db-1'].map((name) => ({ op: 'patch' as const, res: 'v1/pods', ns: 'default', name, apply: (cur) => ({ ...cur, status: { phase: 'Running' } }) })),
    { actor: { kind: 'kubelet', name: 'kubelet' } },
  );
});

t.test('discovery lists metrics.k8s.io', async (t) => {
  const groups = (await f.req('GET', '/apis')).json() as { groups: { name: string }[] };
  t.ok(groups.groups.some((g) => g.name === 'metrics.k8s.io'));
  const resources = (await f.req('GET', '/apis/metrics.k8s.io/v1beta1')).json() as { resources: { name: string; verbs: string[] }[] };
  t.same(resources.resources.map((r) => [r.name, r.verbs]), [['nodes', ['get', 'list']], ['pods', ['get', 'list']]]);
});

t.test('pod metrics', async (t) => {
  const list = (await f.req('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=app%3Dweb')).json() as any;
  t.equal(list.kind, 'PodMetricsList');
  t.same(list.items.map((i: any) => [i.metadata.name, i.window, i.containers]), [['web-1', '15s', [{ name: 'app', usage: { cpu: '250000000n', memory: '65536Ki' } }]]]);
  const one = await f.req('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/db-1');
  t.equal(one.json().containers[0].usage.cpu, '100000000n');
  const missing = await f.req('GET', '/apis/metrics.k8s.io/v1beta1/namespaces/default/pods/nope');
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().message, 'pods.metrics.k8s.io "nope" not found');
  t.equal((await f.req('GET', '/apis/metrics.k8s.io/v1beta1/pods?labelSelector=a%3D%3D%3Db')).statusCode, 400, 'a bad selector');
});

t.test('node metrics: the pods plus the system overhead', async (t) => {
  const node = (await f.req('GET', '/apis/metrics.k8s.io/v1beta1/nodes/node-1')).json() as any;
  t.same(node.usage, { cpu: '400000000n', memory: `${(2 * 64 + 512) * 1024}Ki` }); // 250m + 100m + 50m; 2 × 64Mi + 512Mi
  t.equal((await f.req('GET', '/apis/metrics.k8s.io/v1beta1/nodes/nope')).statusCode, 404);
});
