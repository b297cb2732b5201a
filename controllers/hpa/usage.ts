// The simulated metrics source (what metrics-server would scrape from kubelets): a running pod's
// CPU and memory usage now, from a load model written into the log, so it replays exactly.
//
// - A pod annotated `sim.rewind.dev/cpu: 250m` / `sim.rewind.dev/memory: 64Mi` uses exactly that.
// - Otherwise, a workload (Deployment, StatefulSet, ReplicaSet, ReplicationController, DaemonSet)
//   annotated `sim.rewind.dev/load-cpu: 400m` / `sim.rewind.dev/load-memory: 512Mi` carries that
//   much load in total, shared evenly by its running pods — so adding replicas lowers each pod's
//   usage, as traffic spread by a Service does. `rewind load deploy/web --cpu 80%` writes it
//   (80% of the workload's current total request).
// - Otherwise the pod idles at 1m CPU and 4Mi of memory per container.
//
// Example: deploy/web with 2 pods requesting 200m each and load-cpu 320m: each pod uses 160m (80%);
// scaled to 4 pods, 80m each (40%).

import type { KObject } from '../../core/object.ts';
import { parseQuantity } from '../../core/quantity.ts';
import type { ReadView } from '../../store/store.ts';
import { PODS, controllerOf, podPhase } from '../runtime/pods.ts';

export const ANN_POD_CPU = 'sim.rewind.dev/cpu';
export const ANN_POD_MEMORY = 'sim.rewind.dev/memory';
export const ANN_LOAD_CPU = 'sim.rewind.dev/load-cpu';
export const ANN_LOAD_MEMORY = 'sim.rewind.dev/load-memory';

const IDLE_CPU = 0.001;
const IDLE_MEMORY = 4 * 1024 * 1024;

/** Usage in cores and bytes. */
export interface Usage {
  cpu: number;
  memory: number;
}

export type ResourceName = keyof Usage;

const OWNER_RES: Record<string, string> = {
  Deployment: 'apps/v1/deployments',
  StatefulSet: 'apps/v1/statefulsets',
  ReplicaSet: 'apps/v1/replicasets',
  DaemonSet: 'apps/v1/daemonsets',
  ReplicationController: 'v1/replicationcontrollers',
};

export const containersOf = (pod: KObject) =>
  ((pod.spec as { containers?: { name: string; resources?: { requests?: Record<string, unknown> } }[] } | undefined)?.containers ?? []);

/** Pods with metrics: running, not being deleted (metrics-server reports what kubelets run). */
export const hasMetrics = (pod: KObject) => podPhase(pod) === 'Running' && !pod.metadata.deletionTimestamp;

/** The pod's controllers, nearest first (ReplicaSet, then its Deployment). */
function ownerChain(pod: KObject, view: ReadView): KObject[] {
  const chain: KObject[] = [];
  let current = pod;
  for (let ref = controllerOf(current); ref && OWNER_RES[ref.kind]; ref = controllerOf(current)) {
    const owner = view.get(OWNER_RES[ref.kind], pod.metadata.namespace ?? '', ref.name);
    if (!owner || owner.metadata.uid !== ref.uid) break;
    chain.push(owner);
    current = owner;
  }
  return chain;
}

/** Whether `pod` descends from `owner` (same controller chain). */
function descendsFrom(pod: KObject, owner: KObject, view: ReadView): boolean {
  return ownerChain(pod, view).some((o) => o.metadata.uid === owner.metadata.uid);
}

/**
 * The load on the pod's root workload. Only the root counts: the deployment controller copies a
 * Deployment's annotations onto its ReplicaSets and never removes them, so a ReplicaSet's copy may
 * be stale.
 */
function sharedLoad(pod: KObject, view: ReadView, annotation: string): number | undefined {
  const owner = ownerChain(pod, view).at(-1);
  if (owner?.metadata.annotations?.[annotation] === undefined) return undefined;
  const total = parseQuantity(owner.metadata.annotations![annotation]) ?? 0;
  const sharers = view.list(PODS, { namespace: pod.metadata.namespace ?? '', filter: (p) => hasMetrics(p) && descendsFrom(p, owner, view) }).items.length;
  return total / Math.max(1, sharers);
}

function resourceUsage(pod: KObject, view: ReadView, own: string, shared: string, idle: number): number {
  const direct = pod.metadata.annotations?.[own];
  if (direct !== undefined) return parseQuantity(direct) ?? 0;
  return sharedLoad(pod, view, shared) ?? idle * Math.max(1, containersOf(pod).length);
}

/** The pod's usage now, or undefined when it has no metrics (not running). */
export function podUsage(pod: KObject, view: ReadView): Usage | undefined {
  if (!hasMetrics(pod)) return undefined;
  return {
    cpu: resourceUsage(pod, view, ANN_POD_CPU, ANN_LOAD_CPU, IDLE_CPU),
    memory: resourceUsage(pod, view, ANN_POD_MEMORY, ANN_LOAD_MEMORY, IDLE_MEMORY),
  };
}

/**
 * A pod's usage split over its containers in proportion to their requests (evenly when none
 * requests), as PodMetrics lists containers.
 */
export function containerUsage(pod: KObject, usage: Usage): { name: string; usage: Usage }[] {
  const containers = containersOf(pod);
  const share = (c: (typeof containers)[number], r: ResourceName) => {
    const requests = containers.map((x) => parseQuantity(x.resources?.requests?.[r]) ?? 0);
    const total = requests.reduce((a, b) => a + b, 0);
    return total > 0 ? (parseQuantity(c.resources?.requests?.[r]) ?? 0) / total : 1 / containers.length;
  };
  return containers.map((c) => ({ name: c.name, usage: { cpu: usage.cpu * share(c, 'cpu'), memory: usage.memory * share(c, 'memory') } }));
}
