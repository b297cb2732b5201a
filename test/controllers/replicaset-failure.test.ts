// ReplicaFailure: a refused pod create is reported (FailedCreate Warning Event + the ReplicaFailure
// condition), a failing set creates one pod per run, and the condition goes once no pod is missing.
// Unit tests on the reconcile and its onCommitError report (and the same Warning from the daemon
// set, job and stateful set controllers), then the whole loop through the runtime and a store with
// quota admission: a deployment of 4 under pods=2, then the quota raised.
import t from 'tap';
import { admit } from '../../core/admission.ts';
import { VirtualClock } from '../../core/clock.ts';
import { StatusError } from '../../core/errors.ts';
import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { CONTROLLERS } from '../../controllers/index.ts';
import { startControllers } from '../../controllers/manager.ts';
import { daemonSetController } from '../../controllers/daemonset.ts';
import { jobController } from '../../controllers/job.ts';
import { replicaSetController } from '../../controllers/replicaset.ts';
import { statefulSetController } from '../../controllers/statefulset.ts';
import { runUntilSettled } from '../../controllers/runtime/settle.ts';
import type { Controller } from '../../controllers/runtime/types.ts';
import { renderWrites, viewOf } from '../../controllers/runtime/testing.ts';
import { openStore } from '../../store/index.ts';
import { fakeKubelet } from './fake-kubelet.ts';
import { at, pod, replicaSet, T0 } from './fixtures.ts';

const rsCtl = replicaSetController({ clock: undefined as never });
const RS = 'apps/v1/replicasets';
const NOW = T0 + 60_000;
const QUOTA_ERROR = 'pods "web-abc-x" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2';
const failure = { type: 'ReplicaFailure', status: 'True', lastTransitionTime: at(60), reason: 'FailedCreate', message: QUOTA_ERROR };

t.test('a refused create is reported: Warning FailedCreate with the API error, and the ReplicaFailure condition', async (t) => {
  const rs = replicaSet('web-abc', 4, { status: { replicas: 2, observedGeneration: 1 } });
  const view = viewOf([rs, pod('a', { owner: rs }), pod('b', { owner: rs })]);
  const refused: Mutation[] = rsCtl.reconcile('default/web-abc', { view, now: NOW }).writes;
  const report = rsCtl.onCommitError!('default/web-abc', { error: new StatusError('Forbidden', QUOTA_ERROR), writes: refused }, { view, now: NOW });
  t.match(renderWrites(report, view), [
    { op: 'patch', res: 'v1/events', name: /^web-abc\./, object: { type: 'Warning', reason: 'FailedCreate', message: `Error creating: ${QUOTA_ERROR}`, count: 1 } },
    { op: 'update', res: RS, name: 'web-abc', object: { status: { replicas: 2, observedGeneration: 1, conditions: [failure] } } },
  ]);
  t.equal(report.length, 2);

  const failing = replicaSet('web-abc', 4, { status: { replicas: 2, observedGeneration: 1, conditions: [failure] } });
  const again = rsCtl.onCommitError!('default/web-abc', { error: new StatusError('Forbidden', QUOTA_ERROR), writes: refused }, { view: viewOf([failing]), now: NOW + 1000 });
  t.same(again.map((w) => w.res), ['v1/events'], 'a standing condition is not rewritten (SetCondition keeps the first)');
  t.same(rsCtl.onCommitError!('default/web-abc', { error: new StatusError('Invalid', 'x'), writes: [refused[refused.length - 1]] }, { view, now: NOW }), [], 'a refused status update alone is not a pod failure');
});

t.test('while failing, one pod per run and the condition stays; in sync, the condition goes', async (t) => {
  const rs = replicaSet('web-abc', 4, { status: { replicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1, conditions: [failure] } });
  const view = viewOf([rs, pod('a', { owner: rs }), pod('b', { owner: rs })]);
  const out = renderWrites(rsCtl.reconcile('default/web-abc', { view, now: NOW }).writes, view);
  t.same(out.map((w) => [w.op, w.res]), [['create', 'v1/pods'], ['patch', 'v1/events']], 'one create; the status (with its condition) is unchanged');

  const full = replicaSet('web-abc', 2, { status: { replicas: 2, observedGeneration: 1, conditions: [failure] } });
  const inSync = viewOf([full, pod('a', { owner: full }), pod('b', { owner: full })]);
  t.same(renderWrites(rsCtl.reconcile('default/web-abc', { view: inSync, now: NOW }).writes, inSync), [
    { op: 'update', res: RS, ns: 'default', name: 'web-abc', object: { ...full, status: { replicas: 2, fullyLabeledReplicas: 2, observedGeneration: 1 } } },
  ]);
});

t.test('daemon sets, jobs and stateful sets record a refused pod create as a Warning FailedCreate', async (t) => {
  const owner = (apiVersion: string, kind: string): KObject => ({ apiVersion, kind, metadata: { name: 'w', namespace: 'default', uid: `uid-${kind}` }, spec: {} });
  const refusedPod = { op: 'create' as const, res: 'v1/pods', object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'w-0', namespace: 'default' } } };
  const error = new StatusError('Forbidden', QUOTA_ERROR);
  const rows: [string, ReturnType<typeof jobController>, KObject, string][] = [
    ['daemonset', daemonSetController({ clock: undefined as never }), owner('apps/v1', 'DaemonSet'), `Error creating: ${QUOTA_ERROR}`],
    ['job', jobController({ clock: undefined as never }), owner('batch/v1', 'Job'), `Error creating: ${QUOTA_ERROR}`],
    ['statefulset', statefulSetController({ clock: undefined as never }), owner('apps/v1', 'StatefulSet'), `create Pod w-0 in StatefulSet w failed error: ${QUOTA_ERROR}`],
  ];
  for (const [name, ctl, o, message] of rows) {
    const view = viewOf([o]);
    const report = renderWrites(ctl.onCommitError!('default/w', { error, writes: [refusedPod] }, { view, now: NOW }), view);
    t.match(report, [{ op: 'patch', res: 'v1/events', object: { type: 'Warning', reason: 'FailedCreate', message, involvedObject: { kind: o.kind, name: 'w' } } }], name);
    t.equal(report.length, 1, `${name}: only the event`);
  }
});

t.test('the runtime: a refused commit is reported once per try, a Conflict is not, and a throwing report does not wedge the key', async (t) => {
  const clock = new VirtualClock(T0);
  const store = await openStore({ clock, sync: 'none', admit });
  const configMap = (name: string, data: unknown): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data } as KObject);
  const runs = { refused: 0, thrower: 0 };
  const seen: string[] = [];
  const refusing: Controller = {
    name: 'refusing',
    watches: [{ res: 'v1/namespaces', keys: (e) => (e.name === 'default' ? ['x'] : []) }],
    initialKeys: () => ['x'],
    // A config map with a non-string value: admission refuses it (400), every time.
    reconcile: () => (runs.refused++ < 3 ? { writes: [{ op: 'create', res: 'v1/configmaps', object: configMap('bad', { k: 1 }) }] } : { writes: [] }),
    onCommitError: (key, failure) => {
      seen.push(`${key}: ${failure.error.reason} (${failure.writes.length} refused)`);
      return [{ op: 'create', res: 'v1/configmaps', object: configMap(`report-${seen.length}`, { reason: failure.error.reason }) }];
    },
  };
  const thrower: Controller = {
    name: 'thrower',
    watches: [{ res: 'v1/namespaces', keys: () => [] }],
    initialKeys: () => ['y'],
    reconcile: () => (runs.thrower++ < 2 ? { writes: [{ op: 'create', res: 'v1/configmaps', object: configMap('bad2', { k: 2 }) }] } : { writes: [] }),
    onCommitError: () => {
      throw new Error('a bug in the report');
    },
  };
  const conflicts: string[] = [];
  let staleRuns = 0;
  const stale: Controller = {
    name: 'stale',
    watches: [{ res: 'v1/namespaces', keys: () => [] }],
    initialKeys: () => ['z'],
    // An update naming a resourceVersion the object no longer has: 409 Conflict.
    reconcile: () => (staleRuns++ < 2 ? { writes: [{ op: 'update', res: 'v1/configmaps', object: { ...configMap('c', { k: 'v' }), metadata: { name: 'c', namespace: 'default', resourceVersion: '999' } } }] } : { writes: [] }),
    onCommitError: (key) => {
      conflicts.push(key);
      return [];
    },
  };
  await store.commit([{ op: 'create', res: 'v1/configmaps', object: configMap('c', { k: 'v' }) }], { actor: { kind: 'user', name: 'alice' } });
  const errors: unknown[] = [];
  const manager = await startControllers(store, { clock, factories: [() => refusing, () => thrower, () => stale], onError: (_c, _k, e) => errors.push(e) });
  t.teardown(async () => {
    await manager.stop();
    await store.close();
  });
  await runUntilSettled(manager, clock, { maxVirtualMs: 60_000 });
  t.same(seen, ['x: BadRequest (1 refused)', 'x: BadRequest (1 refused)', 'x: BadRequest (1 refused)'], 'one report per refused try, retried with backoff until the reconcile stops writing');
  t.same(store.list('v1/configmaps', { namespace: 'default' }).items.map((c) => c.metadata.name).filter((n) => n?.startsWith('report-')), ['report-1', 'report-2', 'report-3'], 'the reports were committed');
  t.equal(runs.thrower, 3, 'the key whose report threw was retried and settled');
  t.ok(errors.some((e) => e instanceof Error && e.message === 'a bug in the report'), 'the throw reached onError');
  t.same([staleRuns, conflicts], [3, []], 'a Conflict is retried without a report');
});

const actor = { kind: 'user' as const, name: 'alice' };
const quota = (pods: string, rv?: string): KObject => ({
  apiVersion: 'v1',
  kind: 'ResourceQuota',
  metadata: { name: 'compute', namespace: 'default', ...(rv ? { resourceVersion: rv } : {}) },
  spec: { hard: { pods } },
});
const deployment: KObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 4, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } } },
};

t.test('through the runtime: quota pods=2 and a deployment of 4 → 2 pods and ReplicaFailure up to the deployment; raising the quota heals it', async (t) => {
  const clock = new VirtualClock(T0);
  const store = await openStore({ clock, sync: 'none', admit });
  const manager = await startControllers(store, { clock, factories: [...CONTROLLERS, fakeKubelet], enabled: ['*', '-scheduler', '-kubelet', '-kubelet-node', '-nodelifecycle'] });
  t.teardown(async () => {
    await manager.stop();
    await store.close();
  });
  const settle = () => runUntilSettled(manager, clock, { maxVirtualMs: 60_000 });
  await store.commit([{ op: 'create', res: 'v1/resourcequotas', object: quota('2') }], { actor });
  await store.commit([{ op: 'create', res: 'apps/v1/deployments', object: deployment }], { actor });
  await settle();

  const pods = () => store.list('v1/pods', { namespace: 'default' }).items;
  const [rs] = store.list(RS, { namespace: 'default' }).items;
  const condition = (o: KObject | undefined) => (o?.status as { conditions?: { type: string; status: string; reason: string; message: string }[] }).conditions?.find((c) => c.type === 'ReplicaFailure');
  t.equal(pods().length, 2, 'the quota let two pods in');
  t.match(condition(rs), { status: 'True', reason: 'FailedCreate', message: /^pods "web-[a-z0-9]+-[a-z0-9]{5}" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2$/ });
  t.match(condition(store.get('apps/v1/deployments', 'default', 'web')), { status: 'True', reason: 'FailedCreate' }, 'the deployment copies it');
  const warnings = store.list('v1/events', { namespace: 'default' }).items.filter((e) => e.reason === 'FailedCreate');
  // Each retry names a new pod, so its message differs: one event per distinct message, as client-go records them.
  t.ok(warnings.length >= 1, 'Warning events were recorded');
  for (const e of warnings) t.match(e, { type: 'Warning', involvedObject: { kind: 'ReplicaSet', name: rs.metadata.name }, message: /^Error creating: pods ".*" is forbidden: exceeded quota: compute/ });

  t.match(store.get('v1/resourcequotas', 'default', 'compute')?.status, { hard: { pods: '2' }, used: { pods: '2' } }, 'the quota controller reports the usage');

  const current = store.get('v1/resourcequotas', 'default', 'compute')!;
  await store.commit([{ op: 'update', res: 'v1/resourcequotas', object: { ...quota('10'), metadata: current.metadata } }], { actor });
  await settle();
  t.equal(pods().length, 4, 'the missing pods appear');
  t.equal(condition(store.get(RS, 'default', rs.metadata.name!)), undefined, 'the replica set condition is cleared');
  t.equal(condition(store.get('apps/v1/deployments', 'default', 'web')), undefined, 'and the deployment one');
  t.match(store.get('v1/resourcequotas', 'default', 'compute')?.status, { hard: { pods: '10' }, used: { pods: '4' } });
});
