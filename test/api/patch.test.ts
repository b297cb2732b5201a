import t from 'tap';
import { apiFixture, configMap } from './server.ts';

const CM = '/api/v1/namespaces/default/configmaps';
const DEPLOY = '/apis/apps/v1/namespaces/default/deployments';
const SMP = { 'content-type': 'application/strategic-merge-patch+json' };
const deployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'a', image: 'nginx:1' }, { name: 'b', image: 'busybox' }] } },
  },
};

t.test('strategic merge patch merges containers by name, as kubectl apply sends it', async (t) => {
  const { req } = await apiFixture(t);
  await req('POST', DEPLOY, deployment);
  const patch = { spec: { template: { spec: { containers: [{ name: 'a', image: 'nginx:2' }] } } } };
  const r = await req('PATCH', `${DEPLOY}/web?fieldManager=kubectl-client-side-apply`, patch, SMP);
  t.equal(r.statusCode, 200, r.body);
  t.same(r.json().spec.template.spec.containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`), ['a=nginx:2', 'b=busybox']);
  t.ok(r.json().metadata.managedFields.some((m: { manager: string }) => m.manager === 'kubectl-client-side-apply'));
});

t.test('merge patch, empty patch, and a stale resourceVersion in the patch', async (t) => {
  const { req } = await apiFixture(t);
  const cm = (await req('POST', CM, configMap('m', { a: '1' }))).json();
  const merged = await req('PATCH', `${CM}/m`, { metadata: { labels: { env: 'prod' } }, data: { a: null, b: '2' } }, { 'content-type': 'application/merge-patch+json' });
  t.match(merged.json(), { metadata: { labels: { env: 'prod' } }, data: { b: '2' } });
  t.notOk('a' in merged.json().data);
  const empty = await req('PATCH', `${CM}/m`, {}, { 'content-type': 'application/merge-patch+json' });
  t.equal(empty.statusCode, 200);
  const stale = await req('PATCH', `${CM}/m`, { metadata: { resourceVersion: cm.metadata.resourceVersion }, data: { c: '3' } }, { 'content-type': 'application/merge-patch+json' });
  t.equal(stale.statusCode, 409);
  t.equal(stale.json().reason, 'Conflict');
  const unknownType = await req('PATCH', `${CM}/m`, {}, { 'content-type': 'application/json' });
  t.equal(unknownType.statusCode, 415);
});

t.test('server-side apply creates (201) then updates (200); fieldManager is required', async (t) => {
  const { req } = await apiFixture(t);
  const apply = { 'content-type': 'application/apply-patch+yaml' };
  const first = await req('PATCH', `${CM}/ssa?fieldManager=kubectl&force=false`, configMap('ssa', { a: '1' }), apply);
  t.equal(first.statusCode, 201, first.body);
  t.match(first.json(), { kind: 'ConfigMap', metadata: { name: 'ssa', namespace: 'default' }, data: { a: '1' } });
  const second = await req('PATCH', `${CM}/ssa?fieldManager=kubectl`, configMap('ssa', { a: '2' }), apply);
  t.equal(second.statusCode, 200);
  t.equal(second.json().data.a, '2');
  const anonymous = await req('PATCH', `${CM}/ssa`, configMap('ssa'), apply);
  t.equal(anonymous.statusCode, 422);
});
