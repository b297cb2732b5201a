// What a simulated kubelet registers and posts for its node (kubelet's registerWithAPIServer and
// setNodeStatus): labels, podCIDR, addresses, capacity and allocatable, the four healthy conditions,
// daemon endpoint and node info — the fields `kubectl get nodes -owide` and `kubectl describe node`
// read. Node number k owns podCIDR 10.244.k.0/24 (spilling into 10.245… past 255) and InternalIP
// 172.18.x.y = 172.18.0.0 + k + 1, as a kind cluster lays its nodes out.

import { rfc3339, rfc3339Micro } from '../../core/clock.ts';
import type { KObject } from '../../core/object.ts';
import type { Simulation } from '../kubelet/options.ts';
import { LEASE_NAMESPACE, type NodeCondition } from './node.ts';

/** The k8s version the simulated kubelets report (kubectl picks its 1.32 binary by the server's). */
export const KUBELET_VERSION = 'v1.32.0';

export const nodeName = (k: number) => `node-${k}`;

export function podCIDR(k: number): string {
  return `10.${244 + (k >> 8)}.${k & 255}.0/24`;
}

/** The node number a podCIDR belongs to (inverse of podCIDR), or undefined for another layout. */
export function cidrIndex(cidr: string | undefined): number | undefined {
  const m = /^10\.(\d+)\.(\d+)\.0\/24$/.exec(cidr ?? '');
  return m ? (Number(m[1]) - 244) * 256 + Number(m[2]) : undefined;
}

export function internalAddress(k: number): string {
  const j = k + 1;
  return `172.18.${j >> 8}.${j & 255}`;
}

/** The healthy conditions a kubelet posts, all stamped `now`. */
export function healthyConditions(now: number): NodeCondition[] {
  const t = rfc3339(now);
  const c = (type: string, status: NodeCondition['status'], reason: string, message: string): NodeCondition => ({ type, status, lastHeartbeatTime: t, lastTransitionTime: t, reason, message });
  return [
    c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
    c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
    c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
    c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
  ];
}

export function capacity(sim: Simulation): Record<string, string> {
  const cpu = sim.nodeCpuMillis % 1000 === 0 ? String(sim.nodeCpuMillis / 1000) : `${sim.nodeCpuMillis}m`;
  return { cpu, memory: `${Math.floor(sim.nodeMemoryBytes / 1024)}Ki`, pods: String(sim.nodePods), 'ephemeral-storage': '100Gi', 'hugepages-2Mi': '0' };
}

/** The status a kubelet posts for node number k, keeping capacity a user gave the node. */
export function nodeStatus(node: KObject | undefined, k: number, sim: Simulation, now: number): Record<string, unknown> {
  const old = (node?.status ?? {}) as Record<string, unknown>;
  const cap = (old.capacity as Record<string, string> | undefined) ?? capacity(sim);
  return {
    ...old,
    capacity: cap,
    allocatable: (old.allocatable as Record<string, string> | undefined) ?? cap,
    conditions: healthyConditions(now),
    addresses: [
      { type: 'InternalIP', address: internalAddress(k) },
      { type: 'Hostname', address: node?.metadata.name ?? nodeName(k) },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: `rewind-${k}`,
      systemUUID: `rewind-${k}`,
      bootID: `rewind-${k}`,
      kernelVersion: '6.8.0-rewind',
      osImage: 'Rewind simulated node',
      containerRuntimeVersion: 'containerd://1.7.18',
      kubeletVersion: KUBELET_VERSION,
      kubeProxyVersion: KUBELET_VERSION,
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  };
}

/** A new Node for node number k, as `rewind serve --nodes N` registers node-1 … node-N. */
export function newNode(k: number, sim: Simulation, now: number): KObject {
  const name = nodeName(k);
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64' },
      annotations: { 'node.alpha.kubernetes.io/ttl': '0', 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: { podCIDR: podCIDR(k), podCIDRs: [podCIDR(k)] },
    status: nodeStatus(undefined, k, sim, now),
  };
}

/**
 * The node's Lease in kube-node-lease (leaseDurationSeconds 40, as the kubelet sets it). No owner
 * reference: a node registered in the same commit has no uid yet, and a reference with the wrong
 * uid would have the garbage collector delete the Lease.
 */
export function lease(name: string, now: number, annotations?: Record<string, string>): KObject {
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: {
      name,
      namespace: LEASE_NAMESPACE,
      ...(annotations ? { annotations } : {}),
    },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(now) },
  };
}
