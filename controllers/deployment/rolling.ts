// RollingUpdate (pkg/controller/deployment/rolling.go): grow the new replica set while the total
// stays within replicas + maxSurge, shrink old ones while at least replicas − maxUnavailable pods stay
// available. One step per sync; the replica set and pod events that follow trigger the next one.
//
// Worked example: replicas 4, maxSurge 1, maxUnavailable 1, all 4 old pods available.
//   sync 1: new RS 0 → 1 (total 5 = 4 + 1 surge).
//   sync 2: old RS may lose (5 total − 3 min available − 1 new unavailable) = 1 → old 4 → 3.
//   … until new = 4 available and old = 0.

import type { Plan } from './plan.ts';
import { syncRolloutStatus } from './progress.ts';
import { cleanupDeployment, replicaSetsAndSyncRevision, scaleReplicaSet, scaleTo } from './sync.ts';
import { active, availableTotal, byCreation, deploymentComplete, desired, maxUnavailable, newRSNewReplicas, rsReplicas, specTotal, type ReplicaSet } from './util.ts';

export function rolloutRolling(plan: Plan): void {
  const { newRS, oldRSs } = replicaSetsAndSyncRevision(plan, true);
  const all = newRS ? [...oldRSs, newRS] : oldRSs;
  if (newRS && reconcileNewReplicaSet(plan, all, newRS)) return syncRolloutStatus(plan, all, newRS);
  if (newRS && reconcileOldReplicaSets(plan, all, active(oldRSs), newRS)) return syncRolloutStatus(plan, all, newRS);
  syncRolloutStatus(plan, all, newRS);
  if (deploymentComplete(plan.d, plan.d.status ?? {})) cleanupDeployment(plan, oldRSs);
}

/** reconcileNewReplicaSet: scale the new replica set up within maxSurge (or down to replicas). */
function reconcileNewReplicaSet(plan: Plan, all: ReplicaSet[], newRS: ReplicaSet): boolean {
  const want = desired(plan.d);
  if (rsReplicas(newRS) === want) return false;
  if (rsReplicas(newRS) > want) return scaleReplicaSet(plan, newRS, want, 'down');
  return scaleTo(plan, newRS, newRSNewReplicas(plan.d, all, newRS));
}

/**
 * reconcileOldReplicaSets: how far old replica sets may shrink now — total pods minus the minimum
 * available minus the new replica set's pods not yet available. Unhealthy old pods go first (they
 * cost no availability), then healthy ones down to the minimum.
 */
function reconcileOldReplicaSets(plan: Plan, all: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet): boolean {
  if (specTotal(oldRSs) === 0) return false;
  const minAvailable = desired(plan.d) - maxUnavailable(plan.d);
  const newUnavailable = rsReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  const maxScaledDown = specTotal(all) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return false;
  const cleaned = cleanupUnhealthyReplicas(plan, oldRSs, maxScaledDown);
  const scaled = scaleDownOldReplicaSets(plan, [...oldRSs, newRS], oldRSs);
  return cleaned + scaled > 0;
}

/** cleanupUnhealthyReplicas: shrink old replica sets by their unavailable pods, oldest first. */
function cleanupUnhealthyReplicas(plan: Plan, oldRSs: ReplicaSet[], maxCleanup: number): number {
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= maxCleanup) break;
    const unhealthy = rsReplicas(rs) - (rs.status?.availableReplicas ?? 0);
    if (rsReplicas(rs) === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxCleanup - total, unhealthy);
    scaleReplicaSet(plan, rs, rsReplicas(rs) - down, 'down');
    total += down;
  }
  return total;
}

/** scaleDownOldReplicaSetsForRollingUpdate: shrink old replica sets while availability allows, oldest first. */
function scaleDownOldReplicaSets(plan: Plan, all: ReplicaSet[], oldRSs: ReplicaSet[]): number {
  const minAvailable = desired(plan.d) - maxUnavailable(plan.d);
  const available = availableTotal(all);
  if (available <= minAvailable) return 0;
  const budget = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= budget) break;
    if (rsReplicas(rs) === 0) continue;
    const down = Math.min(rsReplicas(rs), budget - total);
    scaleReplicaSet(plan, rs, rsReplicas(rs) - down, 'down');
    total += down;
  }
  return total;
}
