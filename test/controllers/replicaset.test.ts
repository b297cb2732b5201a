// ReplicaSet / ReplicationController reconcile, sample-controller style: seed a view, reconcile one
// key, compare the exact list of writes.
import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { replicaSetController, replicationControllerController } from '../../controllers/replicaset.ts';
import { renderWrites, viewOf } from '../../controllers/runtime/testing.ts';
import { at, pod, replicaSet, T0, template } from './fixtures.ts';

const rsCtl = replicaSetController({ clock: undefined as never });
const rcCtl = replicationControllerController({ clock: undefined as never });
const RS = 'apps/v1/replicasets';
const NOW = T0 + 60_000;

function event(owner: KObject, reason: string, message: string) {
  return {
    op: 'patch',
    res: 'v1/events',
    ns: 'default',
    name: new RegExp(`^${owner.metadata.name}\\.[0-9a-f]{16}$`),
    object: { reason, message, count: 1, type: 'Normal', source: { component: owner.kind === 'ReplicaSet' ? 'replicaset-controller' : 'replication-controller' } },
  };
}

t.test('creates the missing pods from the template, named <rs>-<5 chars>, with events and status', async (t) => {
  const rs = replicaSet('web-abc', 3);
  const view = viewOf([rs]);
  const { writes, requeueAfter } = rsCtl.reconcile('default/web-abc', { view, now: NOW });
  const out = renderWrites(writes, view);
  const names = out.filter((w) => w.op === 'create').map((w) => w.name);
  t.equal(new Set(names).size, 3);
  for (const n of names) t.match(n, /^web-abc-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  t.match(out, [
    ...names.map((name) => ({
      op: 'create',
      res: 'v1/pods',
      ns: 'default',
      name,
      object: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, generateName: 'web-abc-', namespace: 'default', labels: { app: 'web' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-abc', uid: 'uid-web-abc', controller: true }] },
        spec: template({ app: 'web' }).spec,
      },
    })),
    ...names.map((n) => event(rs, 'SuccessfulCreate', `Created pod: ${n}`)),
    { op: 'update', res: RS, name: 'web-abc', object: { status: { replicas: 0, observedGeneration: 1 } } },
  ]);
  t.equal(out.length, 7, 'nothing else is written');
  t.equal(requeueAfter, undefined);
});

t.test('in sync: no writes at all', async (t) => {
  const rs = replicaSet('web-abc', 2, { status: { replicas: 2, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 } });
  const view = viewOf([rs, pod('a', { owner: rs, node: 'n1', readySince: 1 }), pod('b', { owner: rs, node: 'n2', readySince: 1 })]);
  t.same(rsCtl.reconcile('default/web-abc', { view, now: NOW }).writes, []);
});

t.test('surplus pods go in ActivePods order: unscheduled, pending, not ready, doubled up, newest', async (t) => {
  const rs = replicaSet('web-abc', 1);
  const pods = [
    pod('old-ready', { owner: rs, node: 'n1', readySince: 5, created: 1 }),
    pod('new-ready', { owner: rs, node: 'n2', readySince: 5, created: 9 }),
    pod('doubled', { owner: rs, node: 'n1', readySince: 5, created: 1 }),
    pod('pending', { owner: rs, node: 'n3' }),
    pod('unscheduled', { owner: rs }),
    pod('running-not-ready', { owner: rs, node: 'n4', phase: 'Running' }),
  ];
  const view = viewOf([rs, ...pods]);
  const out = renderWrites(rsCtl.reconcile('default/web-abc', { view, now: NOW }).writes, view);
  const deleted = out.filter((w) => w.res === 'v1/pods').map((w) => [w.op, w.name]);
  // doubled and old-ready share n1 (rank 2) and were created at the same time; the name breaks the tie.
  t.same(deleted, [
    ['delete', 'unscheduled'], // not on a node: removed at once
    ['patch', 'pending'], // on a node: graceful, the kubelet finishes it
    ['patch', 'running-not-ready'],
    ['patch', 'doubled'],
    ['patch', 'old-ready'],
  ]);
  const graceful = out.find((w) => w.name === 'pending')!.object!;
  t.equal(graceful.metadata.deletionTimestamp, at(90), 'now + 30 s default grace');
  t.equal(graceful.metadata.deletionGracePeriodSeconds, 30);
  t.same(out.filter((w) => w.res === 'v1/events').map((w) => w.object?.message), [
    'Deleted pod: unscheduled',
    'Deleted pod: pending',
    'Deleted pod: running-not-ready',
    'Deleted pod: doubled',
    'Deleted pod: old-ready',
  ]);
});

t.test('adopts a matching orphan, releases an owned pod whose labels stopped matching, ignores terminating pods', async (t) => {
  const rs = replicaSet('web-abc', 2, { status: { replicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 } });
  const view = viewOf([
    rs,
    pod('orphan', { node: 'n1' }),
    pod('relabelled', { owner: rs, labels: { app: 'foo' }, node: 'n1' }),
    pod('terminating', { owner: rs, node: 'n1', deleting: true }),
    pod('kept', { owner: rs, node: 'n1' }),
    pod('other-app', { labels: { app: 'db' } }),
  ]);
  const out = renderWrites(rsCtl.reconcile('default/web-abc', { view, now: NOW }).writes, view);
  t.same(
    out.map((w) => [w.op, w.name, w.object?.metadata.ownerReferences?.map((r) => r.name) ?? null]),
    [
      ['patch', 'orphan', ['web-abc']],
      ['patch', 'relabelled', null],
    ],
    'two pods owned (kept + adopted orphan) = 2 replicas: no create, status unchanged',
  );
});

t.test('a relabelled pod is released and replaced in the same commit (seed 001)', async (t) => {
  const rc: KObject = {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name: 'kubia', namespace: 'default', uid: 'uid-kubia', resourceVersion: '5', generation: 1 },
    spec: { replicas: 2, selector: { app: 'kubia' }, template: template({ app: 'kubia' }) },
    status: { replicas: 2, observedGeneration: 1 },
  };
  const view = viewOf([rc, pod('kubia-a', { owner: rc, labels: { app: 'kubia' } }), pod('kubia-b', { owner: rc, labels: { app: 'foo' } })]);
  const out = renderWrites(rcCtl.reconcile('default/kubia', { view, now: NOW }).writes, view);
  t.same(
    out.map((w) => [w.op, w.res]),
    [
      ['patch', 'v1/pods'],
      ['create', 'v1/pods'],
      ['patch', 'v1/events'],
      ['update', 'v1/replicationcontrollers'],
    ],
  );
  t.notOk(out[0].object!.metadata.ownerReferences, 'kubia-b released');
  t.match(out[1], { name: /^kubia-/, object: { metadata: { labels: { app: 'kubia' } } } });
  t.match(out[3].object!.status, { replicas: 1 });
});

t.test('status counts ready and, after minReadySeconds, available pods; requeues for the next one', async (t) => {
  const rs = replicaSet('web-abc', 3, { minReadySeconds: 10 });
  const view = viewOf([
    rs,
    pod('a', { owner: rs, node: 'n1', readySince: 0 }),
    pod('b', { owner: rs, node: 'n1', readySince: 55 }),
    pod('c', { owner: rs, node: 'n1' }),
  ]);
  const { writes, requeueAfter } = rsCtl.reconcile('default/web-abc', { view, now: NOW });
  t.same(renderWrites(writes, view).map((w) => w.object?.status), [
    { replicas: 3, fullyLabeledReplicas: 3, readyReplicas: 2, availableReplicas: 1, observedGeneration: 1 },
  ]);
  t.equal(requeueAfter, 5_001, 'b is available just after 55 s + 10 s');
});

t.test('a deleted replica set reconciles to nothing; one being deleted creates nothing', async (t) => {
  t.same(rsCtl.reconcile('default/gone', { view: viewOf([]), now: NOW }).writes, []);
  const rs = replicaSet('web-abc', 3, { status: { replicas: 0, observedGeneration: 1 } });
  rs.metadata.deletionTimestamp = at(1);
  t.same(rsCtl.reconcile('default/web-abc', { view: viewOf([rs]), now: NOW }).writes, []);
});

t.test('pod events map to the owner, or for orphans to every matching replica set', async (t) => {
  const rs = replicaSet('web-abc', 1);
  const other = replicaSet('db', 1, { labels: { app: 'db' } });
  const view = viewOf([rs, other]);
  const podWatch = rsCtl.watches[1];
  const ev = (object: KObject, type: 'ADDED' | 'DELETED' = 'ADDED') => ({ rev: 9, ts: 0, type, res: 'v1/pods', ns: 'default', name: object.metadata.name!, object, actor: { kind: 'user' as const, name: 'a' } });
  t.same(podWatch.keys(ev(pod('p', { owner: rs })), view), ['default/web-abc']);
  t.same(podWatch.keys(ev(pod('q')), view), ['default/web-abc']);
  t.same(podWatch.keys(ev(pod('q'), 'DELETED'), view), []);
  t.same(podWatch.keys(ev(pod('r', { owner: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', uid: 'j' } } })), view), []);
});
