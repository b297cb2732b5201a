import t from 'tap';
import { apiFixture, configMap } from './server.ts';

const CM = '/api/v1/namespaces/default/configmaps';
const PODS = '/api/v1/namespaces/default/pods';
const pod = (name: string, nodeName?: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...(nodeName ? { nodeName } : {}) },
});

t.test('a plain delete removes the object and returns its last state', async (t) => {
  const { req, store } = await apiFixture(t);
  await req('POST', CM, configMap('a'));
  const r = await req('DELETE', `${CM}/a`, { propagationPolicy: 'Background' });
  t.equal(r.statusCode, 200);
  t.match(r.json(), { kind: 'ConfigMap', metadata: { name: 'a' } });
  t.equal((await store.event(store.rev))?.type, 'DELETED');
  t.equal((await req('GET', `${CM}/a`)).statusCode, 404);
  t.equal((await req('DELETE', `${CM}/a`)).statusCode, 404);
});

t.test('propagationPolicy Orphan and Foreground are recorded as finalizers', async (t) => {
  const { req } = await apiFixture(t);
  await req('POST', CM, configMap('o'));
  await req('POST', CM, configMap('f'));
  const orphan = (await req('DELETE', `${CM}/o`, { propagationPolicy: 'Orphan' })).json();
  t.match(orphan.metadata, { finalizers: ['orphan'], deletionTimestamp: '2026-01-01T00:00:00Z', deletionGracePeriodSeconds: 0 });
  const fg = (await req('DELETE', `${CM}/f`, { propagationPolicy: 'Foreground' })).json();
  t.same(fg.metadata.finalizers, ['foregroundDeletion']);
  t.equal((await req('GET', `${CM}/o`)).statusCode, 200, 'still there until the finalizer is removed');
  const bad = await req('DELETE', `${CM}/o`, { propagationPolicy: 'Sometimes' });
  t.equal(bad.statusCode, 400);
});

t.test('removing the last finalizer of a terminating object deletes it', async (t) => {
  const { req } = await apiFixture(t);
  await req('POST', CM, { ...configMap('k'), metadata: { name: 'k', finalizers: ['example.com/hold'] } });
  const marked = (await req('DELETE', `${CM}/k`)).json();
  t.ok(marked.metadata.deletionTimestamp);
  const r = await req('PATCH', `${CM}/k`, [{ op: 'remove', path: '/metadata/finalizers' }], { 'content-type': 'application/json-patch+json' });
  t.equal(r.statusCode, 200);
  t.equal((await req('GET', `${CM}/k`)).statusCode, 404);
});

t.test('pods on a node get a grace period; unscheduled pods and gracePeriodSeconds=0 go at once', async (t) => {
  const { req, clock } = await apiFixture(t);
  await req('POST', PODS, pod('bound', 'node-1'));
  await req('POST', PODS, pod('pending'));
  const bound = (await req('DELETE', `${PODS}/bound`)).json();
  t.equal(bound.metadata.deletionGracePeriodSeconds, 30);
  t.equal(bound.metadata.deletionTimestamp, new Date(clock.now() + 30_000).toISOString().replace('.000Z', 'Z'));
  t.equal((await req('GET', `${PODS}/bound`)).statusCode, 200);
  await req('DELETE', `${PODS}/pending`);
  t.equal((await req('GET', `${PODS}/pending`)).statusCode, 404);
  await req('DELETE', `${PODS}/bound`, { gracePeriodSeconds: 0 });
  t.equal((await req('GET', `${PODS}/bound`)).statusCode, 404, 'force delete of a terminating pod');
});

t.test('namespaces go Terminating; the system ones cannot be deleted', async (t) => {
  const { req } = await apiFixture(t);
  await req('POST', '/api/v1/namespaces', { metadata: { name: 'team' }, spec: { finalizers: ['kubernetes'] } });
  const r = (await req('DELETE', '/api/v1/namespaces/team')).json();
  t.match(r, { status: { phase: 'Terminating' }, metadata: { deletionTimestamp: String } });
  const create = await req('POST', '/api/v1/namespaces/team/configmaps', configMap('late'));
  t.equal(create.statusCode, 403);
  t.match(create.json().message, /because it is being terminated/);
  const kube = await req('DELETE', '/api/v1/namespaces/kube-system');
  t.equal(kube.statusCode, 403);
});

t.test('preconditions and dryRun on delete', async (t) => {
  const { req } = await apiFixture(t);
  const cm = (await req('POST', CM, configMap('p'))).json();
  const stale = await req('DELETE', `${CM}/p`, { preconditions: { uid: 'not-it' } });
  t.equal(stale.statusCode, 409);
  const dry = await req('DELETE', `${CM}/p?dryRun=All`);
  t.equal(dry.statusCode, 200);
  t.equal((await req('GET', `${CM}/p`)).statusCode, 200);
  const ok = await req('DELETE', `${CM}/p`, { preconditions: { uid: cm.metadata.uid } });
  t.equal(ok.statusCode, 200);
});

t.test('deletecollection deletes what the selector matches', async (t) => {
  const { req } = await apiFixture(t);
  await req('POST', CM, configMap('a', {}, { env: 'prod' }));
  await req('POST', CM, configMap('b', {}, { env: 'prod' }));
  await req('POST', CM, configMap('c', {}, { env: 'dev' }));
  const r = await req('DELETE', `${CM}?labelSelector=env%3Dprod`);
  t.equal(r.statusCode, 200);
  t.same(r.json().items.map((i: { metadata: { name: string } }) => i.metadata.name), ['a', 'b']);
  t.same((await req('GET', CM)).json().items.map((i: { metadata: { name: string } }) => i.metadata.name), ['c']);
});
