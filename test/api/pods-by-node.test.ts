// `kubectl get pods --field-selector spec.nodeName=node-1` (what a kubelet lists) is answered from the
// store's index of pods by node: the same pods, in list order, across namespaces or in one, with the
// other terms of the selector and a label selector applied, before and after a binding, and at a
// past resourceVersion (resourceVersionMatch=Exact, served by filtering).
import t from 'tap';
import { apiFixture } from './server.ts';

const pod = (name: string, app: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, labels: { app } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
const names = (body: { items: { metadata: { namespace: string; name: string } }[] }) => body.items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`);

t.test('pods by spec.nodeName through the API', async (t) => {
  const { req, store } = await apiFixture(t);
  await req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'other' } });
  const placed: [string, string, string, string][] = [
    ['default', 'web-2', 'web', 'node-1'],
    ['default', 'web-1', 'web', 'node-1'],
    ['other', 'db-1', 'db', 'node-1'],
    ['default', 'web-3', 'web', 'node-2'],
    ['default', 'idle', 'web', ''],
  ];
  for (const [ns, name, app, node] of placed) {
    t.equal((await req('POST', `/api/v1/namespaces/${ns}/pods`, pod(name, app))).statusCode, 201);
    if (node) t.equal((await req('POST', `/api/v1/namespaces/${ns}/pods/${name}/binding`, { target: { kind: 'Node', name: node } })).statusCode, 201);
  }
  const list = async (query: string, ns?: string) => {
    const r = await req('GET', `${ns ? `/api/v1/namespaces/${ns}` : '/api/v1'}/pods?${query}`);
    t.equal(r.statusCode, 200, query);
    return names(r.json());
  };
  const on = (node: string) => `fieldSelector=${encodeURIComponent(`spec.nodeName=${node}`)}`;
  t.same(await list(on('node-1')), ['default/web-1', 'default/web-2', 'other/db-1']);
  t.same(await list(on('node-1'), 'default'), ['default/web-1', 'default/web-2']);
  t.same(await list(on('')), ['default/idle'], 'spec.nodeName= selects the unbound');
  t.same(await list(`fieldSelector=${encodeURIComponent('spec.nodeName=node-1,metadata.name!=web-2')}`), ['default/web-1', 'other/db-1']);
  t.same(await list(`${on('node-1')}&labelSelector=app%3Ddb`), ['other/db-1']);
  const before = store.rev;
  t.equal((await req('POST', '/api/v1/namespaces/default/pods/idle/binding', { target: { kind: 'Node', name: 'node-2' } })).statusCode, 201);
  t.same(await list(on('node-2')), ['default/idle', 'default/web-3'], 'a binding moves the pod into its node');
  t.same(await list(on('')), []);
  t.same(await list(`${on('node-2')}&resourceVersion=${before}&resourceVersionMatch=Exact`), ['default/web-3'], 'as it was before the binding');
  const bad = await req('GET', `/api/v1/pods?fieldSelector=${encodeURIComponent('spec.nodeNam=node-1')}`);
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), { kind: 'Status', reason: 'BadRequest', message: 'field label not supported: spec.nodeNam' });
});
