import t from 'tap';
import { apiFixture, configMap } from './server.ts';

const CM = '/api/v1/namespaces/default/configmaps';

t.test('create answers 201 with the stored object, kind and apiVersion set', async (t) => {
  const { req, store } = await apiFixture(t);
  const r = await req('POST', CM, { metadata: { name: 'a', creationTimestamp: null }, data: { k: 'v' } });
  t.equal(r.statusCode, 201);
  const body = r.json();
  t.match(body, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', uid: String }, data: { k: 'v' } });
  t.equal(body.metadata.resourceVersion, String(store.rev));
  const ev = await store.event(store.rev);
  t.match(ev, { type: 'ADDED', res: 'v1/configmaps', actor: { kind: 'user', name: 'anonymous' } });
});

t.test('get, then NotFound and AlreadyExists as the apiserver words them', async (t) => {
  const { req } = await apiFixture(t);
  await req('POST', CM, configMap('a'));
  const got = await req('GET', `${CM}/a`);
  t.match(got.json(), { kind: 'ConfigMap', apiVersion: 'v1', metadata: { name: 'a' } });
  const missing = await req('GET', `${CM}/zz`);
  t.equal(missing.statusCode, 404);
  t.match(missing.json(), { kind: 'Status', reason: 'NotFound', message: 'configmaps "zz" not found', details: { name: 'zz', kind: 'configmaps' } });
  const dup = await req('POST', CM, configMap('a'));
  t.equal(dup.statusCode, 409);
  t.match(dup.json(), { reason: 'AlreadyExists', message: 'configmaps "a" already exists' });
});

t.test('a stale resourceVersion on PUT is a 409 Conflict and changes nothing', async (t) => {
  const { req } = await apiFixture(t);
  const created = (await req('POST', CM, configMap('a', { v: '1' }))).json();
  const first = await req('PUT', `${CM}/a`, { ...created, data: { v: '2' } });
  t.equal(first.statusCode, 200);
  t.equal(first.json().data.v, '2');
  const stale = await req('PUT', `${CM}/a`, { ...created, data: { v: '3' } });
  t.equal(stale.statusCode, 409);
  t.match(stale.json(), { reason: 'Conflict', message: /^Operation cannot be fulfilled on configmaps "a": the object has been modified/ });
  t.equal((await req('GET', `${CM}/a`)).json().data.v, '2');
});

t.test('PUT on the main resource keeps status; /status writes only status', async (t) => {
  const { req } = await apiFixture(t);
  const url = '/apis/apps/v1/namespaces/default/deployments';
  const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 1 }, status: { replicas: 9 } };
  const created = (await req('POST', url, d)).json();
  t.notOk(created.status?.replicas, 'status is not set by a create');
  const st = await req('PUT', `${url}/web/status`, { ...created, spec: { replicas: 5 }, status: { replicas: 1 } });
  t.equal(st.statusCode, 200);
  t.match(st.json(), { spec: { replicas: 1 }, status: { replicas: 1 } });
  const main = await req('PUT', `${url}/web`, { ...(st.json() as object), spec: { replicas: 2 }, status: { replicas: 7 } });
  t.match(main.json(), { spec: { replicas: 2 }, status: { replicas: 1 } });
});

t.test('list: kind List, resourceVersion, label and field selectors, limit and continue', async (t) => {
  const { req, store } = await apiFixture(t);
  for (const [name, env] of [['a', 'prod'], ['b', 'devel'], ['c', 'test']]) await req('POST', CM, configMap(name, {}, { env }));
  const all = (await req('GET', `${CM}?limit=500`)).json();
  t.equal(all.kind, 'ConfigMapList');
  t.equal(all.metadata.resourceVersion, String(store.rev));
  t.same(all.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a', 'b', 'c']);
  const sel = (await req('GET', `${CM}?labelSelector=${encodeURIComponent('env in (prod,devel)')}`)).json();
  t.same(sel.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a', 'b']);
  const notProd = (await req('GET', `${CM}?labelSelector=${encodeURIComponent('env!=prod')}`)).json();
  t.same(notProd.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['b', 'c']);
  const byName = (await req('GET', `${CM}?fieldSelector=metadata.name%3Dc`)).json();
  t.same(byName.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['c']);
  const page1 = (await req('GET', `${CM}?limit=2`)).json();
  t.equal(page1.items.length, 2);
  t.equal(page1.metadata.remainingItemCount, 1);
  const page2 = (await req('GET', `${CM}?limit=2&continue=${encodeURIComponent(page1.metadata.continue)}`)).json();
  t.same(page2.items.map((i: { metadata: { name: string } }) => i.metadata.name), ['c']);
  const bad = await req('GET', `${CM}?labelSelector=${encodeURIComponent('env in (')}`);
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().reason, 'BadRequest');
});

t.test('all-namespace lists and cluster-scoped resources', async (t) => {
  const { req } = await apiFixture(t);
  await req('POST', '/api/v1/namespaces', { metadata: { name: 'team' } });
  await req('POST', CM, configMap('a'));
  await req('POST', '/api/v1/namespaces/team/configmaps', configMap('b'));
  const all = (await req('GET', '/api/v1/configmaps')).json();
  t.same(all.items.map((i: { metadata: { namespace: string } }) => i.metadata.namespace), ['default', 'team']);
  const ns = (await req('GET', '/api/v1/namespaces')).json();
  t.ok(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'team'].every((n) => ns.items.some((i: { metadata: { name: string } }) => i.metadata.name === n)));
  const missingNs = await req('POST', '/api/v1/namespaces/nowhere/configmaps', configMap('x'));
  t.equal(missingNs.statusCode, 404);
  t.equal(missingNs.json().message, 'namespaces "nowhere" not found');
});

t.test('dryRun=All answers as a write would and writes nothing', async (t) => {
  const { req, store } = await apiFixture(t);
  const rev = store.rev;
  const r = await req('POST', `${CM}?dryRun=All`, configMap('ghost'));
  t.equal(r.statusCode, 201);
  t.equal(r.json().metadata.name, 'ghost');
  t.equal(store.rev, rev);
  t.equal((await req('GET', `${CM}/ghost`)).statusCode, 404);
});

t.test('resourceVersionMatch=Exact reads the past', async (t) => {
  const { req } = await apiFixture(t);
  const v1 = (await req('POST', CM, configMap('a', { v: '1' }))).json();
  await req('PUT', `${CM}/a`, { ...v1, data: { v: '2' } });
  const past = await req('GET', `${CM}?resourceVersion=${v1.metadata.resourceVersion}&resourceVersionMatch=Exact`);
  t.equal(past.json().items[0].data.v, '1');
  const future = await req('GET', `${CM}?resourceVersion=999999`);
  t.equal(future.statusCode, 504);
  t.equal(future.json().reason, 'Timeout');
});

t.test('scale subresource reads and writes spec.replicas as an autoscaling/v1 Scale', async (t) => {
  const { req } = await apiFixture(t);
  const url = '/apis/apps/v1/namespaces/default/deployments';
  await req('POST', url, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } } },
  });
  const scale = (await req('GET', `${url}/web/scale`)).json();
  t.match(scale, { kind: 'Scale', apiVersion: 'autoscaling/v1', spec: { replicas: 1 }, status: { selector: 'app=web' } });
  const patched = await req('PATCH', `${url}/web/scale`, { spec: { replicas: 5 } }, { 'content-type': 'application/merge-patch+json' });
  t.equal(patched.statusCode, 200);
  t.equal(patched.json().spec.replicas, 5);
  t.equal((await req('GET', `${url}/web`)).json().spec.replicas, 5);
});

t.test('binding sets spec.nodeName once', async (t) => {
  const { req } = await apiFixture(t);
  const pods = '/api/v1/namespaces/default/pods';
  await req('POST', pods, { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  const bind = await req('POST', `${pods}/p/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p' }, target: { kind: 'Node', name: 'node-1' } });
  t.equal(bind.statusCode, 201);
  t.match(bind.json(), { kind: 'Status', status: 'Success' });
  t.equal((await req('GET', `${pods}/p`)).json().spec.nodeName, 'node-1');
  const again = await req('POST', `${pods}/p/binding`, { target: { kind: 'Node', name: 'node-2' } });
  t.equal(again.statusCode, 409);
});

t.test('kinds served in two versions are converted both ways (HPA v1/v2, events.k8s.io)', async (t) => {
  const { req } = await apiFixture(t);
  const v1 = '/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers';
  const created = await req('POST', v1, {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 60 },
  });
  t.equal(created.statusCode, 201, created.body);
  t.match(created.json(), { apiVersion: 'autoscaling/v1', spec: { targetCPUUtilizationPercentage: 60 } });
  const v2 = (await req('GET', '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/web')).json();
  t.match(v2, { apiVersion: 'autoscaling/v2', spec: { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { averageUtilization: 60 } } }] } });
  await req('POST', '/api/v1/namespaces/default/events', {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e1' },
    involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' },
    reason: 'Scheduled',
    message: 'assigned',
    type: 'Normal',
  });
  const ev = (await req('GET', '/apis/events.k8s.io/v1/namespaces/default/events')).json();
  t.equal(ev.kind, 'EventList');
  t.match(ev.items[0], { apiVersion: 'events.k8s.io/v1', kind: 'Event', regarding: { name: 'p' }, note: 'assigned' });
});

t.test('eviction deletes the pod unless a PodDisruptionBudget allows no disruption', async (t) => {
  const { req } = await apiFixture(t);
  const pods = '/api/v1/namespaces/default/pods';
  const pod = (name: string, app: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await req('POST', pods, pod('guarded', 'db'));
  await req('POST', pods, pod('free', 'web'));
  const pdbs = '/apis/policy/v1/namespaces/default/poddisruptionbudgets';
  const pdb = (await req('POST', pdbs, { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', metadata: { name: 'db' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' } } } })).json();
  await req('PUT', `${pdbs}/db/status`, { ...pdb, status: { disruptionsAllowed: 0, desiredHealthy: 1, currentHealthy: 1, expectedPods: 1 } });
  const eviction = (name: string) => ({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name } });
  const blocked = await req('POST', `${pods}/guarded/eviction`, eviction('guarded'));
  t.equal(blocked.statusCode, 429);
  t.match(blocked.json(), { reason: 'TooManyRequests', details: { causes: [{ reason: 'DisruptionBudget' }] } });
  t.equal((await req('GET', `${pods}/guarded`)).statusCode, 200);
  const ok = await req('POST', `${pods}/free/eviction`, eviction('free'));
  t.equal(ok.statusCode, 201);
  t.equal((await req('GET', `${pods}/free`)).statusCode, 404);
});

t.test('a client that prefers YAML gets YAML, errors included', async (t) => {
  const { req } = await apiFixture(t);
  await req('POST', CM, configMap('y', { k: 'v' }));
  const r = await req('GET', `${CM}/y`, undefined, { accept: 'application/yaml' });
  t.equal(r.headers['content-type'], 'application/yaml');
  t.match(r.body, /^apiVersion: v1\nkind: ConfigMap\n/);
  const missing = await req('GET', `${CM}/nope`, undefined, { accept: 'application/yaml, application/json' });
  t.equal(missing.statusCode, 404);
  t.match(missing.body, /^kind: Status\n/);
  t.equal((await req('GET', `${CM}/y`)).headers['content-type'], 'application/json; charset=utf-8');
});
