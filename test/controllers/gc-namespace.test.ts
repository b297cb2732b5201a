// Garbage collector, namespace and service account reconciles on constructed views: exact writes.
import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { reconcileGarbage } from '../../controllers/gc.ts';
import { reconcileNamespace } from '../../controllers/namespace.ts';
import { renderWrites, viewOf } from '../../controllers/runtime/testing.ts';
import { reconcileServiceAccount } from '../../controllers/serviceaccount.ts';
import { at, pod, replicaSet, T0 } from './fixtures.ts';

const NOW = T0 + 60_000;
const terminating = (o: KObject, finalizers: string[]): KObject => ({ ...o, metadata: { ...o.metadata, deletionTimestamp: at(30), deletionGracePeriodSeconds: 0, finalizers } });

t.test('gc: a pod whose only owner is gone is deleted; one whose owner exists is left alone', async (t) => {
  const rs = replicaSet('web-abc', 1);
  const orphaned = pod('lost', { owner: { ...rs, metadata: { ...rs.metadata, uid: 'uid-of-a-deleted-rs' } } });
  const kept = pod('kept', { owner: rs });
  const view = viewOf([rs, orphaned, kept]);
  t.same(renderWrites(reconcileGarbage('v1/pods|default|lost', { view, now: NOW }).writes, view), [{ op: 'delete', res: 'v1/pods', ns: 'default', name: 'lost' }]);
  t.same(reconcileGarbage('v1/pods|default|kept', { view, now: NOW }).writes, []);
  t.same(reconcileGarbage('v1/pods|default|gone', { view, now: NOW }).writes, []);
});

t.test('gc: orphan strips the owner from every dependent and removes the finalizer, in one commit', async (t) => {
  const rs = terminating(replicaSet('web-abc', 2), ['orphan']);
  const view = viewOf([rs, pod('a', { owner: rs }), pod('b', { owner: rs }), pod('other')]);
  const out = renderWrites(reconcileGarbage('apps/v1/replicasets|default|web-abc', { view, now: NOW }).writes, view);
  t.same(
    out.map((w) => [w.op, w.res, w.name, w.object?.metadata.ownerReferences ?? null, w.object?.metadata.finalizers ?? null]),
    [
      ['patch', 'v1/pods', 'a', null, null],
      ['patch', 'v1/pods', 'b', null, null],
      ['patch', 'apps/v1/replicasets', 'web-abc', null, []],
    ],
  );
});

t.test('gc: foreground deletes dependents first, then lets the owner go', async (t) => {
  const rs = terminating(replicaSet('web-abc', 2), ['foregroundDeletion']);
  const running = pod('a', { owner: rs, node: 'n1', readySince: 1 });
  const view = viewOf([rs, running, pod('b', { owner: rs, deleting: true })]);
  const out = renderWrites(reconcileGarbage('apps/v1/replicasets|default|web-abc', { view, now: NOW }).writes, view);
  t.same(
    out.map((w) => [w.op, w.name, w.object?.metadata.deletionTimestamp ?? null]),
    [['patch', 'a', at(90)]],
    'a running pod is deleted gracefully; b is already terminating; the owner waits',
  );
  const empty = viewOf([rs]);
  t.same(
    renderWrites(reconcileGarbage('apps/v1/replicasets|default|web-abc', { view: empty, now: NOW }).writes, empty).map((w) => [w.op, w.object?.metadata.finalizers]),
    [['patch', []]],
  );
});

t.test('namespace: a terminating namespace is emptied, then finalized, then deleted', async (t) => {
  const ns = (spec: string[]): KObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'czm', uid: 'uid-czm', deletionTimestamp: at(10) }, spec: { finalizers: spec }, status: { phase: 'Terminating' } });
  const cm: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'czm', uid: 'uid-cfg' } };
  const full = viewOf([ns(['kubernetes']), cm]);
  t.same(renderWrites(reconcileNamespace('czm', { view: full, now: NOW }).writes, full), [{ op: 'delete', res: 'v1/configmaps', ns: 'czm', name: 'cfg' }]);
  const empty = viewOf([ns(['kubernetes'])]);
  t.same(renderWrites(reconcileNamespace('czm', { view: empty, now: NOW }).writes, empty).map((w) => [w.op, w.object?.spec]), [['patch', { finalizers: [] }]]);
  const finalized = viewOf([ns([])]);
  t.same(renderWrites(reconcileNamespace('czm', { view: finalized, now: NOW }).writes, finalized), [{ op: 'delete', res: 'v1/namespaces', ns: '', name: 'czm' }]);
  const active = viewOf([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'czm' } }, cm]);
  t.same(reconcileNamespace('czm', { view: active, now: NOW }).writes, [], 'an active namespace is left alone');
});

t.test('serviceaccount: default is created in an active namespace that lacks it, and only then', async (t) => {
  const ns: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } };
  const view = viewOf([ns]);
  t.same(renderWrites(reconcileServiceAccount('dev', { view, now: NOW }).writes, view), [
    { op: 'create', res: 'v1/serviceaccounts', ns: 'dev', name: 'default', object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'dev' } } },
  ]);
  const sa: KObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'dev' } };
  t.same(reconcileServiceAccount('dev', { view: viewOf([ns, sa]), now: NOW }).writes, []);
  t.same(reconcileServiceAccount('dev', { view: viewOf([{ ...ns, metadata: { ...ns.metadata, deletionTimestamp: at(1) } }]), now: NOW }).writes, []);
});
