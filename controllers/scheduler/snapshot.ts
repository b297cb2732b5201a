// The scheduler's snapshot of the cluster for one decision (kube-scheduler's NodeInfo cache): every
// node with the sum of what its bound pods request and the host ports they hold. Built in one pass
// over the pods; `assume` adds each decision, so a batch of decisions shares one snapshot.

import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { NODES } from '../nodes/node.ts';
import { controllerOf, PODS, podPhase, podSpec } from '../runtime/pods.ts';
import { hostPortsOf, podRequests, type NodeInfo } from './filters.ts';

export interface Snapshot {
  nodes: NodeInfo[];
  /** Pods per node per controller uid, for spreading a controller's pods. */
  ownedOn: (nodeName: string, ownerUid: string) => number;
  /** Count `pod` as bound to `info`'s node (kube-scheduler's "assume"), so the next decision sees it. */
  assume: (pod: KObject, info: NodeInfo) => void;
}

export function snapshot(view: ReadView): Snapshot {
  const infos = new Map<string, NodeInfo>();
  for (const node of view.list(NODES).items) {
    infos.set(node.metadata.name!, { node, requested: zero(), nonZeroRequested: zero(), hostPorts: new Set() });
  }
  const owned = new Map<string, number>();
  const assume = (pod: KObject, info: NodeInfo) => {
    add(info.requested, podRequests(pod));
    add(info.nonZeroRequested, podRequests(pod, true));
    for (const p of hostPortsOf(pod)) info.hostPorts.add(p);
    const owner = controllerOf(pod)?.uid;
    const key = `${info.node.metadata.name}|${owner}`;
    if (owner) owned.set(key, (owned.get(key) ?? 0) + 1);
  };
  for (const pod of view.list(PODS).items) {
    const info = infos.get(podSpec(pod).nodeName ?? '');
    if (info && holdsResources(pod)) assume(pod, info);
  }
  return { nodes: [...infos.values()], ownedOn: (node, uid) => owned.get(`${node}|${uid}`) ?? 0, assume };
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
