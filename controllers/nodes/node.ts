// Node facts the scheduler, kubelet, lifecycle and DaemonSet controllers share: where nodes and
// leases live, conditions, allocatable resources in base units, and the pods bound to a node.

import type { KObject } from '../../core/object.ts';
import { parseQuantity } from '../../core/quantity.ts';
import type { ReadView } from '../../store/store.ts';
import { PODS, podPhase } from '../runtime/pods.ts';

export const NODES = 'v1/nodes';
export const LEASES = 'coordination.k8s.io/v1/leases';
/** kubelets renew their Lease in this namespace (NodeLease feature). */
export const LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
}

export interface Resources {
  /** CPU in millicores. */
  cpu: number;
  /** Memory in bytes. */
  memory: number;
  pods: number;
}

const nodeStatus = (n: KObject) =>
  (n.status ?? {}) as { conditions?: NodeCondition[]; allocatable?: Record<string, unknown>; addresses?: { type: string; address: string }[] };

export function nodeCondition(node: KObject, type: string): NodeCondition | undefined {
  return nodeStatus(node).conditions?.find((c) => c.type === type);
}

export function isNodeReady(node: KObject): boolean {
  let ready = READY.get(node);
  if (ready === undefined) READY.set(node, (ready = nodeCondition(node, 'Ready')?.status === 'True'));
  return ready;
}

/** Per node object, as ALLOCATABLE below: the scheduler asks once per pod per node. */
const READY = new WeakMap<KObject, boolean>();

export function isUnschedulable(node: KObject): boolean {
  return (node.spec as { unschedulable?: boolean } | undefined)?.unschedulable === true;
}

/** status.allocatable in base units (cpu in millicores); a missing entry allocates nothing. */
export function allocatable(node: KObject): Resources {
  let r = ALLOCATABLE.get(node);
  if (!r) {
    const a = nodeStatus(node).allocatable ?? {};
    r = { cpu: Math.round((parseQuantity(a.cpu) ?? 0) * 1000), memory: parseQuantity(a.memory) ?? 0, pods: parseQuantity(a.pods) ?? 0 };
    ALLOCATABLE.set(node, r);
  }
  return r;
}

/** Per node object: objects from a view never change, and the scheduler asks once per pod per node. */
const ALLOCATABLE = new WeakMap<KObject, Resources>();

export function internalIP(node: KObject): string | undefined {
  return nodeStatus(node).addresses?.find((a) => a.type === 'InternalIP')?.address;
}

/** Pods bound to the node that still hold its resources (not Succeeded or Failed). */
export function podsOn(view: ReadView, nodeName: string): KObject[] {
  return view.list(PODS, { fields: { 'spec.nodeName': nodeName }, filter: (p) => podPhase(p) !== 'Succeeded' && podPhase(p) !== 'Failed' }).items;
}
