// Ephemeral containers (`kubectl debug POD --image=busybox:1.36`) as the kubelet runs them: started
// as soon as the kubelet finds one in a running pod (the simulation takes its image as already on
// the node: no pull latency), never restarted, and left out of the pod's phase and readiness. Their
// statuses go to status.ephemeralContainerStatuses, with the Pulled / Created / Started events of
// any container.
//
// What a running debug container does is known from its process (container/image.ts): `sleep 1d`
// ends after a day; busybox's `sh` without stdin ends at once (Completed); with stdin (`-it`) it
// waits for its user, and when the attached shell exits, attach records when and how on the pod as
// `exit-after.sim.rewind.dev/<name>` and `exit-code.sim.rewind.dev/<name>` — annotations a user may
// also set to script a debug container's end. The start time is the kubelet's memory, kept in the
// status (state.running.startedAt), as the pod's own start is kept in status.startTime.

import { rfc3339 } from '../../core/clock.ts';
import type { KObject } from '../../core/object.ts';
import { derive } from '../../core/random.ts';
import { processArgv } from '../container/image.ts';
import { commandLifetime, type CommandedContainer, type Lifetime } from '../container/lifetime.ts';
import type { EventRecord } from '../events.ts';
import { parseDuration } from './behaviour.ts';

interface EphemeralContainer extends CommandedContainer {
  name: string;
  image?: string;
}

/** The part of a reported status the kubelet reads back: when the container started. */
export interface EphemeralStatus {
  name: string;
  state?: { running?: { startedAt?: string }; terminated?: { startedAt?: string } };
}

export interface EphemeralReport {
  statuses: Record<string, unknown>[];
  events: EventRecord[];
  /** When a status changes next (Infinity: not on its own). */
  next: number;
}

/** The annotations recording how debug container `name` ended (api/routes/attach.ts writes them). */
export const exitAfterKey = (name: string) => `exit-after.sim.rewind.dev/${name}`;
export const exitCodeKey = (name: string) => `exit-code.sim.rewind.dev/${name}`;

const ephemeralContainersOf = (pod: KObject) => ((pod.spec as { ephemeralContainers?: EphemeralContainer[] } | undefined)?.ephemeralContainers ?? []);

/** How long the container's process runs: recorded on the pod, else what its command tells (undefined: until stopped). */
function lifetimeOf(pod: KObject, c: EphemeralContainer): Lifetime | undefined {
  const annotations = pod.metadata.annotations ?? {};
  const recorded = parseDuration(annotations[exitAfterKey(c.name)]);
  if (recorded !== undefined) return { ms: recorded, exitCode: Number.parseInt(annotations[exitCodeKey(c.name)] ?? '0', 10) || 0 };
  return commandLifetime({ command: processArgv(c), stdin: c.stdin });
}

/** When the container started: kept in its status once running; `now` when first found in a running pod. */
function startOf(old: EphemeralStatus | undefined, podRunning: boolean, now: number): number | undefined {
  const text = old?.state?.running?.startedAt ?? old?.state?.terminated?.startedAt;
  if (text !== undefined) return Date.parse(text);
  return podRunning ? now : undefined;
}

/**
 * The ephemeral container statuses at `now` and the events since `old` (the statuses the pod shows).
 * `podRunning`: the pod's sandbox and containers have started — before that a debug container waits.
 */
export function ephemeralReport(pod: KObject, old: EphemeralStatus[], podRunning: boolean, imageID: (image: string) => string, now: number): EphemeralReport {
  const report: EphemeralReport = { statuses: [], events: [], next: Infinity };
  for (const c of ephemeralContainersOf(pod)) {
    const before = old.find((s) => s.name === c.name);
    const start = startOf(before, podRunning, now);
    const image = c.image ?? '';
    const base = { name: c.name, image, imageID: '', lastState: {}, ready: false, restartCount: 0 };
    if (start === undefined) {
      report.statuses.push({ ...base, state: { waiting: { reason: 'ContainerCreating' } } });
      continue;
    }
    const containerID = `containerd://${derive('container', 0, 0, `${pod.metadata.uid}/${c.name}`).toString('hex')}`;
    const life = lifetimeOf(pod, c);
    const end = life === undefined ? Infinity : start + life.ms;
    report.statuses.push({ ...base, imageID: imageID(image), containerID, state: stateAt(start, life, containerID, now) });
    if (end > now) report.next = Math.min(report.next, end);
    if (!before?.state?.running && !before?.state?.terminated) report.events.push(...startEvents(pod, c));
  }
  return report;
}

/** Running from `start`, or terminated once its process has run its `life`. */
function stateAt(start: number, life: Lifetime | undefined, containerID: string, now: number): Record<string, unknown> {
  if (life === undefined || now < start + life.ms) return { running: { startedAt: rfc3339(start) } };
  const reason = life.exitCode === 0 ? 'Completed' : 'Error';
  return { terminated: { exitCode: life.exitCode, reason, startedAt: rfc3339(start), finishedAt: rfc3339(start + life.ms), containerID } };
}

function startEvents(pod: KObject, c: EphemeralContainer): EventRecord[] {
  const say = (reason: string, message: string): EventRecord => ({ object: pod, type: 'Normal', reason, message });
  return [say('Pulled', `Container image "${c.image ?? ''}" already present on machine`), say('Created', `Created container: ${c.name}`), say('Started', `Started container ${c.name}`)];
}
