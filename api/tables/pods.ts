// `kubectl get pods`: printPod of kube-apiserver's printers. READY counts ready containers (restartable
// init containers, i.e. sidecars, included); STATUS walks init containers, then containers from the
// last to the first, so the first container's waiting/terminated reason wins ("ContainerCreating",
// "CrashLoopBackOff", "Completed", "Init:0/1"); a deleted pod still running shows "Terminating".

import type { KObject } from '../../core/object.ts';
import { ageSince } from '../age.ts';
import { AGE, col, int, list, NAME, spec, status, str, type Json, type Printed, type Printer } from './format.ts';

const isSidecar = (c: Json | undefined) => c?.restartPolicy === 'Always';

interface Tally {
  reason: string;
  ready: number;
  restarts: number;
  lastRestart: string;
}

/** The later of two RFC 3339 timestamps ("" is the zero time). */
const later = (a: string, b: unknown) => (typeof b === 'string' && (a === '' || Date.parse(b) > Date.parse(a)) ? b : a);

/** Init containers: returns true while the pod is still initializing (and sets the Init:… reason). */
function walkInit(pod: KObject, t: Tally, sidecars: Tally): boolean {
  const inits = list(spec(pod).initContainers);
  const byName = new Map(inits.map((c) => [str(c.name), c]));
  const statuses = list(status(pod).initContainerStatuses);
  for (const [i, c] of statuses.entries()) {
    t.restarts += int(c.restartCount);
    t.lastRestart = later(t.lastRestart, c.lastState?.terminated?.finishedAt);
    const sidecar = isSidecar(byName.get(str(c.name)));
    if (sidecar) {
      sidecars.restarts += int(c.restartCount);
      sidecars.lastRestart = later(sidecars.lastRestart, c.lastState?.terminated?.finishedAt);
    }
    const term = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (term && int(term.exitCode) === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready) t.ready++;
      continue;
    }
    if (term) t.reason = term.reason ? `Init:${term.reason}` : term.signal ? `Init:Signal:${term.signal}` : `Init:ExitCode:${int(term.exitCode)}`;
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') t.reason = `Init:${waiting.reason}`;
    else t.reason = `Init:${i}/${inits.length}`;
    return true;
  }
  return false;
}

function walkContainers(pod: KObject, t: Tally): void {
  let running = false;
  const statuses = list(status(pod).containerStatuses);
  for (let i = statuses.length - 1; i >= 0; i--) {
    const c = statuses[i];
    t.restarts += int(c.restartCount);
    t.lastRestart = later(t.lastRestart, c.lastState?.terminated?.finishedAt);
    const { waiting, terminated: term, running: isRunning } = c.state ?? {};
    if (waiting?.reason) t.reason = waiting.reason;
    else if (term?.reason) t.reason = term.reason;
    else if (term) t.reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${int(term.exitCode)}`;
    else if (c.ready && isRunning) {
      running = true;
      t.ready++;
    }
  }
  // A pod whose last container completed but another still runs is Running (or NotReady).
  if (t.reason === 'Completed' && running) {
    t.reason = list(status(pod).conditions).some((c) => c.type === 'Ready' && c.status === 'True') ? 'Running' : 'NotReady';
  }
}

function podStatus(pod: KObject, now: number): { reason: string; ready: number; total: number; restarts: string } {
  const st = status(pod);
  const t: Tally = { reason: str(st.reason) || str(st.phase), ready: 0, restarts: 0, lastRestart: '' };
  if (list(st.conditions).some((c) => c.type === 'PodScheduled' && c.reason === 'SchedulingGated')) t.reason = 'SchedulingGated';
  const sidecars: Tally = { reason: '', ready: 0, restarts: 0, lastRestart: '' };
  const initializing = walkInit(pod, t, sidecars);
  const initialized = list(st.conditions).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    t.restarts = sidecars.restarts;
    t.lastRestart = sidecars.lastRestart;
    walkContainers(pod, t);
  }
  const terminal = st.phase === 'Succeeded' || st.phase === 'Failed';
  if (pod.metadata.deletionTimestamp && st.reason === 'NodeLost') t.reason = 'Unknown';
  else if (pod.metadata.deletionTimestamp && !terminal) t.reason = 'Terminating';
  const total = list(spec(pod).containers).length + list(spec(pod).initContainers).filter(isSidecar).length;
  const restarts = t.restarts !== 0 && t.lastRestart ? `${t.restarts} (${ageSince(t.lastRestart, now)} ago)` : String(t.restarts);
  return { reason: t.reason, ready: t.ready, total, restarts };
}

/** "1/2" true readiness gates, "<none>" without gates. */
function readinessGates(pod: KObject): string {
  const gates = list(spec(pod).readinessGates);
  if (gates.length === 0) return '<none>';
  const conds = list(status(pod).conditions);
  const ok = gates.filter((g) => conds.find((c) => c.type === g.conditionType)?.status === 'True').length;
  return `${ok}/${gates.length}`;
}

const COMPLETED = {
  Succeeded: { type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' },
  Failed: { type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' },
};

export const pods: Printer = {
  columns: [
    NAME,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    col('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', true),
    col('Node', 'string', 'NodeName indicates in which node this pod is scheduled.', true),
    col('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', true),
    col('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', true),
  ],
  print(pod, now): Printed {
    const s = podStatus(pod, now);
    const st = status(pod);
    // printPod reads status.podIPs; podIP is its legacy single-stack mirror.
    const ip = str(list(st.podIPs)[0]?.ip) || str(st.podIP) || '<none>';
    const cells = [pod.metadata.name, `${s.ready}/${s.total}`, s.reason, s.restarts, ageSince(pod.metadata.creationTimestamp, now),
      ip, str(spec(pod).nodeName) || '<none>', str(st.nominatedNodeName) || '<none>', readinessGates(pod)];
    const done = COMPLETED[st.phase as keyof typeof COMPLETED];
    return done ? { cells, conditions: [done] } : { cells };
  },
};
