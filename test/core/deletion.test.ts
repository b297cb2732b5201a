// planDeletion: what a DELETE does to an object, one row per rule (graceful pods, finalizers and
// propagation policies, namespaces, already terminating, forced), and the same plan reached through
// a controller's deleteObject.
import t from 'tap';
import { planDeletion, type DeletionOptions } from '../../core/deletion.ts';
import type { KObject } from '../../core/object.ts';
import { deleteObject } from '../../controllers/runtime/delete.ts';

const NOW = Date.UTC(2026, 0, 1);
const at = (s: number) => new Date(NOW + s * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

const pod = (extra: { node?: string; phase?: string; grace?: number; finalizers?: string[]; deleting?: boolean } = {}): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default', uid: 'uid-p', ...(extra.finalizers ? { finalizers: extra.finalizers } : {}), ...(extra.deleting ? { deletionTimestamp: at(5) } : {}) },
  spec: { ...(extra.node ? { nodeName: extra.node } : {}), ...(extra.grace !== undefined ? { terminationGracePeriodSeconds: extra.grace } : {}) },
  status: { phase: extra.phase ?? 'Running' },
});
const rc: KObject = { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'kubia', namespace: 'default', uid: 'uid-rc' } };
const ns: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev', uid: 'uid-ns' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };

/** The plan as data: the action, and for a mark the fields it sets. */
function outcome(obj: KObject, opts: DeletionOptions = {}) {
  const plan = planDeletion(obj, opts, NOW);
  if (plan.action !== 'mark') return plan.action;
  const marked = plan.apply(structuredClone(obj));
  const m = marked.metadata;
  return { deletionTimestamp: m.deletionTimestamp, grace: m.deletionGracePeriodSeconds, finalizers: m.finalizers, phase: (marked.status as { phase?: string } | undefined)?.phase };
}

t.test('one row per rule', async (t) => {
  const rows: [string, KObject, DeletionOptions, unknown][] = [
    ['a pod on a node: default 30 s grace', pod({ node: 'n1' }), {}, { deletionTimestamp: at(30), grace: 30, finalizers: undefined, phase: 'Running' }],
    ['its own terminationGracePeriodSeconds', pod({ node: 'n1', grace: 5 }), {}, { deletionTimestamp: at(5), grace: 5, finalizers: undefined, phase: 'Running' }],
    ['gracePeriodSeconds from the request wins', pod({ node: 'n1', grace: 5 }), { gracePeriodSeconds: 1 }, { deletionTimestamp: at(1), grace: 1, finalizers: undefined, phase: 'Running' }],
    ['an unscheduled pod goes at once', pod(), {}, 'remove'],
    ['a finished pod goes at once', pod({ node: 'n1', phase: 'Succeeded' }), {}, 'remove'],
    ['gracePeriodSeconds=0 removes a pod on a node', pod({ node: 'n1' }), { gracePeriodSeconds: 0 }, 'remove'],
    ['a pod with finalizers waits for them', pod({ finalizers: ['x'] }), {}, { deletionTimestamp: at(0), grace: 0, finalizers: ['x'], phase: 'Running' }],
    ['Orphan adds the orphan finalizer', rc, { propagationPolicy: 'Orphan' }, { deletionTimestamp: at(0), grace: 0, finalizers: ['orphan'], phase: undefined }],
    ['Foreground adds foregroundDeletion', rc, { propagationPolicy: 'Foreground' }, { deletionTimestamp: at(0), grace: 0, finalizers: ['foregroundDeletion'], phase: undefined }],
    ['Background removes at once', rc, { propagationPolicy: 'Background' }, 'remove'],
    ['a namespace with spec.finalizers is Terminating', ns, {}, { deletionTimestamp: at(0), grace: undefined, finalizers: undefined, phase: 'Terminating' }],
    ['already terminating: nothing more', pod({ node: 'n1', deleting: true }), {}, 'none'],
    ['already terminating, forced with 0: removed', pod({ node: 'n1', deleting: true }), { gracePeriodSeconds: 0 }, 'remove'],
  ];
  for (const [name, obj, opts, want] of rows) t.same(outcome(obj, opts), want, name);
});

t.test('a mark applied to an object marked meanwhile leaves it as it is', async (t) => {
  const plan = planDeletion(pod({ node: 'n1' }), {}, NOW);
  t.equal(plan.action, 'mark');
  if (plan.action !== 'mark') return;
  const already = pod({ node: 'n1', deleting: true });
  t.equal(plan.apply(already), already);
});

t.test('a controller deletes the same way: graceful patch for a pod on a node, removal by uid otherwise', async (t) => {
  const graceful = deleteObject('v1/pods', pod({ node: 'n1' }), NOW);
  t.equal(graceful.op, 'patch');
  if (graceful.op === 'patch') t.match(graceful.apply(pod({ node: 'n1' })).metadata, { deletionTimestamp: at(30), deletionGracePeriodSeconds: 30 });
  t.same(deleteObject('v1/pods', pod(), NOW), { op: 'delete', res: 'v1/pods', ns: 'default', name: 'p', expectedUid: 'uid-p' });
  const foreground = deleteObject('v1/replicationcontrollers', rc, NOW, { propagationPolicy: 'Foreground' });
  if (foreground.op === 'patch') t.same(foreground.apply(rc).metadata.finalizers, ['foregroundDeletion']);
  else t.fail('a foreground deletion is a mark');
});
