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
import type { EphemeralStatus } from './ephemeral.ts';
import { simulation, type Simulation } from './options.ts';
import { report } from './status.ts';

const COMPONENT = 'kubelet';
/** The controller's name, the actor name of its writes. */
const KUBELET = 'kubelet';
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
  const addresses = new PodAddresses(node, view);
  const own = syncPod(pod, view, addresses, sim, now);
  if (own.writes.length === 0) return own;
  // The pod changes now: bring the node's other pods that are due up to date in the same commit, as
  // one kubelet's sync loop would — one write per node and moment rather than one per pod.
  const others = addresses.pods().filter((p) => p.metadata.uid !== pod.metadata.uid && p.metadata.deletionTimestamp === undefined);
  return { ...own, writes: [...own.writes, ...others.flatMap((p) => syncPod(p, view, addresses, sim, now).writes)] };
}

/** The status and events of one running (not deleting) pod at `now`, and when to look again. */
function syncPod(pod: KObject, view: ReadView, addresses: PodAddresses, sim: Simulation, now: number): ReconcileResult {
  if (podPhase(pod) === 'Succeeded' || podPhase(pod) === 'Failed') return { writes: [] };
  // The kubelet mounts every volume before starting containers; a claim not yet bound holds the pod Pending.
  if (!podVolumesReady(pod, view)) return { writes: [] };
  const known = IN_SYNC.get(pod);
  if (known && known.node === addresses.node && known.sim === sim && known.now === now) return known.result;
  const r = report(pod, { hostIP: addresses.hostIP, podIP: () => addresses.of(pod) }, behaviourOf(pod, sim.jobRunMs), sim, now);
  const writes: Mutation[] = [];
  if (!deepEqual(r.status, pod.status)) {
    const { namespace = '', name = '' } = pod.metadata;
    writes.push({ op: 'patch', res: PODS, ns: namespace, name, expectedRV: pod.metadata.resourceVersion, apply: (cur) => ({ ...cur, status: r.status }) });
  }
  writes.push(...r.events.map((e) => recordEvent(COMPONENT, e, now)));
  const result = { writes, ...(Number.isFinite(r.next) ? { requeueAfter: Math.max(0, r.next - now) } : {}) };
  if (writes.length === 0) IN_SYNC.set(pod, { node: addresses.node, sim, now, result });
  return result;
}

/**
 * Pods found in sync, by pod object, with the node object, simulation and moment of the check. One
 * pod's sync brings the node's other due pods along, so at one moment each unchanged neighbour would
 * be reported again by every sync on its node (fifty pods a node, every one of them checked fifty
 * times). The report is a pure function of exactly those inputs (objects from a view never change),
 * so an answer of "nothing to write" holds while they are the same.
 */
const IN_SYNC = new WeakMap<KObject, { node: KObject; sim: Simulation; now: number; result: ReconcileResult }>();

/**
 * Pod IPs of one node: the one a pod has, the node's for hostNetwork pods, else the lowest free
 * address of the node's podCIDR (.1 is the bridge). The addresses in use are read once, when the
 * first IP is needed, and every address handed out is added, so pods started in one pass never share one.
 * The node's pods are listed once per sync, for the addresses and for the pods brought along.
 */
class PodAddresses {
  readonly hostIP: string;
  private used?: Set<string | undefined>;
  private listed?: KObject[];

  constructor(
    readonly node: KObject,
    private readonly view: ReadView,
  ) {
    this.hostIP = internalIP(node) ?? '';
  }

  /** The pods bound to the node that hold its resources (nodes/node.ts podsOn), listed on first use. */
  pods(): KObject[] {
    return (this.listed ??= podsOn(this.view, this.node.metadata.name!));
  }

  of(pod: KObject): string {
    const current = (pod.status as { podIP?: string } | undefined)?.podIP;
    if (current) return current;
    if ((pod.spec as { hostNetwork?: boolean } | undefined)?.hostNetwork) return this.hostIP;
    const cidr = (this.node.spec as { podCIDR?: string } | undefined)?.podCIDR ?? '10.244.0.0/24';
    const prefix = cidr.split('/')[0].split('.').slice(0, 3).join('.');
    this.used ??= new Set(this.pods().map((p) => (p.status as { podIP?: string } | undefined)?.podIP));
    for (let host = 2; host < 255; host++) {
      const ip = `${prefix}.${host}`;
      if (!this.used.has(ip)) {
        this.used.add(ip);
        return ip;
      }
    }
    throw new Error(`no free pod IP in ${cidr} on node ${this.node.metadata.name}`);
  }
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
  const killing = running ? runningContainers(pod).map((name) => recordEvent(COMPONENT, { object: pod, type: 'Normal', reason: 'Killing', message: `Stopping container ${name}` }, now)) : [];
  return { writes: [...killing, { op: 'delete', res: PODS, ns: namespace, name, expectedUid: pod.metadata.uid }] };
}

/** The containers a running pod's deletion stops: its own, and the debug containers still running. */
function runningContainers(pod: KObject): string[] {
  const own = ((pod.spec as { containers?: { name: string }[] }).containers ?? []).map((c) => c.name);
  const debug = ((pod.status as { ephemeralContainerStatuses?: EphemeralStatus[] } | undefined)?.ephemeralContainerStatuses ?? []).filter((s) => s.state?.running);
  return [...own, ...debug.map((s) => s.name)];
}

/** PodGC's quarantine: a pod naming a node that does not exist may be just ahead of its node's registration. */
const ORPHAN_QUARANTINE_MS = 40_000;

function collectOrphan(pod: KObject, now: number): ReconcileResult {
  const due = Date.parse(pod.metadata.creationTimestamp ?? '') + ORPHAN_QUARANTINE_MS;
  if (now < due) return { writes: [], requeueAfter: due - now };
  return { writes: [{ op: 'delete', res: PODS, ns: pod.metadata.namespace ?? '', name: pod.metadata.name!, expectedUid: pod.metadata.uid }] };
}

/**
 * A bound pod's changes, except the status this kubelet wrote itself: a kubelet does not sync a pod
 * again for a status update (pkg/kubelet/config checkAndUpdatePod only records it), and the
 * reconcile that wrote it already asked to run again when the timeline next changes.
 */
function podKeys(e: Event): Key[] {
  if (e.type === 'DELETED' || !podSpec(e.object).nodeName) return [];
  if (e.type === 'MODIFIED' && e.actor.kind === 'kubelet' && e.actor.name === KUBELET) return [];
  return [objectKey(e.ns, e.name)];
}

/** A node event concerns every pod bound to it (a node coming back, or gone). */
function nodeKeys(e: Event, view: ReadView): Key[] {
  return view.list(PODS, { fields: { 'spec.nodeName': e.name } }).items.map((p) => objectKey(p.metadata.namespace ?? '', p.metadata.name!));
}

export const kubeletController: ControllerFactory = (opts): Controller => {
  const sim = simulation(opts);
  return {
    name: KUBELET,
    actorKind: 'kubelet',
    watches: [
      { res: PODS, keys: podKeys },
      { res: NODES, keys: nodeKeys },
      { res: PVCS, keys: podKeysMountingClaim },
    ],
    reconcile: (key, ctx) => reconcileKubelet(key, ctx, sim),
  };
};
