// How a simulated node's liveness is recorded — the heartbeat representation (docs/SIMULATION.md).
//
// A real kubelet renews its Lease every 10 s; 1,000 idle nodes would write 100 events/s forever.
// Rewind writes liveness only when it changes:
// - a fault is a change on the Node: `rewind node stop node-2` sets the annotation
//   sim.rewind.dev/kubelet=stopped, `rewind node start node-2` removes it — both in the log, so a
//   replay reproduces them;
// - the node's kubelet writes its Lease (kube-node-lease/node-2) at registration and at each
//   transition: renewTime is the moment the kubelet last changed state, and the Lease carries the
//   same annotation once the kubelet has taken the change in (its "last heartbeat");
// - between transitions a running kubelet counts as heartbeating continuously: the node lifecycle
//   controller derives "last heard from" = now for a running kubelet, and = the Lease's renewTime
//   for a stopped one, then applies the grace period with the clock.

import type { KObject } from '../../core/object.ts';

export const KUBELET_ANNOTATION = 'sim.rewind.dev/kubelet';
export const STOPPED = 'stopped';

/** Whether the node's simulated kubelet has been stopped (by `rewind node stop` or an edit of the annotation). */
export function isKubeletStopped(obj: KObject | undefined): boolean {
  return obj?.metadata.annotations?.[KUBELET_ANNOTATION] === STOPPED;
}

export const renewTimeOf = (lease: KObject | undefined): number => Date.parse(String((lease?.spec as { renewTime?: string } | undefined)?.renewTime ?? ''));
