// ResourceQuota admission: a create that would exceed a quota of its namespace is refused with the
// real plugin's 403 message; usage is what the write sees (the store's peers); other namespaces,
// finished pods and scoped quotas do not count. Through the real store, so a refused write changes nothing.
import t from 'tap';
import { admit } from '../../core/admission.ts';
import { admitQuota, quotaStatus } from '../../core/quota.ts';
import { isStatusError, type Status } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { openStore } from '../../store/index.ts';

const actor = { kind: 'user' as const, name: 'test' };

const quota = (name: string, hard: Record<string, string>, ns = 'default', extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name, namespace: ns },
  spec: { hard, ...extra },
});

const pod = (name: string, ns = 'default', opts: { cpu?: string; phase?: string } = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns },
  spec: { containers: [{ name: 'c', image: 'nginx', ...(opts.cpu ? { resources: { requests: { cpu: opts.cpu } } } : {}) }] },
  ...(opts.phase ? { status: { phase: opts.phase } } : {}),
});

/** The Status admitQuota throws for `object` given these existing objects, or undefined when it passes. */
function judge(object: KObject, existing: KObject[], res = 'v1/pods'): Status | undefined {
  const ofRes = (o: KObject, r: string) => (r === 'v1/resourcequotas' ? o.kind === 'ResourceQuota' : r === res && o.kind === object.kind);
  // As the store's peers: one namespace's objects when asked for one.
  const peers = (r: string, ns?: string) => existing.filter((o) => ofRes(o, r) && (ns === undefined || o.metadata.namespace === ns));
  try {
    admitQuota({ res, object, peers });
    return undefined;
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
}

t.test('pods: the third pod under pods=2 is refused with the plugin message', async (t) => {
  const q = quota('compute', { pods: '2' });
  t.equal(judge(pod('a'), [q]), undefined);
  t.equal(judge(pod('c'), [q, pod('a'), pod('b', 'default', { phase: 'Succeeded' })]), undefined, 'a finished pod no longer counts');
  const refused = judge(pod('c'), [q, pod('a'), pod('b')]);
  t.same(refused && [refused.code, refused.reason, refused.message], [403, 'Forbidden', 'pods "c" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2']);
  t.same(refused?.details, { name: 'c', kind: 'pods' });
});

t.test('only quotas and objects of the same namespace count; scoped quotas are not enforced', async (t) => {
  t.equal(judge(pod('c', 'dev'), [quota('q', { pods: '1' }), pod('a', 'dev')]), undefined, 'the quota is in another namespace');
  t.equal(judge(pod('c'), [quota('q', { pods: '1' }), pod('a', 'dev')]), undefined, 'the pod is in another namespace');
  t.equal(judge(pod('c'), [quota('q', { pods: '1' }, 'default', { scopes: ['BestEffort'] }), pod('a')]), undefined);
});

t.test('compute resources sum the containers requests; several exceeded resources are listed sorted', async (t) => {
  const q = quota('compute', { 'requests.cpu': '1', pods: '1' });
  const refused = judge(pod('c', 'default', { cpu: '600m' }), [q, pod('a', 'default', { cpu: '500m' })]);
  t.equal(refused?.message, 'pods "c" is forbidden: exceeded quota: compute, requested: pods=1,requests.cpu=600m, used: pods=1,requests.cpu=500m, limited: pods=1,requests.cpu=1');
  t.equal(judge(pod('c', 'default', { cpu: '500m' }), [quota('cpu', { cpu: '1' }), pod('a', 'default', { cpu: '500m' })]), undefined, 'exactly at the limit is allowed');
});

t.test('object counts: count/<resource>.<group> and the legacy names', async (t) => {
  const deploy: KObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } };
  const refused = judge(deploy, [quota('objects', { 'count/deployments.apps': '1' }), { ...deploy, metadata: { name: 'old', namespace: 'default' } }], 'apps/v1/deployments');
  t.equal(refused?.message, 'deployments.apps "web" is forbidden: exceeded quota: objects, requested: count/deployments.apps=1, used: count/deployments.apps=1, limited: count/deployments.apps=1');
  const cm: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'default' } };
  t.ok(judge(cm, [quota('objects', { configmaps: '1' }), { ...cm, metadata: { name: 'a', namespace: 'default' } }], 'v1/configmaps'));
  t.equal(judge(cm, [quota('objects', { pods: '0' })], 'v1/configmaps'), undefined, 'a pod quota does not limit config maps');
});

t.test('through the store: a batch cannot take the last slot twice, and a refused commit writes nothing', async (t) => {
  const store = await openStore({ admit, sync: 'none' });
  t.teardown(() => store.close());
  await store.commit([{ op: 'create', res: 'v1/resourcequotas', object: quota('compute', { pods: '2' }) }], { actor });
  await store.commit([{ op: 'create', res: 'v1/pods', object: pod('a') }], { actor });
  const rev = store.rev;
  const batch = store.commit([{ op: 'create', res: 'v1/pods', object: pod('b') }, { op: 'create', res: 'v1/pods', object: pod('c') }], { actor });
  const refused = await batch.then(() => undefined, (e: unknown) => (isStatusError(e) ? e.status : e));
  t.match(refused, { code: 403, message: 'pods "c" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2' });
  t.equal(store.rev, rev, 'neither pod was written');
  await store.commit([{ op: 'create', res: 'v1/pods', object: pod('b') }], { actor });
  t.equal(store.list('v1/pods', { namespace: 'default' }).items.length, 2);
});

t.test('quotaStatus: hard mirrored, used measured per resource, "0" for what is not measured', async (t) => {
  const q = quota('compute', { pods: '3', 'requests.cpu': '2', 'requests.memory': '1Gi', 'requests.nvidia.com/gpu': '1' });
  const pods = [pod('a', 'default', { cpu: '500m' }), pod('b', 'default', { cpu: '250m' }), pod('c', 'default', { cpu: '1', phase: 'Failed' })];
  t.same(quotaStatus(q, (res) => (res === 'v1/pods' ? pods : [])), {
    hard: { pods: '3', 'requests.cpu': '2', 'requests.memory': '1Gi', 'requests.nvidia.com/gpu': '1' },
    used: { pods: '2', 'requests.cpu': '750m', 'requests.memory': '0', 'requests.nvidia.com/gpu': '0' },
  });
});

t.test('a cpu or memory quota requires every container to state it (the pod evaluator Constraints)', async (t) => {
  const q = quota('compute', { 'limits.cpu': '2', 'requests.memory': '1Gi', pods: '10' });
  const bare = pod('web');
  t.equal(judge(bare, [q])?.message, 'pods "web" is forbidden: failed quota: compute: must specify limits.cpu for: c; requests.memory for: c');
  const stated: KObject = { ...bare, spec: { containers: [{ name: 'c', image: 'nginx', resources: { limits: { cpu: '1' }, requests: { memory: '64Mi' } } }] } };
  t.equal(judge(stated, [q]), undefined, 'stated: admitted');
  t.equal(judge(bare, [quota('count', { pods: '10' })]), undefined, 'a quota on counts only asks nothing of containers');
});
