// The scheduler: each filter table-driven (one comment per row), the score, kube-scheduler's
// unschedulable message, and the exact writes of one reconcile.

import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { viewOf } from '../../controllers/runtime/testing.ts';
import { filterNode, matchesRequirement, podRequests, type NodeInfo, type NodeSelectorRequirement } from '../../controllers/scheduler/filters.ts';
import { fitErrorMessage, reconcileSchedule } from '../../controllers/scheduler/index.ts';
import { leastAllocated } from '../../controllers/scheduler/score.ts';
import { snapshot } from '../../controllers/scheduler/cache.ts';
import { applyWrites, at, eventsOf, node, objectWrites, simPod, T0 } from './sim-fixtures.ts';

const infoOf = (n: KObject, bound: KObject[] = []): NodeInfo => snapshot(viewOf([n, ...bound])).nodes[0];
const reasons = (pod: KObject, n: KObject, bound: KObject[] = []) => filterNode(pod, infoOf(n, bound)).map((f) => f.reason);

t.test('filters: why a node is rejected', async (t) => {
  const rows: [string, KObject, KObject, KObject[], string[]][] = [
    // a ready node with room takes a plain pod
    ['fits', simPod('p'), node('n1'), [], []],
    // Ready=False and no taint: the readiness check rejects it
    ['not ready', simPod('p'), node('n1', { ready: 'False' }), [], ['node(s) were not ready']],
    // cordoned
    ['unschedulable', simPod('p'), node('n1', { unschedulable: true }), [], ['node(s) were unschedulable']],
    // cordoned, but the pod tolerates node.kubernetes.io/unschedulable
    ['unschedulable tolerated', simPod('p', { spec: { tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists' }] } }), node('n1', { unschedulable: true }), [], []],
    // a NoSchedule taint nobody tolerates, printed as kube-scheduler prints it
    ['taint', simPod('p'), node('n1', { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] }), [], ['node(s) had untolerated taint {gpu: yes}']],
    // Equal toleration with the right value
    ['taint tolerated', simPod('p', { spec: { tolerations: [{ key: 'gpu', operator: 'Equal', value: 'yes', effect: 'NoSchedule' }] } }), node('n1', { taints: [{ key: 'gpu', value: 'yes', effect: 'NoSchedule' }] }), [], []],
    // PreferNoSchedule is only a preference
    ['prefer taint', simPod('p'), node('n1', { taints: [{ key: 'x', effect: 'PreferNoSchedule' }] }), [], []],
    // nodeSelector label missing
    ['nodeSelector', simPod('p', { spec: { nodeSelector: { disk: 'ssd' } } }), node('n1'), [], ["node(s) didn't match Pod's node affinity/selector"]],
    // nodeSelector label present
    ['nodeSelector match', simPod('p', { spec: { nodeSelector: { disk: 'ssd' } } }), node('n1', { labels: { disk: 'ssd' } }), [], []],
    // required affinity on a field: metadata.name In [n2]
    ['affinity field', simPod('p', { spec: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }] } } } } }), node('n1'), [], ["node(s) didn't match Pod's node affinity/selector"]],
    // more cpu than allocatable
    ['cpu', simPod('p', { cpu: '5' }), node('n1'), [], ['Insufficient cpu']],
    // cpu and memory both short: two reasons from one plugin
    ['cpu and memory', simPod('p', { cpu: '3', memory: '10Gi' }), node('n1'), [simPod('b', { node: 'n1', cpu: '2', memory: '8Gi', phase: 'Running' })], ['Insufficient cpu', 'Insufficient memory']],
    // a finished pod no longer holds its requests
    ['succeeded frees', simPod('p', { cpu: '3' }), node('n1'), [simPod('b', { node: 'n1', cpu: '2', phase: 'Succeeded' })], []],
    // pod count
    ['too many pods', simPod('p'), node('n1', { pods: '1' }), [simPod('b', { node: 'n1', phase: 'Running' })], ['Too many pods']],
    // host port taken
    ['host port', simPod('p', { spec: { containers: [{ name: 'a', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] } }), node('n1'), [simPod('b', { node: 'n1', spec: { containers: [{ name: 'b', image: 'x', ports: [{ containerPort: 80, hostPort: 8080 }] }] } })], ["node(s) didn't have free ports for the requested pod ports"]],
  ];
  for (const [name, pod, n, bound, want] of rows) t.same(reasons(pod, n, bound), want, name);
});

t.test('node selector requirements', async (t) => {
  const labels = { zone: 'a', cores: '8' };
  const rows: [NodeSelectorRequirement, boolean][] = [
    [{ key: 'zone', operator: 'In', values: ['a', 'b'] }, true], // value listed
    [{ key: 'zone', operator: 'In', values: ['b'] }, false], // value not listed
    [{ key: 'zone', operator: 'NotIn', values: ['b'] }, true], // not excluded
    [{ key: 'gpu', operator: 'NotIn', values: ['x'] }, true], // absent label is not in any set
    [{ key: 'zone', operator: 'Exists' }, true], // present
    [{ key: 'gpu', operator: 'DoesNotExist' }, true], // absent
    [{ key: 'cores', operator: 'Gt', values: ['4'] }, true], // 8 > 4
    [{ key: 'cores', operator: 'Lt', values: ['4'] }, false], // 8 < 4 fails
    [{ key: 'zone', operator: 'Gt', values: ['1'] }, false], // non-integer label never matches Gt
  ];
  for (const [r, want] of rows) t.equal(matchesRequirement(r, labels), want, `${r.key} ${r.operator} ${r.values ?? ''}`);
});

t.test('pod requests: sum of containers, raised to the largest init container', async (t) => {
  const pod = simPod('p', {
    spec: {
      containers: [{ name: 'a', image: 'x', resources: { requests: { cpu: '100m', memory: '64Mi' } } }, { name: 'b', image: 'x', resources: { requests: { cpu: '200m' } } }],
      initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '500m', memory: '32Mi' } } }],
    },
  });
  t.same(podRequests(pod), { cpu: 500, memory: 64 * 2 ** 20, pods: 1 });
  // scoring counts an unset request as 100m / 200Mi
  t.same(podRequests(simPod('q'), true), { cpu: 100, memory: 200 * 2 ** 20, pods: 1 });
});

t.test('least allocated: the worked example of score.ts', async (t) => {
  const pod = simPod('p', { cpu: '1', memory: '1Gi' });
  t.equal(leastAllocated(pod, infoOf(node('n1'), [simPod('b', { node: 'n1', cpu: '2', memory: '2Gi', phase: 'Running' })])), 53);
  t.equal(leastAllocated(pod, infoOf(node('n1'))), 84);
});

t.test('unschedulable message: reasons counted and sorted, preemption verdicts', async (t) => {
  t.equal(
    fitErrorMessage(3, new Map(['n1', 'n2', 'n3'].map((n) => [n, [{ reason: 'Insufficient cpu', resolvable: true }]]))),
    '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
  );
  t.equal(
    fitErrorMessage(
      3,
      new Map([
        ['n1', [{ reason: 'Insufficient cpu', resolvable: true }]],
        ['n2', [{ reason: "node(s) didn't match Pod's node affinity/selector", resolvable: false }]],
        ['n3', [{ reason: 'node(s) had untolerated taint {gpu: yes}', resolvable: false }]],
      ]),
    ),
    "0/3 nodes are available: 1 Insufficient cpu, 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {gpu: yes}. preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.",
  );
  t.equal(fitErrorMessage(0, new Map()), 'no nodes available to schedule pods');
});

t.test('reconcile binds to the best node and records Scheduled', async (t) => {
  const busy = simPod('b', { node: 'node-1', cpu: '2', phase: 'Running' });
  const view = viewOf([node('node-1'), node('node-2'), busy, simPod('web-1', { cpu: '1' })]);
  const { writes } = reconcileSchedule('default/web-1', { view, now: T0 + 5000 });
  const [bound] = objectWrites(writes, view);
  t.equal((bound.object!.spec as { nodeName: string }).nodeName, 'node-2', 'the emptier node wins');
  t.same((bound.object!.status as { conditions: unknown[] }).conditions, [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: at(5) }]);
  t.same(eventsOf(writes, view), ['Scheduled: Successfully assigned default/web-1 to node-2']);
});

t.test('ties go to the first node by name; a controller’s pods spread', async (t) => {
  const rs = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web', namespace: 'default', uid: 'uid-rs' } };
  const nodes = [node('node-1'), node('node-2'), node('node-3')];
  let objects: KObject[] = [...nodes, ...['a', 'b', 'c'].map((n) => simPod(n, { owner: rs }))];
  for (const name of ['a', 'b', 'c']) objects = applyWrites(objects, reconcileSchedule(`default/${name}`, { view: viewOf(objects), now: T0 }).writes);
  const placed = Object.fromEntries(objects.filter((o) => o.kind === 'Pod').map((p) => [p.metadata.name, (p.spec as { nodeName?: string }).nodeName]));
  t.same(placed, { a: 'node-1', b: 'node-2', c: 'node-3' });
});

t.test('no node fits: PodScheduled=False with the reason, FailedScheduling; the same verdict writes nothing', async (t) => {
  const objects = [node('node-1'), node('node-2'), node('node-3'), simPod('big', { cpu: '5' })];
  const view = viewOf(objects);
  const { writes } = reconcileSchedule('default/big', { view, now: T0 });
  const message = '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.';
  const [patched] = objectWrites(writes, view);
  t.same((patched.object!.status as { conditions: unknown[] }).conditions, [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message, lastProbeTime: null, lastTransitionTime: at(0) }]);
  t.equal(patched.object!.spec && (patched.object!.spec as { nodeName?: string }).nodeName, undefined);
  t.same(eventsOf(writes, view), [`FailedScheduling: ${message}`]);
  const again = applyWrites(objects, writes);
  t.same(reconcileSchedule('default/big', { view: viewOf(again), now: T0 + 1000 }).writes, []);
});

t.test('pods for another scheduler, bound or being deleted are left alone', async (t) => {
  const view = viewOf([
    node('node-1'),
    simPod('mine', { schedulerName: 'my-scheduler' }),
    simPod('bound', { node: 'node-1' }),
    { ...simPod('going'), metadata: { ...simPod('going').metadata, deletionTimestamp: at(1) } },
  ]);
  for (const name of ['mine', 'bound', 'going', 'missing']) t.same(reconcileSchedule(`default/${name}`, { view, now: T0 }).writes, [], name);
});
