// The simulated kubelet and ephemeral (debug) containers: started when found in a running pod, with
// their events; ended by their process (a command, a shell without stdin, a recorded attach exit);
// never restarted; left out of the pod's phase and readiness; stopped with the pod.

import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { reconcileKubelet } from '../../controllers/kubelet/index.ts';
import { DEFAULT_SIMULATION } from '../../controllers/kubelet/options.ts';
import { viewOf } from '../../controllers/runtime/testing.ts';
import { applyWrites, at, eventsOf, node, simPod, T0 } from './sim-fixtures.ts';

const S = 1000;
/** The pod's start: its container runs from pull + start latency after the kubelet accepts it. */
const RUNNING = T0 + DEFAULT_SIMULATION.pullMs + DEFAULT_SIMULATION.startMs;

type Status = Record<string, any>;

/** Reconcile the pod at `now`, keeping the objects its writes produce. */
function stepper(objects: KObject[]) {
  return (now: number) => {
    const view = viewOf(objects);
    const r = reconcileKubelet('default/web-0', { view, now }, DEFAULT_SIMULATION);
    objects = applyWrites(objects, r.writes);
    const pod = objects.find((o) => o.metadata.name === 'web-0')!;
    return { ...r, events: eventsOf(r.writes, view), status: pod.status as Status, pod };
  };
}

/** A running pod, as the kubelet reported it at RUNNING, now with `ephemeral` added. */
function runningWith(ephemeral: Record<string, unknown>[], annotations?: Record<string, string>): KObject[] {
  const step = stepper([node('node-1'), simPod('web-0', { node: 'node-1', annotations })]);
  step(T0);
  const { pod } = step(RUNNING);
  return [node('node-1'), { ...pod, spec: { ...(pod.spec as object), ephemeralContainers: ephemeral } }];
}

const debug = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: 'busybox:1.36', targetContainerName: 'web', ...extra });
const states = (s: Status) => (s.ephemeralContainerStatuses as Status[]).map((e) => [e.name, Object.keys(e.state)[0]]);

t.test('a debug container starts when the kubelet finds it, with its events, and runs its command to its end', async (t) => {
  const step = stepper(runningWith([debug('debugger-a', { command: ['sleep', '30'] })]));
  const first = step(RUNNING + 5 * S);
  t.same(first.status.ephemeralContainerStatuses, [
    {
      name: 'debugger-a',
      image: 'busybox:1.36',
      imageID: first.status.ephemeralContainerStatuses[0].imageID,
      lastState: {},
      ready: false,
      restartCount: 0,
      containerID: first.status.ephemeralContainerStatuses[0].containerID,
      state: { running: { startedAt: at(6.5) } },
    },
  ]);
  t.match(first.status.ephemeralContainerStatuses[0].imageID, /^docker\.io\/library\/busybox@sha256:[0-9a-f]{64}$/);
  t.same(first.events, ['Pulled: Container image "busybox:1.36" already present on machine', 'Created: Created container: debugger-a', 'Started: Started container debugger-a']);
  t.equal(first.requeueAfter, 30 * S, 'looked at again when sleep 30 ends');
  const again = step(RUNNING + 20 * S);
  t.same(again.writes, [], 'nothing new while it runs');
  const ended = step(RUNNING + 35 * S);
  t.match(ended.status.ephemeralContainerStatuses[0].state, { terminated: { exitCode: 0, reason: 'Completed', startedAt: at(6.5), finishedAt: at(36.5) } });
  t.same(ended.events, [], 'an exit of a debug container is no event');
  t.equal(ended.status.phase, 'Running', 'the pod runs on');
  t.equal(ended.status.conditions.find((c: Status) => c.type === 'Ready').status, 'True', 'and stays ready');
  t.same(step(RUNNING + 3600 * S).writes, [], 'never restarted');
});

t.test("busybox's sh: without stdin it ends at once; with stdin it waits until attach records its exit", async (t) => {
  const step = stepper(runningWith([debug('quick'), debug('shell', { stdin: true, tty: true })]));
  const first = step(RUNNING + S);
  t.same(states(first.status), [['quick', 'terminated'], ['shell', 'running']]);
  t.equal(first.requeueAfter, undefined, 'the shell waits for its user');
  const recorded = runningWith([debug('shell', { stdin: true, tty: true })], { 'exit-after.sim.rewind.dev/shell': '4s', 'exit-code.sim.rewind.dev/shell': '130' });
  const attached = stepper(recorded);
  t.equal(attached(RUNNING + 10 * S).requeueAfter, 4 * S, 'started at first sight, ends 4 s later');
  const exited = attached(RUNNING + 14 * S);
  t.match(exited.status.ephemeralContainerStatuses[0].state, { terminated: { exitCode: 130, reason: 'Error', startedAt: at(11.5), finishedAt: at(15.5) } });
});

t.test('added to a pod that has not started yet, it waits for the pod', async (t) => {
  const step = stepper([node('node-1'), simPod('web-0', { node: 'node-1', spec: { ephemeralContainers: [debug('early', { command: ['sleep', '1d'] })] } })]);
  t.same(step(T0).status.ephemeralContainerStatuses[0].state, { waiting: { reason: 'ContainerCreating' } });
  t.same(step(RUNNING).status.ephemeralContainerStatuses[0].state, { running: { startedAt: at(1.5) } });
});

t.test('deleting the pod stops its running debug containers too', async (t) => {
  const step = stepper(runningWith([debug('debugger-a', { command: ['sleep', '1d'] }), debug('quick')]));
  const { pod } = step(RUNNING + S);
  const deleting = { ...pod, metadata: { ...pod.metadata, deletionTimestamp: at(2.5 + 30), deletionGracePeriodSeconds: 30 } };
  const r = reconcileKubelet('default/web-0', { view: viewOf([node('node-1'), deleting]), now: RUNNING + 2 * S }, DEFAULT_SIMULATION);
  t.same(eventsOf(r.writes, viewOf([deleting])), ['Killing: Stopping container web', 'Killing: Stopping container debugger-a']);
});
