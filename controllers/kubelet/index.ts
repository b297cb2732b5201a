// The simulated kubelet (controller "kubelet", actor kind kubelet): one logical kubelet for every
// node, keyed by pod. For a pod bound to a node whose kubelet runs it reports the status of
// status.ts at the current moment, records the Events that lead there, and asks to be run again
// when the timeline next changes (latencies, readiness, crashes, back-off, completion). A pod being
// deleted is stopped — after the simulated shutdown time, at most its grace period — and removed.
// Pods on a stopped node are left exactly as they are; pods bound to a node that no longer exists
// are removed once they are 40 s old (PodGC's orphaned-pod rule and its quarantine).

import type { Event, Mutation } from '../../core/events.ts';
import { deepEqual } from '../../core/metadata.ts';
import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { recordEvent } from '../events.ts';
import { PVCS, podKeysMountingClaim, podVolumesReady } from '../volume/claims.ts';
import { isKubeletStopped } from '../nodes/liveness.ts';
import { internalIP, NODES, podsOn } from '../nodes/node.ts';
import { PODS, podPhase, podSpec } from '../runtime/pods.ts';
import { objectKey, splitKey, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from '../runtime/types.ts';
import { behaviourOf } from './behaviour.ts';
import { simulation, type Simulation } from './options.ts';
import { report } from './status.ts';

const COMPONENT = 'kubelet';
/** A pod's default terminationGracePeriodSeconds. */
const DEFAULT_GRACE_SECONDS = 30;

export function reconcileKubelet(key: Key, { view, now }: ReconcileContext, sim: Simulation): ReconcileResult {
  const { ns, name } = splitKey(key);
  const pod = view.get(PODS, ns, name);
  const nodeName = pod && podSpec(pod).nodeName;
  if (!pod || !nodeName) return { writes: [] };
  const node = view.get(NODES, '', nodeName);
  if (!node) return collectOrphan(pod, now);
  if (isKubeletStopped(node)) return { writes: [] };
  if (pod.metadata.deletionTimestamp) return terminate(pod, sim, now);
  if (podPhase(pod) === 'Succeeded' || podPhase(pod) === 'Failed') return { writes: [] };
  // The kubelet mounts every volume before starting containers; a claim not yet bound holds the pod Pending.
  if (!podVolumesReady(pod, view)) return { writes: [] };
  const hostIP = internalIP(node) ?? '';
  const r = report(pod, { hostIP, podIP: () => podIP(pod, node, hostIP, view) }, behaviourOf(pod, sim.jobRunMs), sim, now);
  const writes: Mutation[] = [];
  if (!deepEqual(r.status, pod.status)) {
    writes.push({ op: 'patch', res: PODS, ns, name, expectedRV: pod.metadata.resourceVersion, apply: (cur) => ({ ...cur, status: r.status }) });
  }
  writes.push(...r.events.map((e) => recordEvent(COMPONENT, e, now)));
  return { writes, ...(Number.isFinite(r.next) ? { requeueAfter: Math.max(0, r.next - now) } : {}) };
}

/**
 * The pod's IP: the one it has, the node's for hostNetwork pods, else the lowest free address of the
 * node's podCIDR (.1 is the bridge) — deterministic, since pods start one reconcile at a time.
 */
function podIP(pod: KObject, node: KObject, hostIP: string, view: ReadView): string {
  const current = (pod.status as { podIP?: string } | undefined)?.podIP;
  if (current) return current;
  if ((pod.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork) return hostIP;
  const cidr = (node.spec as { podCIDR?: string } | undefined)?.podCIDR ?? '10.244.0.0/24';
  const prefix = cidr.split('/')[0].split('.').slice(0, 3).join('.');
  const used = new Set(podsOn(view, node.metadata.name!).map((p) => (p.status as { podIP?: string } | undefined)?.podIP));
  for (let host = 2; host < 255; host++) if (!used.has(`${prefix}.${host}`)) return `${prefix}.${host}`;
  throw new Error(`no free pod IP in ${cidr} on node ${node.metadata.name}`);
}

/**
 * Graceful termination: the containers get SIGTERM when the delete arrives (deletionTimestamp minus
 * the grace period) and exit after the simulated shutdown time, or are killed when the grace period
 * ends, whichever is first; then the kubelet removes the pod. A pod that never ran goes at once.
 */
function terminate(pod: KObject, sim: Simulation, now: number): ReconcileResult {
  const grace = (pod.metadata.deletionGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS) * 1000;
  const deadline = Date.parse(pod.metadata.deletionTimestamp!);
  const requested = deadline - grace;
  const running = podPhase(pod) === 'Running';
  const stopAt = running ? Math.min(deadline, requested + sim.shutdownMs) : requested;
  if (now < stopAt) return { writes: [], requeueAfter: stopAt - now };
  const { namespace = '', name = '' } = pod.metadata;
  const containers = ((pod.spec as { containers?: { name: string }[] }).containers ?? []);
  const killing = running ? containers.map((c) => recordEvent(COMPONENT, { object: pod, type: 'Normal', reason: 'Killing', message: `Stopping container ${c.name}` }, now)) : [];
  return { writes: [...killing, { op: 'delete', res: PODS, ns: namespace, name, expectedUid: pod.metadata.uid }] };
}

/** PodGC's quarantine: a pod naming a node that does not exist may be just ahead of its node's registration. */
const ORPHAN_QUARANTINE_MS = 40_000;

function collectOrphan(pod: KObject, now: number): ReconcileResult {
  const due = Date.parse(pod.metadata.creationTimestamp ?? '') + ORPHAN_QUARANTINE_MS;
  if (now < due) return { writes: [], requeueAfter: due - now };
  return { writes: [{ op: 'delete', res: PODS, ns: pod.metadata.namespace ?? '', name: pod.metadata.name!, expectedUid: pod.metadata.uid }] };
}

/** A node event concerns every pod bound to it (a node coming back, or gone). */
function nodeKeys(e: Event, view: ReadView): Key[] {
  return view.list(PODS, { filter: (p) => podSpec(p).nodeName === e.name }).items.map((p) => objectKey(p.metadata.namespace ?? '', p.metadata.name!));
}

export const kubeletController: ControllerFactory = (opts): Controller => {
  const sim = simulation(opts);
  return {
    name: 'kubelet',
    actorKind: 'kubelet',
    watches: [
      { res: PODS, keys: (e) => (e.type !== 'DELETED' && podSpec(e.object).nodeName ? [objectKey(e.ns, e.name)] : []) },
      { res: NODES, keys: nodeKeys },
      { res: PVCS, keys: podKeysMountingClaim },
    ],
    reconcile: (key, ctx) => reconcileKubelet(key, ctx, sim),
  };
};
