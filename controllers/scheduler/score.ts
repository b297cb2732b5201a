// The scheduler's Score step over the nodes that passed every filter: NodeResourcesFit with the
// LeastAllocated strategy plus spreading a controller's pods over nodes (the job of the default
// PodTopologySpread constraints, hostname topology). The highest total wins; ties go to the first
// node by name — kube-scheduler picks among ties at random, which a replay could not reproduce.
//
// Worked example, a pod requesting 1 CPU / 1Gi (non-zero) on 4 CPU / 16Gi nodes:
//   node-1 already has 2 CPU, 2Gi requested and 1 pod of the same replica set;
//   node-2 is empty.
//   least allocated: node-1 ((4-3)/4·100 + (16-3)/16·100)/2 = 53; node-2 ((4-1)/4 + (16-1)/16)·100/2 = 84
//   spread (max 1 pod of the owner on any node): node-1 100·(1-1)/1 = 0; node-2 100·(1-0)/1 = 100
//   totals 53 and 184: node-2.

import type { KObject } from '../../core/object.ts';
import { allocatable } from '../nodes/node.ts';
import { controllerOf } from '../runtime/pods.ts';
import { podRequests, type NodeInfo } from './filters.ts';
import type { Snapshot } from './cache.ts';

/** LeastAllocated: the mean over cpu and memory of the share left free after placing the pod, 0–100. */
export function leastAllocated(pod: KObject, info: NodeInfo): number {
  const want = podRequests(pod, true);
  const have = allocatable(info.node);
  return Math.floor((free(have.cpu, info.nonZeroRequested.cpu + want.cpu) + free(have.memory, info.nonZeroRequested.memory + want.memory)) / 2);
}

/** The share of `capacity` left free after `used`, 0–100 (0 when over or without capacity). */
function free(capacity: number, used: number): number {
  return capacity <= 0 || used > capacity ? 0 : Math.floor(((capacity - used) * 100) / capacity);
}

/** Spread: 100 on the nodes with the fewest pods of the pod's controller, scaled down to 0 on the most crowded. */
export function spreadScores(pod: KObject, nodes: NodeInfo[], snap: Snapshot): number[] {
  const owner = controllerOf(pod)?.uid;
  if (!owner) return nodes.map(() => 100);
  const owned = snap.ownedBy(owner);
  const counts = nodes.map((n) => owned.get(n.node.metadata.name!) ?? 0);
  const max = Math.max(0, ...counts);
  return counts.map((c) => (max === 0 ? 100 : Math.floor((100 * (max - c)) / max)));
}

/** The chosen node among feasible ones: highest total score, then the smallest name. */
export function selectNode(pod: KObject, feasible: NodeInfo[], snap: Snapshot): NodeInfo | undefined {
  const spread = spreadScores(pod, feasible, snap);
  let best: NodeInfo | undefined;
  let bestScore = -Infinity;
  for (let i = 0; i < feasible.length; i++) {
    const info = feasible[i];
    const score = leastAllocated(pod, info) + spread[i];
    if (score > bestScore || (score === bestScore && info.node.metadata.name! < best!.node.metadata.name!)) {
      best = info;
      bestScore = score;
    }
  }
  return best;
}
