// The scheduler's snapshot of the cluster for one decision (kube-scheduler's NodeInfo cache): every
// node with the sum of what its bound pods request and the host ports they hold. Built in one pass
// over the pods, so one scheduling decision costs O(pods + nodes).

import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { NODES } from '../nodes/node.ts';
import { controllerOf, PODS, podPhase, podSpec } from '../runtime/pods.ts';
import { hostPortsOf, podRequests, type NodeInfo } from './filters.ts';

export interface Snapshot {
  nodes: NodeInfo[];
  /** Pods per node per controller uid, for spreading a controller's pods. */
  ownedOn: (nodeName: string, ownerUid: string) => number;
}

export function snapshot(view: ReadView): Snapshot {
  const infos = new Map<string, NodeInfo>();
  for (const node of view.list(NODES).items) {
    infos.set(node.metadata.name!, { node, requested: zero(), nonZeroRequested: zero(), hostPorts: new Set() });
  }
  const owned = new Map<string, number>();
  for (const pod of view.list(PODS).items) {
    const info = infos.get(podSpec(pod).nodeName ?? '');
    if (!info || !holdsResources(pod)) continue;
    add(info.requested, podRequests(pod));
    add(info.nonZeroRequested, podRequests(pod, true));
    for (const p of hostPortsOf(pod)) info.hostPorts.add(p);
    const owner = controllerOf(pod)?.uid;
    if (owner) owned.set(`${info.node.metadata.name}|${owner}`, (owned.get(`${info.node.metadata.name}|${owner}`) ?? 0) + 1);
  }
  return { nodes: [...infos.values()], ownedOn: (node, uid) => owned.get(`${node}|${uid}`) ?? 0 };
}

const zero = () => ({ cpu: 0, memory: 0, pods: 0 });

function add(to: NodeInfo['requested'], r: NodeInfo['requested']): void {
  to.cpu += r.cpu;
  to.memory += r.memory;
  to.pods += r.pods;
}

/** A finished pod frees its node's resources; a terminating one still holds them. */
function holdsResources(pod: KObject): boolean {
  return podPhase(pod) !== 'Succeeded' && podPhase(pod) !== 'Failed';
}
