// The simulation end to end on the real store and controller runtime with a virtual clock: the
// scheduler, kubelet and node controllers together with the workload controllers.

import t, { type Test } from 'tap';
import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { simCluster, type SimCluster } from './sim-harness.ts';

const PODS = 'v1/pods';
const create = (res: string, object: KObject): Mutation => ({ op: 'create', res, object });
const podOf = (name: string, spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', ...(annotations ? { annotations } : {}) },
  spec: { containers: [{ name: 'c', image: 'nginx:1.27' }], ...spec },
});
const statusOf = (o: KObject | undefined) => (o?.status ?? {}) as Record<string, any>;
const nodeOf = (p: KObject) => (p.spec as { nodeName?: string }).nodeName;
const scheduledCondition = (p: KObject | undefined) => statusOf(p).conditions?.find((c: { type: string }) => c.type === 'PodScheduled');

async function withCluster(t: Test, opts: Parameters<typeof simCluster>[0], body: (c: SimCluster) => Promise<void>) {
  const c = await simCluster(opts);
  t.teardown(() => c.stop());
  await body(c);
  t.same(c.errors, [], 'no reconcile failed');
}

t.test('a pod naming an unknown scheduler stays Pending, unbound', (t) =>
  withCluster(t, {}, async (c) => {
    await c.apply([create(PODS, podOf('mine', { schedulerName: 'my-scheduler' })), create(PODS, podOf('ours'))]);
    const mine = c.get(PODS, 'mine');
    t.equal(nodeOf(mine!), undefined);
    t.equal(statusOf(mine).phase, 'Pending');
    t.equal(scheduledCondition(mine), undefined, 'the default scheduler says nothing about it');
    t.equal(statusOf(c.get(PODS, 'ours')).phase, 'Running', 'while a default pod runs');
  }));

t.test('a pod requesting more CPU than any node stays Pending with the reason', (t) =>
  withCluster(t, {}, async (c) => {
    await c.apply([create(PODS, podOf('big', { containers: [{ name: 'c', image: 'nginx', resources: { requests: { cpu: '8' } } }] }))]);
    const big = c.get(PODS, 'big');
    t.equal(nodeOf(big!), undefined);
    t.same(scheduledCondition(big), {
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
      message: '0/3 nodes are available: 3 Insufficient cpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
      lastProbeTime: null,
      lastTransitionTime: scheduledCondition(big).lastTransitionTime,
    });
    t.ok(c.list('v1/events').some((e) => e.reason === 'FailedScheduling'), 'a FailedScheduling event');
    // a bigger node arrives: the pod is retried and lands there
    await c.apply([create('v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'huge' }, status: { capacity: { cpu: '16', memory: '64Gi', pods: '110' } } })]);
    t.equal(nodeOf(c.get(PODS, 'big')!), 'huge');
    t.equal(statusOf(c.get(PODS, 'big')).phase, 'Running');
  }));

t.test('stopping a node moves its pods to the other nodes', (t) =>
  withCluster(t, { kubelet: { pullMs: 0, startMs: 0, nodeGraceMs: 5000 } }, async (c) => {
    const tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }];
    const deployment: KObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }], tolerations } } },
    };
    await c.apply([create('apps/v1/deployments', deployment)]);
    const before = c.list(PODS);
    t.same(before.map(nodeOf).sort(), ['node-1', 'node-2', 'node-3'], 'spread one per node');
    const start = c.clock.now();
    const patch: Mutation = {
      op: 'patch',
      res: 'v1/nodes',
      ns: '',
      name: 'node-2',
      apply: (n) => ({ ...n, metadata: { ...n.metadata, annotations: { ...n.metadata.annotations, 'sim.rewind.dev/kubelet': 'stopped' } } }),
    };
    await c.apply([patch]);
    const node2 = c.get('v1/nodes', 'node-2', '');
    t.equal(statusOf(node2).conditions.find((x: { type: string }) => x.type === 'Ready').status, 'Unknown');
    t.match((node2!.spec as { taints: unknown[] }).taints, [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }]);
    const live = c.list(PODS).filter((p) => p.metadata.deletionTimestamp === undefined);
    t.equal(live.length, 3);
    t.notOk(live.some((p) => nodeOf(p) === 'node-2'), 'no live pod on node-2');
    t.ok(live.every((p) => statusOf(p).phase === 'Running'), 'replacements running elsewhere');
    const stuck = c.list(PODS).filter((p) => nodeOf(p) === 'node-2');
    t.equal(stuck.length, 1, 'the evicted pod stays Terminating while its kubelet is down');
    const evictedAt = Date.parse(stuck[0].metadata.deletionTimestamp!) - 30_000;
    t.equal(evictedAt - start, 15_000, 'evicted at grace 5 s + toleration 10 s');
    t.equal(statusOf(c.get('apps/v1/deployments', 'web')).availableReplicas, 3);
  }));

t.test('a DaemonSet follows nodes being added and removed', (t) =>
  withCluster(t, { kubelet: { pullMs: 0, startMs: 0 } }, async (c) => {
    const ds: KObject = {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'agent', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'fluentd' }] } } },
    };
    await c.apply([create('apps/v1/daemonsets', ds)]);
    const nodesOfPods = () => c.list(PODS).filter((p) => statusOf(p).phase === 'Running').map(nodeOf).sort();
    t.same(nodesOfPods(), ['node-1', 'node-2', 'node-3']);
    await c.apply([create('v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-4' } })]);
    t.same(nodesOfPods(), ['node-1', 'node-2', 'node-3', 'node-4'], 'a new node gets its pod at once');
    t.same(c.get('v1/nodes', 'node-4', '')!.spec, { podCIDR: '10.244.4.0/24', podCIDRs: ['10.244.4.0/24'] }, 'the new node got a free CIDR');
    await c.apply([{ op: 'delete', res: 'v1/nodes', ns: '', name: 'node-1' }]);
    t.same(c.list(PODS).map(nodeOf).sort(), ['node-2', 'node-3', 'node-4'], "a removed node's pod goes");
    const status = statusOf(c.get('apps/v1/daemonsets', 'agent'));
    t.match(status, { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 3, numberAvailable: 3, updatedNumberScheduled: 3 });
  }));

t.test('a StatefulSet comes up in order; a Job runs to completion; a crashing pod loops', (t) =>
  withCluster(t, {}, async (c) => {
    const sts: KObject = {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web', namespace: 'default' },
      spec: {
        replicas: 3,
        serviceName: 'nginx',
        selector: { matchLabels: { app: 'nginx' } },
        template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } },
        volumeClaimTemplates: [{ metadata: { name: 'www' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
      },
    };
    const job: KObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'pi', namespace: 'default' },
      spec: { completions: 3, parallelism: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl' }] } } },
    };
    await c.apply([create('apps/v1/statefulsets', sts), create('batch/v1/jobs', job), create(PODS, podOf('crashy', {}, { 'sim.rewind.dev/crash-after': '5s' }))], 60_000);
    const stsPods = c.list(PODS).filter((p) => p.metadata.name?.startsWith('web-'));
    t.same(stsPods.map((p) => p.metadata.name).sort(), ['web-0', 'web-1', 'web-2']);
    const started = stsPods.map((p) => statusOf(p).startTime).sort();
    t.ok(started[0] < started[1] && started[1] < started[2], 'each ordinal started after the previous was ready');
    t.same(c.list('v1/persistentvolumeclaims').map((p) => p.metadata.name).sort(), ['www-web-0', 'www-web-1', 'www-web-2']);
    const jobStatus = statusOf(c.get('batch/v1/jobs', 'pi'));
    t.equal(jobStatus.succeeded, 3);
    t.ok(jobStatus.conditions.some((x: { type: string; status: string }) => x.type === 'Complete' && x.status === 'True'));
    const crashy = statusOf(c.get(PODS, 'crashy')).containerStatuses[0];
    t.ok(crashy.restartCount >= 3, `restarted ${crashy.restartCount} times in a minute`);
  }));
