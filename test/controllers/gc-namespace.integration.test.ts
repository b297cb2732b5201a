// Garbage collection (background, orphan, foreground, dangling references), namespace deletion and
// the default service account, on the real store with the runtime and a virtual clock. Deletions
// are written as the API records them (api/routes/deletion.ts): a plain removal for Background,
// deletionTimestamp + finalizer for Orphan and Foreground, deletionTimestamp + Terminating for a namespace.
import t from 'tap';
import { rfc3339 } from '../../core/clock.ts';
import type { Event } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { cluster, type Cluster } from './harness.ts';

const RC = 'v1/replicationcontrollers';
const PODS = 'v1/pods';

// seed 001: kubia
const kubia = (ns = 'default'): KObject => ({
  apiVersion: 'v1',
  kind: 'ReplicationController',
  metadata: { name: 'kubia', namespace: ns },
  spec: { replicas: 3, selector: { app: 'kubia' }, template: { metadata: { labels: { app: 'kubia' } }, spec: { containers: [{ name: 'kubia', image: 'luksa/kubia' }] } } },
});

/** What the API writes for DELETE with propagationPolicy Orphan or Foreground. */
async function deleteWith(c: Cluster, res: string, name: string, finalizer: string, ns = 'default') {
  await c.apply({
    op: 'patch',
    res,
    ns,
    name,
    apply: (cur) => ({ ...cur, metadata: { ...cur.metadata, deletionTimestamp: rfc3339(c.clock.now()), deletionGracePeriodSeconds: 0, finalizers: [finalizer] } }),
  });
}

async function log(c: Cluster): Promise<Event[]> {
  const out: Event[] = [];
  for await (const e of c.store.read(0)) out.push(e);
  return out;
}

t.test('RC keeps its count; a relabelled pod leaves its scope and is replaced (seed 001)', async (t) => {
  const c = await cluster();
  t.teardown(() => c.stop());
  await c.apply({ op: 'create', res: RC, object: kubia() });
  const pods = c.list(PODS);
  t.equal(pods.length, 3);
  const moved = pods[0].metadata.name!;
  await c.apply({ op: 'patch', res: PODS, ns: 'default', name: moved, apply: (p) => ({ ...p, metadata: { ...p.metadata, labels: { app: 'foo' } } }) });
  const after = c.list(PODS);
  t.equal(after.length, 4, 'a replacement appeared; the relabelled pod stays');
  t.notOk(c.get<KObject>(PODS, moved).metadata.ownerReferences, 'released');
  t.equal(after.filter((p) => p.metadata.labels!.app === 'kubia').length, 3);
  t.match(c.get<KObject>(RC, 'kubia').status, { replicas: 3, readyReplicas: 3, availableReplicas: 3 });
});

t.test('Background: deleting the RC deletes its pods', async (t) => {
  const c = await cluster();
  t.teardown(() => c.stop());
  await c.apply({ op: 'create', res: RC, object: kubia() });
  await c.apply({ op: 'delete', res: RC, ns: 'default', name: 'kubia' });
  t.same(c.list(PODS), []);
  const deletions = (await log(c)).filter((e) => e.res === PODS && e.type === 'DELETED');
  t.equal(deletions.length, 3);
  t.ok(deletions.every((e) => e.actor.name === 'garbagecollector'));
});

t.test('Orphan: delete rc --cascade=orphan leaves the pods running, without owner', async (t) => {
  const c = await cluster();
  t.teardown(() => c.stop());
  await c.apply({ op: 'create', res: RC, object: kubia() });
  const before = c.list(PODS).map((p) => p.metadata.name);
  await deleteWith(c, RC, 'kubia', 'orphan');
  t.notOk(c.store.get(RC, 'default', 'kubia'), 'the RC is gone');
  const pods = c.list(PODS);
  t.same(pods.map((p) => p.metadata.name), before, 'the same pods, no more, no less');
  t.ok(pods.every((p) => !p.metadata.ownerReferences));
});

t.test('Foreground: pods, then the replica set, then the deployment', async (t) => {
  const c = await cluster();
  t.teardown(() => c.stop());
  await c.apply({
    op: 'create',
    res: 'apps/v1/deployments',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
    },
  });
  const from = c.store.rev;
  await deleteWith(c, 'apps/v1/deployments', 'web', 'foregroundDeletion');
  t.same(c.list(PODS), []);
  t.same(c.list('apps/v1/replicasets'), []);
  t.notOk(c.store.get('apps/v1/deployments', 'default', 'web'));
  const order = (await log(c)).filter((e) => e.rev > from && e.type === 'DELETED').map((e) => e.res);
  t.same(order, [PODS, PODS, 'apps/v1/replicasets', 'apps/v1/deployments']);
});

t.test('a reference to a missing owner is removed; the object stays while another owner exists', async (t) => {
  const c = await cluster({ kubelet: false });
  t.teardown(() => c.stop());
  await c.apply({ op: 'create', res: 'v1/configmaps', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: 'default' } } });
  const owner = c.get<KObject>('v1/configmaps', 'owner');
  const refs = [
    { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid! },
    { apiVersion: 'v1', kind: 'ConfigMap', name: 'ghost', uid: 'no-such-uid' },
  ];
  await c.apply({ op: 'create', res: 'v1/secrets', object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'dep', namespace: 'default', ownerReferences: refs } } });
  t.same(c.get<KObject>('v1/secrets', 'dep').metadata.ownerReferences, [refs[0]]);
  await c.apply({ op: 'delete', res: 'v1/configmaps', ns: 'default', name: 'owner' });
  t.notOk(c.store.get('v1/secrets', 'default', 'dep'), 'its last owner gone, it goes too');
});

t.test('deleting a namespace deletes everything in it, then the namespace (seed 001: kubectl delete ns czm)', async (t) => {
  const c = await cluster();
  t.teardown(() => c.stop());
  await c.apply({ op: 'create', res: 'v1/namespaces', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'czm' }, spec: { finalizers: ['kubernetes'] } } });
  t.ok(c.store.get('v1/serviceaccounts', 'czm', 'default'), 'a default service account appears');
  await c.apply({ op: 'create', res: RC, object: kubia('czm') });
  await c.apply({ op: 'create', res: 'v1/configmaps', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'czm' } } });
  t.equal(c.list(PODS, 'czm').length, 3);
  await c.apply({
    op: 'patch',
    res: 'v1/namespaces',
    ns: '',
    name: 'czm',
    apply: (cur) => ({ ...cur, metadata: { ...cur.metadata, deletionTimestamp: rfc3339(c.clock.now()) }, status: { phase: 'Terminating' } }),
  });
  t.notOk(c.store.get('v1/namespaces', '', 'czm'), 'the namespace is gone');
  for (const res of [PODS, RC, 'v1/configmaps', 'v1/serviceaccounts', 'v1/events']) t.same(c.list(res, 'czm'), [], `no ${res} left`);
});

t.test('a deleted default service account is recreated', async (t) => {
  const c = await cluster({ kubelet: false });
  t.teardown(() => c.stop());
  await c.apply({ op: 'create', res: 'v1/namespaces', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } } });
  const first = c.store.get('v1/serviceaccounts', 'dev', 'default')!;
  await c.apply({ op: 'delete', res: 'v1/serviceaccounts', ns: 'dev', name: 'default' });
  const second = c.store.get('v1/serviceaccounts', 'dev', 'default')!;
  t.ok(second);
  t.not(second.metadata.uid, first.metadata.uid);
});
