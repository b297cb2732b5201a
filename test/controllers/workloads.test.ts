// DaemonSet, StatefulSet and Job: one reconcile on a constructed view, asserting the writes.

import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { reconcileDaemonSet, shouldRun } from '../../controllers/daemonset.ts';
import { reconcileJob } from '../../controllers/job.ts';
import { viewOf } from '../../controllers/runtime/testing.ts';
import { reconcileStatefulSet } from '../../controllers/statefulset.ts';
import { applyWrites, at, eventsOf, node, objectWrites, simPod, T0 } from './sim-fixtures.ts';

const template = (labels: Record<string, string>, spec: Record<string, unknown> = {}) => ({ metadata: { labels }, spec: { containers: [{ name: 'c', image: 'busybox' }], ...spec } });

const daemonSet = (spec: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'default', uid: 'uid-agent', generation: 1 },
  spec: { selector: { matchLabels: { app: 'agent' } }, template: template({ app: 'agent' }), ...spec },
});

const podNode = (p: KObject) => {
  const s = p.spec as { nodeName?: string; affinity?: any };
  return s.nodeName ?? s.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values[0];
};

t.test('daemonset: which nodes are eligible', async (t) => {
  const rows: [string, KObject, KObject, boolean][] = [
    ['plain node', daemonSet(), node('n'), true], // no constraints
    ['cordoned', daemonSet(), node('n', { unschedulable: true }), true], // daemon pods tolerate unschedulable
    ['unreachable', daemonSet(), node('n', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] }), true], // and unreachable
    ['tainted', daemonSet(), node('n', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }), false], // a foreign taint
    ['tolerated', daemonSet({ template: template({ app: 'agent' }, { tolerations: [{ key: 'dedicated', operator: 'Exists' }] }) }), node('n', { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }), true],
    ['selector miss', daemonSet({ template: template({ app: 'agent' }, { nodeSelector: { disk: 'ssd' } }) }), node('n'), false],
    ['selector hit', daemonSet({ template: template({ app: 'agent' }, { nodeSelector: { disk: 'ssd' } }) }), node('n', { labels: { disk: 'ssd' } }), true],
  ];
  for (const [name, ds, n, want] of rows) t.equal(shouldRun(ds, n), want, name);
});

t.test('daemonset: a pod per eligible node, pinned by affinity; extra and stray pods deleted', async (t) => {
  const ds = daemonSet({ template: template({ app: 'agent' }, { nodeSelector: { role: 'worker' } }) });
  const workers = [node('node-1', { labels: { role: 'worker' } }), node('node-2', { labels: { role: 'worker' } }), node('node-3')];
  const view = viewOf([ds, ...workers]);
  const { writes } = reconcileDaemonSet('default/agent', { view, now: T0 });
  const created = objectWrites(writes, view).filter((w) => w.op === 'create' && w.res === 'v1/pods');
  t.same(created.map((w) => podNode(w.object!)), ['node-1', 'node-2']);
  const spec = created[0].object!.spec as { tolerations: { key: string }[] };
  t.ok(spec.tolerations.some((x) => x.key === 'node.kubernetes.io/unreachable'), 'daemon tolerations added');
  t.match(created[0].object!.metadata.labels, { app: 'agent', 'controller-revision-hash': /.+/, 'pod-template-generation': '1' });
  t.equal(eventsOf(writes, view).length, 2);
  let objects = applyWrites([ds, ...workers], writes);
  const status = (objects[0].status ?? {}) as Record<string, number>;
  t.same([status.desiredNumberScheduled, status.currentNumberScheduled, status.numberReady], [2, 0, 0], 'nothing bound yet');

  // node-2 goes away: its pod is deleted
  objects = objects.filter((o) => o.metadata.name !== 'node-2');
  const gone = reconcileDaemonSet('default/agent', { view: viewOf(objects), now: T0 + 1000 });
  t.same(objectWrites(gone.writes, viewOf(objects)).filter((w) => w.res === 'v1/pods').map((w) => w.op), ['delete']);
});

const statefulSet = (replicas: number, extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-web', generation: 1 },
  spec: {
    replicas,
    serviceName: 'nginx',
    podManagementPolicy: 'OrderedReady',
    selector: { matchLabels: { app: 'nginx' } },
    template: template({ app: 'nginx' }),
    volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    ...extra,
  },
});

const readyPod = (p: KObject): KObject => ({ ...p, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at(1) }] } });

t.test('statefulset: ordinals one at a time, each with its claim, hostname and subdomain', async (t) => {
  let objects: KObject[] = [statefulSet(3)];
  const step = () => {
    const view = viewOf(objects);
    const { writes } = reconcileStatefulSet('default/web', { view, now: T0 });
    objects = applyWrites(objects, writes);
    return objectWrites(writes, view).filter((w) => w.res !== 'apps/v1/statefulsets' && w.res !== 'apps/v1/controllerrevisions');
  };
  const first = step();
  t.same(first.map((w) => `${w.op} ${w.res} ${w.name}`), ['create v1/persistentvolumeclaims www-web-0', 'create v1/pods web-0']);
  const pod0 = first[1].object!;
  t.match(pod0.spec, { hostname: 'web-0', subdomain: 'nginx', volumes: [{ name: 'www', persistentVolumeClaim: { claimName: 'www-web-0' } }] });
  t.match(pod0.metadata.labels, { app: 'nginx', 'statefulset.kubernetes.io/pod-name': 'web-0', 'apps.kubernetes.io/pod-index': '0' });
  t.same(step(), [], 'web-1 waits until web-0 is Running and Ready');
  objects = objects.map((o) => (o.metadata.name === 'web-0' && o.kind === 'Pod' ? readyPod(o) : o));
  t.same(step().map((w) => w.name), ['www-web-1', 'web-1']);
});

t.test('statefulset: scale down removes the highest ordinal first, claims stay', async (t) => {
  const set = statefulSet(1);
  const pods = ['web-0', 'web-1', 'web-2'].map((n) => readyPod(simPod(n, { owner: set, labels: { app: 'nginx' } })));
  const view = viewOf([set, ...pods]);
  const { writes } = reconcileStatefulSet('default/web', { view, now: T0 });
  const deletes = objectWrites(writes, view).filter((w) => w.res === 'v1/pods');
  t.same(deletes.map((w) => w.name), ['web-2'], 'one at a time, highest first');
  t.same(eventsOf(writes, view), ['SuccessfulDelete: delete Pod web-2 in StatefulSet web successful']);
  t.notOk(writes.some((w) => w.res === 'v1/persistentvolumeclaims'));
});

const job = (spec: Record<string, unknown>, status?: Record<string, unknown>): KObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'pi', namespace: 'default', uid: 'uid-pi' },
  spec: { parallelism: 1, completions: 1, backoffLimit: 6, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-pi' } }, template: template({ 'job-name': 'pi', 'batch.kubernetes.io/controller-uid': 'uid-pi' }, { restartPolicy: 'Never' }), ...spec },
  ...(status ? { status } : {}),
});
const jobPod = (name: string, phase: string, j: KObject) => simPod(name, { owner: j, phase, labels: { 'job-name': 'pi', 'batch.kubernetes.io/controller-uid': 'uid-pi' } });

t.test('job: parallelism bounds the pods started, completions bound the total', async (t) => {
  const j = job({ completions: 3, parallelism: 2 });
  const view = viewOf([j]);
  const { writes } = reconcileJob('default/pi', { view, now: T0 });
  const created = objectWrites(writes, view).filter((w) => w.op === 'create');
  t.equal(created.length, 2);
  t.match(created[0].object!.metadata.labels, { 'job-name': 'pi', 'batch.kubernetes.io/controller-uid': 'uid-pi' });
  const status = objectWrites(writes, view).find((w) => w.res === 'batch/v1/jobs')!.object!.status;
  t.same(status, { startTime: at(0), active: 2, terminating: 0, uncountedTerminatedPods: {}, ready: 0 });
  // two succeeded, none running: one more for the third completion
  const v2 = viewOf([j, jobPod('pi-a', 'Succeeded', j), jobPod('pi-b', 'Succeeded', j)]);
  t.equal(objectWrites(reconcileJob('default/pi', { view: v2, now: T0 }).writes, v2).filter((w) => w.op === 'create').length, 1);
});

t.test('job: Complete with completionTime when completions succeeded', async (t) => {
  const j = job({ completions: 1 }, { startTime: at(0) });
  const view = viewOf([j, jobPod('pi-a', 'Succeeded', j)]);
  const { writes } = reconcileJob('default/pi', { view, now: T0 + 5000 });
  const status = objectWrites(writes, view).find((w) => w.res === 'batch/v1/jobs')!.object!.status as Record<string, any>;
  t.same(status.conditions.map((c: { type: string }) => c.type), ['SuccessCriteriaMet', 'Complete']);
  t.equal(status.completionTime, at(5));
  t.equal(status.succeeded, 1);
  t.same(eventsOf(writes, view), ['Completed: Job completed']);
});

t.test('job: more failures than backoffLimit fail the Job', async (t) => {
  const j = job({ completions: 1, backoffLimit: 1 }, { startTime: at(0) });
  const view = viewOf([j, jobPod('pi-a', 'Failed', j), jobPod('pi-b', 'Failed', j)]);
  const { writes } = reconcileJob('default/pi', { view, now: T0 });
  const status = objectWrites(writes, view).find((w) => w.res === 'batch/v1/jobs')!.object!.status as Record<string, any>;
  t.same(status.conditions.at(-1), { type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit', lastProbeTime: at(0), lastTransitionTime: at(0) });
  t.equal(status.failed, 2);
  t.notOk(writes.some((w) => w.op === 'create' && w.res === 'v1/pods'), 'no replacement');
  // one failure is within the limit: a replacement is made
  const v2 = viewOf([j, jobPod('pi-a', 'Failed', j)]);
  t.equal(objectWrites(reconcileJob('default/pi', { view: v2, now: T0 }).writes, v2).filter((w) => w.op === 'create').length, 1);
});
