// Recreate (pkg/controller/deployment/recreate.go): scale every old replica set to zero, wait until
// none of their pods is left running (terminating pods count), only then create or scale up the new
// replica set. There is never a moment with old and new pods together.

import { controllerOf, podPhase, PODS } from '../runtime/pods.ts';
import type { Plan } from './plan.ts';
import { syncRolloutStatus } from './progress.ts';
import { cleanupDeployment, replicaSetsAndSyncRevision, scaleTo } from './sync.ts';
import { active, actualTotal, deploymentComplete, desired, type ReplicaSet } from './util.ts';

export function rolloutRecreate(plan: Plan): void {
  const first = replicaSetsAndSyncRevision(plan, false);
  const oldRSs = first.oldRSs;
  let newRS = first.newRS;
  const all = () => (newRS ? [...oldRSs, newRS] : oldRSs);
  let scaledDown = false;
  for (const rs of active(oldRSs)) scaledDown = scaleTo(plan, rs, 0) || scaledDown;
  if (scaledDown || oldPodsRunning(plan, oldRSs)) return syncRolloutStatus(plan, all(), newRS);
  newRS ??= replicaSetsAndSyncRevision(plan, true).newRS;
  if (newRS) scaleTo(plan, newRS, desired(plan.d));
  syncRolloutStatus(plan, all(), newRS);
  if (deploymentComplete(plan.d, plan.d.status ?? {})) cleanupDeployment(plan, oldRSs);
}

/** oldPodsRunning: old replica sets still report pods, or a pod of theirs has not finished. */
function oldPodsRunning(plan: Plan, oldRSs: ReplicaSet[]): boolean {
  if (actualTotal(oldRSs) > 0) return true;
  const oldUids = new Set(oldRSs.map((rs) => rs.metadata.uid));
  const pods = plan.view.list(PODS, { namespace: plan.d.metadata.namespace ?? '', filter: (p) => oldUids.has(controllerOf(p)?.uid) }).items;
  return pods.some((p) => podPhase(p) !== 'Failed' && podPhase(p) !== 'Succeeded');
}
