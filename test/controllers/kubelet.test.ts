// The simulated kubelet: the container timeline (table-driven), the behaviour annotations, and the
// phase sequence of a pod across requeues with the clock advancing as the runtime would advance it.

import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { behaviourOf, parseDuration, type Behaviour } from '../../controllers/kubelet/behaviour.ts';
import { reconcileKubelet } from '../../controllers/kubelet/index.ts';
import { DEFAULT_SIMULATION, type Simulation } from '../../controllers/kubelet/options.ts';
import { goDuration } from '../../controllers/kubelet/status.ts';
import { backoff, momentAt } from '../../controllers/kubelet/timeline.ts';
import { viewOf } from '../../controllers/runtime/testing.ts';
import { applyWrites, at, eventsOf, node, simPod, T0 } from './sim-fixtures.ts';

const sim = DEFAULT_SIMULATION;
const S = 1000;

/** Reconcile one pod again and again as the runtime would, keeping the objects the writes produce. */
function stepper(objects: KObject[], name: string, settings: Simulation = sim) {
  return (now: number) => {
    const view = viewOf(objects);
    const r = reconcileKubelet(`default/${name}`, { view, now }, settings);
    objects = applyWrites(objects, r.writes);
    const status = objects.find((o) => o.metadata.name === name)!.status as Record<string, any>;
    return { ...r, events: eventsOf(r.writes, view), status, container: status.containerStatuses?.[0] as Record<string, any> };
  };
}
const fast: Simulation = { ...sim, pullMs: 0, startMs: 0 };

t.test('durations and back-off', async (t) => {
  t.equal(parseDuration('30s'), 30_000);
  t.equal(parseDuration('1m30s'), 90_000);
  t.equal(parseDuration('500ms'), 500);
  t.equal(parseDuration('soon'), undefined);
  t.same([0, 1, 2, 3, 4, 5, 6].map(backoff), [0, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000], 'immediate, then 10 s doubling to 5 m');
  t.same([500, 1000, 1500, 80_000, 300_000].map(goDuration), ['500ms', '1s', '1.5s', '1m20s', '5m0s']);
});

t.test('behaviour from annotations', async (t) => {
  const b = (annotations: Record<string, string>, extra: Partial<KObject> = {}) => behaviourOf({ ...simPod('p', { annotations }), ...extra }, 1000);
  t.same(b({}), { runMs: Infinity, exitCode: 0, ending: 'exit', readiness: { from: 0, until: Infinity } });
  t.same(b({ 'sim.rewind.dev/crash-after': '30s' }), { runMs: 30_000, exitCode: 1, ending: 'exit', readiness: { from: 0, until: Infinity } });
  t.same(b({ 'sim.rewind.dev/liveness': 'fail-after=20s' }).ending, 'liveness');
  t.same(b({ 'sim.rewind.dev/readiness': 'fail' }).readiness, { from: Infinity, until: Infinity });
  t.same(b({ 'sim.rewind.dev/readiness': 'pass-after=10s' }).readiness, { from: 10_000, until: Infinity });
  t.same(b({ 'sim.rewind.dev/exit-after': '5s', 'sim.rewind.dev/exit-code': '3' }), { runMs: 5000, exitCode: 3, ending: 'exit', readiness: { from: 0, until: Infinity } });
  const job = simPod('j', { owner: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', uid: 'uid-j' } } });
  t.equal(behaviourOf(job, 1000).runMs, 1000, 'a Job pod completes after jobRunMs');
  const probed = simPod('r', { spec: { containers: [{ name: 'web', image: 'x', readinessProbe: { initialDelaySeconds: 7 } }] } });
  t.same(behaviourOf(probed, 1000).readiness, { from: 7000, until: Infinity }, 'initialDelaySeconds delays Ready');
});

t.test('timeline: crash-after 30s with restartPolicy Always', async (t) => {
  const b: Behaviour = { runMs: 30 * S, exitCode: 1, ending: 'exit', readiness: { from: 0, until: Infinity } };
  const rows: [number, string, number, number][] = [
    [10, 'running', 0, 30], // run 0 from 0 s, ends at 30 s
    [30, 'running', 1, 60], // first restart immediate: run 1 from 30 s
    [65, 'backoff', 1, 70], // run 1 ended at 60 s: back-off 10 s
    [70, 'running', 2, 100], // run 2
    [110, 'backoff', 2, 120], // back-off 20 s
  ];
  for (const [s, state, restarts, next] of rows) {
    const m = momentAt(b, 'Always', 0, s * S);
    t.same([m.state, m.restarts, m.next / S], [state, restarts, next], `at ${s}s`);
  }
  t.same(momentAt(b, 'Never', 0, 31 * S).state, 'terminated', 'Never: no restart');
  t.same(momentAt({ ...b, exitCode: 0 }, 'OnFailure', 0, 31 * S).state, 'terminated', 'OnFailure: exit 0 ends it');
});

t.test('a pod goes ContainerCreating → Running → Ready across requeues', async (t) => {
  const step = stepper([node('node-1'), simPod('web-1', { node: 'node-1', status: { conditions: [{ type: 'PodScheduled', status: 'True', lastTransitionTime: at(0) }] } })], 'web-1');
  const first = step(T0);
  const s1 = first.status;
  t.equal(s1.phase, 'Pending');
  t.same(s1.containerStatuses[0].state, { waiting: { reason: 'ContainerCreating' } });
  t.equal(s1.hostIP, '172.18.0.2');
  t.equal(s1.startTime, at(0));
  t.equal(s1.podIP, undefined, 'no IP before the sandbox runs');
  t.same(first.events, ['Pulling: Pulling image "nginx:1.27"']);
  t.equal(first.requeueAfter, 1500, 'pull 1 s + start 0.5 s');

  t.same(step(T0 + 700).writes, [], 'nothing changes before the latency has passed');

  const second = step(T0 + 1500);
  const s2 = second.status;
  t.equal(s2.phase, 'Running');
  t.equal(s2.podIP, '10.244.1.2', 'first free address of the node CIDR');
  t.same(s2.containerStatuses[0].state, { running: { startedAt: at(1.5).replace('.500', '') } });
  t.equal(s2.containerStatuses[0].ready, true);
  t.equal(s2.containerStatuses[0].restartCount, 0);
  t.match(s2.containerStatuses[0].containerID, /^containerd:\/\/[0-9a-f]{64}$/);
  t.same(
    s2.conditions.map((c: { type: string; status: string }) => `${c.type}=${c.status}`),
    ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
  );
  t.same(second.events, [
    'Pulled: Successfully pulled image "nginx:1.27" in 1s (1s including waiting). Image size: 0 bytes.',
    'Created: Created container: web',
    'Started: Started container web',
  ]);
  t.equal(second.requeueAfter, undefined, 'a healthy container has nothing more to do');
  t.same(step(T0 + 60_000).writes, [], 'and writes nothing later');
});

t.test('crash loop: restarts, CrashLoopBackOff with back-off, events once each', async (t) => {
  const step = stepper([node('node-1'), simPod('c', { node: 'node-1', annotations: { 'sim.rewind.dev/crash-after': '10s' } })], 'c', fast);
  step(T0);
  const restarted = step(T0 + 10 * S);
  t.equal(restarted.container.restartCount, 1, 'first restart is immediate');
  t.same(restarted.container.lastState.terminated.exitCode, 1);
  t.same(restarted.events, ['Pulled: Container image "nginx:1.27" already present on machine', 'Created: Created container: web', 'Started: Started container web']);
  const loop = step(T0 + 20 * S);
  t.equal(loop.container.state.waiting.reason, 'CrashLoopBackOff');
  t.equal(loop.container.state.waiting.message, 'back-off 10s restarting failed container=web pod=c_default(uid-c)');
  t.equal(loop.container.ready, false);
  t.same(loop.events, ['BackOff: Back-off restarting failed container web in pod c_default(uid-c)']);
  t.equal(loop.requeueAfter, 10 * S);
  t.same(step(T0 + 25 * S).writes, [], 'nothing new inside the back-off');
  t.equal(step(T0 + 30 * S).container.restartCount, 2);
});

t.test('readiness fail-after: Ready turns False once, with one Unhealthy event', async (t) => {
  const step = stepper([node('node-1'), simPod('r', { node: 'node-1', annotations: { 'sim.rewind.dev/readiness': 'fail-after=20s' } })], 'r', fast);
  t.equal(step(T0).requeueAfter, 20 * S);
  const failed = step(T0 + 20 * S);
  t.same(failed.status.conditions.find((c: { type: string }) => c.type === 'Ready'), {
    type: 'Ready',
    status: 'False',
    reason: 'ContainersNotReady',
    message: 'containers with unready status: [web]',
    lastProbeTime: null,
    lastTransitionTime: at(20),
  });
  t.equal(failed.status.phase, 'Running');
  t.same(failed.events, ['Unhealthy: Readiness probe failed: simulated failure (sim.rewind.dev/readiness)']);
  t.same(step(T0 + 30 * S).writes, []);
});

t.test('a Job pod completes: Succeeded with exit 0 and PodCompleted', async (t) => {
  const job = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j', uid: 'uid-j' } };
  const step = stepper([node('node-1'), simPod('j-1', { node: 'node-1', owner: job, spec: { restartPolicy: 'Never' } })], 'j-1', fast);
  step(T0);
  const { status } = step(T0 + 5 * S);
  t.equal(status.phase, 'Succeeded');
  t.same(status.containerStatuses[0].state.terminated.reason, 'Completed');
  t.same(status.conditions.find((c: { type: string }) => c.type === 'Ready').reason, 'PodCompleted');
  t.same(step(T0 + 10 * S).writes, [], 'a finished pod is left alone');
});

t.test('graceful deletion: removed after the simulated shutdown, at most the grace period', async (t) => {
  const running = simPod('d', { node: 'node-1', phase: 'Running' });
  const deleting = { ...running, metadata: { ...running.metadata, deletionTimestamp: at(30), deletionGracePeriodSeconds: 30 } };
  const view = viewOf([node('node-1'), deleting]);
  t.same(reconcileKubelet('default/d', { view, now: T0 }, sim), { writes: [], requeueAfter: 1000 }, 'shutdown takes 1 s');
  const done = reconcileKubelet('default/d', { view, now: T0 + 1000 }, sim);
  t.same(eventsOf(done.writes, view), ['Killing: Stopping container web']);
  t.same(done.writes.at(-1), { op: 'delete', res: 'v1/pods', ns: 'default', name: 'd', expectedUid: 'uid-d' });
});

t.test('a stopped node freezes its pods; a missing node orphans them', async (t) => {
  const pod = simPod('p', { node: 'node-1' });
  const stopped = node('node-1', { annotations: { 'sim.rewind.dev/kubelet': 'stopped' } });
  t.same(reconcileKubelet('default/p', { view: viewOf([stopped, pod]), now: T0 }, sim).writes, []);
  t.same(reconcileKubelet('default/p', { view: viewOf([pod]), now: T0 + 10_000 }, sim), { writes: [], requeueAfter: 30_000 }, 'PodGC quarantine: 40 s from creation');
  t.same(reconcileKubelet('default/p', { view: viewOf([pod]), now: T0 + 40_000 }, sim).writes, [{ op: 'delete', res: 'v1/pods', ns: 'default', name: 'p', expectedUid: 'uid-p' }]);
});

t.test('which pod events wake the kubelet: not the status it wrote itself', async (t) => {
  const { kubeletController } = await import('../../controllers/kubelet/index.ts');
  const podWatch = kubeletController({ clock: undefined as never }).watches.find((w) => w.res === 'v1/pods')!;
  const bound = simPod('web', { node: 'node-1' });
  const event = (type: 'ADDED' | 'MODIFIED' | 'DELETED', actor: { kind: 'kubelet' | 'scheduler' | 'user' | 'controller'; name: string }, object = bound) =>
    ({ rev: 7, ts: T0, type, res: 'v1/pods', ns: 'default', name: 'web', object, actor }) as const;
  const keys = (e: ReturnType<typeof event>) => podWatch.keys(e, viewOf([bound]));
  t.same(keys(event('MODIFIED', { kind: 'kubelet', name: 'kubelet' })), [], 'its own status write: the sync that wrote it already asked to run again');
  t.same(keys(event('MODIFIED', { kind: 'scheduler', name: 'scheduler' })), ['default/web'], 'a binding');
  t.same(keys(event('MODIFIED', { kind: 'user', name: 'alice' })), ['default/web'], 'a user change (e.g. a deletion started)');
  t.same(keys(event('MODIFIED', { kind: 'kubelet', name: 'kubelet-node' })), ['default/web'], 'another kubelet component');
  t.same(keys(event('ADDED', { kind: 'user', name: 'alice' })), ['default/web'], 'a pod created bound');
  t.same(keys(event('DELETED', { kind: 'kubelet', name: 'kubelet' })), [], 'gone');
  t.same(keys(event('MODIFIED', { kind: 'user', name: 'alice' }, simPod('web'))), [], 'not bound: nothing for a kubelet');
});
