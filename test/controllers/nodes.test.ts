// Node registration, the heartbeat representation and the node lifecycle: exact writes of one
// reconcile at the instants that matter (before and at the grace period, at the eviction time).

import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { DEFAULT_SIMULATION } from '../../controllers/kubelet/options.ts';
import { reconcileNodeAgent } from '../../controllers/nodes/agent.ts';
import { evictionTime, reconcileNodeLifecycle } from '../../controllers/nodes/lifecycle.ts';
import { podCIDR, cidrIndex, internalAddress } from '../../controllers/nodes/registration.ts';
import { viewOf } from '../../controllers/runtime/testing.ts';
import { applyWrites, at, eventsOf, node, objectWrites, simPod, T0 } from './sim-fixtures.ts';

const sim = DEFAULT_SIMULATION;
const GRACE = 40_000;
const lease = (name: string, renew: number, stopped = false): KObject => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { name, namespace: 'kube-node-lease', ...(stopped ? { annotations: { 'sim.rewind.dev/kubelet': 'stopped' } } : {}) },
  spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: new Date(renew).toISOString().replace('Z', '000Z') },
});
const stoppedNode = (name: string, o = {}) => node(name, { annotations: { 'sim.rewind.dev/kubelet': 'stopped' }, ...o });

t.test('addresses: node k owns 10.244.k.0/24 and 172.18.0.(k+1)', async (t) => {
  t.same([1, 2, 255, 256].map(podCIDR), ['10.244.1.0/24', '10.244.2.0/24', '10.244.255.0/24', '10.245.0.0/24']);
  t.same([1, 256].map((k) => cidrIndex(podCIDR(k))), [1, 256]);
  t.same([1, 255].map(internalAddress), ['172.18.0.2', '172.18.1.0']);
});

t.test('registration: node-k with capacity, CIDR, healthy conditions and a Lease', async (t) => {
  const view = viewOf([]);
  const { writes } = reconcileNodeAgent('node-2', { view, now: T0 }, sim, 3);
  const [created, held] = objectWrites(writes, view);
  t.equal(created.op, 'create');
  const n = created.object!;
  t.same(n.spec, { podCIDR: '10.244.2.0/24', podCIDRs: ['10.244.2.0/24'] });
  const status = n.status as Record<string, any>;
  t.same(status.capacity, { cpu: '4', memory: '16777216Ki', pods: '110', 'ephemeral-storage': '100Gi', 'hugepages-2Mi': '0' });
  t.same(status.addresses, [{ type: 'InternalIP', address: '172.18.0.3' }, { type: 'Hostname', address: 'node-2' }]);
  t.same(status.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`), ['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True']);
  t.same(held.object!.spec, { holderIdentity: 'node-2', leaseDurationSeconds: 40, renewTime: '2026-01-01T00:00:00.000000Z' });
  t.same(reconcileNodeAgent('node-4', { view, now: T0 }, sim, 3).writes, [], 'only --nodes N are registered');
});

t.test('heartbeats: a healthy node writes nothing; a stop writes the last heartbeat once', async (t) => {
  const healthy = viewOf([node('node-1'), lease('node-1', T0)]);
  t.same(reconcileNodeAgent('node-1', { view: healthy, now: T0 + 3_600_000 }, sim, 1).writes, [], 'an hour later, still nothing');
  const objects = [stoppedNode('node-1'), lease('node-1', T0)];
  const { writes } = reconcileNodeAgent('node-1', { view: viewOf(objects), now: T0 + 5000 }, sim, 1);
  const [renewed] = objectWrites(writes, viewOf(objects));
  t.same(renewed.object!.metadata.annotations, { 'sim.rewind.dev/kubelet': 'stopped' });
  t.equal((renewed.object!.spec as { renewTime: string }).renewTime, '2026-01-01T00:00:05.000000Z');
  t.same(reconcileNodeAgent('node-1', { view: viewOf(applyWrites(objects, writes)), now: T0 + 9000 }, sim, 1).writes, [], 'once');
});

t.test('a start posts Ready again and renews the Lease', async (t) => {
  const objects = [node('node-1', { ready: 'Unknown' }), lease('node-1', T0, true)];
  const after = applyWrites(objects, reconcileNodeAgent('node-1', { view: viewOf(objects), now: T0 + 60_000 }, sim, 1).writes);
  const ready = ((after[0].status as Record<string, any>).conditions as { type: string; status: string; lastHeartbeatTime: string }[]).find((c) => c.type === 'Ready')!;
  t.same([ready.status, ready.lastHeartbeatTime], ['True', at(60)]);
  t.same(after[1].metadata.annotations, {});
});

t.test('lifecycle: NotReady and tainted exactly at the grace period, pods marked not ready', async (t) => {
  const ready = simPod('p', { node: 'node-1', phase: 'Running', status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at(1) }] } });
  const objects = [stoppedNode('node-1'), lease('node-1', T0, true), ready];
  t.same(reconcileNodeLifecycle('node-1', { view: viewOf(objects), now: T0 + 39_000 }, GRACE), { writes: [], requeueAfter: 1000 }, 'silent 39 s: wait 1 s more');
  const view = viewOf(objects);
  const { writes, requeueAfter } = reconcileNodeLifecycle('node-1', { view, now: T0 + GRACE }, GRACE);
  const [n, p] = objectWrites(writes, view);
  t.same((n.object!.spec as { taints: unknown[] }).taints, [
    { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' },
    { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(40) },
  ]);
  t.same((n.object!.status as { conditions: unknown[] }).conditions, [
    { type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: at(0), lastTransitionTime: at(40) },
  ]);
  t.same((p.object!.status as { conditions: unknown[] }).conditions, [{ type: 'Ready', status: 'False', lastTransitionTime: at(40) }]);
  t.equal(requeueAfter, undefined, 'a pod without a toleration is evicted at once, nothing left to wait for');
  t.same(eventsOf(writes, view), ['TaintManagerEviction: Marking for deletion Pod default/p']);
});

t.test('taint-based eviction after tolerationSeconds', async (t) => {
  const taints = [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(40) }];
  const tolerating = (seconds?: number) =>
    simPod('p', { node: 'node-1', phase: 'Running', spec: { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', ...(seconds === undefined ? {} : { tolerationSeconds: seconds }) }] } });
  t.equal(evictionTime(tolerating(300), taints as never), T0 + 340_000, 'timeAdded + 300 s');
  t.equal(evictionTime(tolerating(), taints as never), Infinity, 'tolerated for ever');
  t.equal(evictionTime(simPod('q'), taints as never), -Infinity, 'not tolerated: at once');
  const dead = node('node-1', { ready: 'Unknown', taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, ...taints], annotations: { 'sim.rewind.dev/kubelet': 'stopped' } });
  const objects = [dead, lease('node-1', T0, true), tolerating(300)];
  t.same(reconcileNodeLifecycle('node-1', { view: viewOf(objects), now: T0 + 100_000 }, GRACE), { writes: [], requeueAfter: 240_000 });
  const view = viewOf(objects);
  const { writes } = reconcileNodeLifecycle('node-1', { view, now: T0 + 340_000 }, GRACE);
  const [evicted] = objectWrites(writes, view);
  t.same([evicted.object!.metadata.deletionTimestamp, evicted.object!.metadata.deletionGracePeriodSeconds], [at(370), 30], 'a graceful delete');
});

t.test('cordon adds the unschedulable taint; a node back to Ready loses the unreachable ones', async (t) => {
  const cordoned = node('node-1', { unschedulable: true });
  const view = viewOf([cordoned]);
  const [w] = objectWrites(reconcileNodeLifecycle('node-1', { view, now: T0 }, GRACE).writes, view);
  t.same((w.object!.spec as { taints: unknown[] }).taints, [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }]);
  const back = node('node-1', { taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' }, { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: at(40) }] });
  const v2 = viewOf([back, lease('node-1', T0 + 60_000)]);
  const [w2] = objectWrites(reconcileNodeLifecycle('node-1', { view: v2, now: T0 + 61_000 }, GRACE).writes, v2);
  t.equal((w2.object!.spec as { taints?: unknown[] }).taints, undefined);
});
