// The pod status a kubelet reports, and the Events it records on the way (kubelet's
// generateAPIPodStatus and the container runtime's events), at one moment of the simulated
// timeline: accepted (startTime, Pending, containers waiting ContainerCreating, "Pulling") → after
// pull + start latency Running (podIP, containerStatuses running, "Pulled", "Created container: web",
// "Started container web") → Ready as the behaviour's readiness says → restarts, CrashLoopBackOff
// or completion as timeline.ts computes.
//
// Events are what changed between the status the pod shows and the new one, so a reconcile that
// finds nothing new records nothing. Ephemeral (debug) containers have a life of their own: ephemeral.ts.

import { rfc3339 } from '../../core/clock.ts';
import type { KObject } from '../../core/object.ts';
import { derive } from '../../core/random.ts';
import type { EventRecord } from '../events.ts';
import type { Behaviour } from './behaviour.ts';
import { ephemeralReport, type EphemeralStatus } from './ephemeral.ts';
import type { Simulation } from './options.ts';
import { backoff, momentAt, type Moment, type Run } from './timeline.ts';

interface Container {
  name: string;
  image?: string;
}

interface ContainerStatus {
  name: string;
  restartCount?: number;
  ready?: boolean;
  state?: { running?: unknown; waiting?: { reason?: string }; terminated?: unknown };
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime?: null;
  lastTransitionTime?: string;
}

interface PodStatus {
  phase?: string;
  startTime?: string;
  conditions?: Condition[];
  containerStatuses?: unknown[];
  ephemeralContainerStatuses?: unknown[];
  [field: string]: unknown;
}

export interface Placement {
  hostIP: string;
  /** The pod's IP, asked for once its sandbox runs. */
  podIP: () => string;
}

export interface Report {
  status: PodStatus;
  events: EventRecord[];
  /** When the status changes next (Infinity: not on its own). */
  next: number;
}

const statusOf = (pod: KObject) => (pod.status ?? {}) as PodStatus;
const containersOf = (pod: KObject) => ((pod.spec as { containers?: Container[] } | undefined)?.containers ?? []);
const restartPolicyOf = (pod: KObject) => (pod.spec as { restartPolicy?: string } | undefined)?.restartPolicy;

/** Go's Duration.String for whole milliseconds: 500ms, 1.5s, 10s, 1m20s, 5m0s. */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = (ms - minutes * 60_000) / 1000;
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`;
}

/** The pod's status at `now` on a running node, with the Events that lead to it from what the pod shows. */
export function report(pod: KObject, at: Placement, b: Behaviour, sim: Simulation, now: number): Report {
  const old = statusOf(pod);
  const accepted = old.startTime ? Date.parse(old.startTime) : now;
  const firstStart = accepted + sim.pullMs + sim.startMs;
  const moment = now < firstStart ? undefined : momentAt(b, restartPolicyOf(pod), firstStart, now);
  const containers = containersOf(pod);
  const statuses = containers.map((c) => containerStatus(pod, c, moment, b));
  const ready = moment?.ready ?? false;
  const readySince = moment?.readySince ?? accepted;
  const phase = !moment ? 'Pending' : moment.state !== 'terminated' ? 'Running' : b.exitCode === 0 ? 'Succeeded' : 'Failed';
  const ephemeral = ephemeralReport(pod, (old.ephemeralContainerStatuses ?? []) as EphemeralStatus[], phase === 'Running', imageID, now);
  const status: PodStatus = {
    ...old,
    phase,
    conditions: conditions(pod, accepted, ready, readySince, phase, containers),
    hostIP: at.hostIP,
    hostIPs: [{ ip: at.hostIP }],
    ...(moment ? ips(at.podIP()) : {}),
    startTime: rfc3339(accepted),
    containerStatuses: statuses,
    ...(ephemeral.statuses.length > 0 ? { ephemeralContainerStatuses: ephemeral.statuses } : {}),
  };
  const events = containers.flatMap((c, i) => containerEvents(pod, c, old.containerStatuses?.[i] as ContainerStatus | undefined, old.startTime === undefined, moment, b, sim));
  events.push(...ephemeral.events);
  return { status, events, next: Math.min(moment ? moment.next : firstStart, ephemeral.next) };
}

const ips = (ip: string) => ({ podIP: ip, podIPs: [{ ip }] });

function containerStatus(pod: KObject, c: Container, m: Moment | undefined, b: Behaviour): Record<string, unknown> {
  const base = { name: c.name, image: c.image ?? '', imageID: imageID(c.image ?? '') };
  if (!m) return { ...base, imageID: '', ready: false, restartCount: 0, started: false, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} };
  const id = (run: number) => `containerd://${derive('container', 0, run, `${pod.metadata.uid}/${c.name}`).toString('hex')}`;
  const ended = (run: Run, index: number) => ({
    terminated: { exitCode: b.exitCode, reason: b.exitCode === 0 ? 'Completed' : 'Error', startedAt: rfc3339(run.start), finishedAt: rfc3339(run.end), containerID: id(index) },
  });
  const s = { ...base, containerID: id(m.restarts), ready: m.ready, restartCount: m.restarts, started: m.state === 'running' };
  switch (m.state) {
    case 'running':
      return { ...s, state: { running: { startedAt: rfc3339(m.run.start) } }, lastState: m.previous ? ended(m.previous, m.restarts - 1) : {} };
    case 'backoff': {
      const message = `back-off ${goDuration(backoff(m.restarts))} restarting failed container=${c.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`;
      return { ...s, state: { waiting: { reason: 'CrashLoopBackOff', message } }, lastState: ended(m.run, m.restarts) };
    }
    case 'terminated':
      return { ...s, state: ended(m.run, m.restarts), lastState: m.previous ? ended(m.previous, m.restarts - 1) : {} };
  }
}

/** A digest-pinned image reference as containerd reports it, derived from the image name (once per image). */
function imageID(image: string): string {
  let id = IMAGE_IDS.get(image);
  if (id === undefined) {
    const repo = image.split('@')[0].replace(/:[^/:]+$/, '');
    const qualified = repo.includes('/') ? (repo.split('/')[0].includes('.') ? repo : `docker.io/${repo}`) : `docker.io/library/${repo}`;
    IMAGE_IDS.set(image, (id = `${qualified}@sha256:${derive('image', 0, 0, image).toString('hex')}`));
  }
  return id;
}

const IMAGE_IDS = new Map<string, string>();

/** The kubelet's pod conditions; a condition keeps its lastTransitionTime while its status holds. */
function conditions(pod: KObject, accepted: number, ready: boolean, readySince: number, phase: string, containers: Container[]): Condition[] {
  const old = statusOf(pod).conditions ?? [];
  const done = phase === 'Succeeded' || phase === 'Failed';
  const notReady = done
    ? { reason: 'PodCompleted' }
    : { reason: 'ContainersNotReady', message: `containers with unready status: [${containers.map((c) => c.name).join(' ')}]` };
  const make = (type: string, ok: boolean, since: number, why?: { reason: string; message?: string }): Condition => {
    const prev = old.find((c) => c.type === type);
    const status = ok ? 'True' : 'False';
    const lastTransitionTime = prev?.status === status && prev.lastTransitionTime ? prev.lastTransitionTime : rfc3339(since);
    return { type, status, ...(ok ? {} : why), lastProbeTime: null, lastTransitionTime };
  };
  const scheduled = old.find((c) => c.type === 'PodScheduled') ?? make('PodScheduled', true, accepted);
  return [
    make('PodReadyToStartContainers', true, accepted),
    make('Initialized', true, accepted),
    make('Ready', ready, readySince, notReady),
    make('ContainersReady', ready, readySince, notReady),
    scheduled,
  ];
}

/** The Events of one container between the status the pod showed (`old`) and moment `m`. */
function containerEvents(pod: KObject, c: Container, old: ContainerStatus | undefined, fresh: boolean, m: Moment | undefined, b: Behaviour, sim: Simulation): EventRecord[] {
  const out: EventRecord[] = [];
  const say = (type: EventRecord['type'], reason: string, message: string) => out.push({ object: pod, type, reason, message });
  const image = c.image ?? '';
  if (fresh) say('Normal', 'Pulling', `Pulling image "${image}"`);
  if (!m) return out;
  const wasCreating = !old || old.state?.waiting?.reason === 'ContainerCreating' || old.state === undefined;
  const oldRestarts = wasCreating ? -1 : (old.restartCount ?? 0);
  const oldBackoff = old?.state?.waiting?.reason === 'CrashLoopBackOff';
  const killed = () => {
    if (b.ending !== 'liveness') return;
    say('Warning', 'Unhealthy', 'Liveness probe failed: simulated failure (sim.rewind.dev/liveness)');
    say('Normal', 'Killing', `Container ${c.name} failed liveness probe, will be restarted`);
  };
  for (let k = oldRestarts + 1; k <= m.restarts; k++) {
    if (k > 0 && !(oldBackoff && oldRestarts === k - 1)) killed();
    const pull = goDuration(sim.pullMs);
    if (k === 0) say('Normal', 'Pulled', `Successfully pulled image "${image}" in ${pull} (${pull} including waiting). Image size: 0 bytes.`);
    else say('Normal', 'Pulled', `Container image "${image}" already present on machine`);
    say('Normal', 'Created', `Created container: ${c.name}`);
    say('Normal', 'Started', `Started container ${c.name}`);
  }
  const sameRun = oldRestarts === m.restarts;
  if (m.state === 'backoff' && !(oldBackoff && sameRun)) {
    killed();
    say('Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`);
  }
  if (m.state === 'terminated' && old?.state?.terminated === undefined) killed();
  const readinessFailed = m.state === 'running' && !m.ready && (b.readiness.from === Infinity || m.readySince > m.run.start);
  if (readinessFailed && !(sameRun && old?.ready === false && old.state?.running)) say('Warning', 'Unhealthy', 'Readiness probe failed: simulated failure (sim.rewind.dev/readiness)');
  return out;
}
