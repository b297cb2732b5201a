// Deployment status and conditions (pkg/controller/deployment/progress.go and sync.go
// calculateStatus): replica counts summed over the replica sets, Available (enough pods available
// given maxUnavailable), Progressing (ReplicaSetUpdated while pods move, NewReplicaSetAvailable when
// complete, ProgressDeadlineExceeded after progressDeadlineSeconds without progress — timed by the
// clock), ReplicaFailure copied from a replica set, and the paused/resumed conditions.

import { rfc3339 } from '../../core/clock.ts';
import type { Plan } from './plan.ts';
import {
  actualTotal,
  availableTotal,
  deploymentComplete,
  deploymentProgressing,
  deploymentTimedOut,
  desired,
  getCondition,
  maxUnavailable,
  progressDeadlineMs,
  readyTotal,
  removeCondition,
  replaceCondition,
  setCondition,
  specTotal,
  type Condition,
  type DeploymentStatus,
  type ReplicaSet,
} from './util.ts';

export function condition(type: string, status: Condition['status'], reason: string, message: string, now: number): Condition {
  const t = rfc3339(now);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

/** calculateStatus; counts that are zero are omitted, as the API's omitempty does. */
export function calculateStatus(plan: Plan, all: ReplicaSet[], newRS: ReplicaSet | undefined): DeploymentStatus {
  const d = plan.d;
  const available = availableTotal(all);
  const counts: Record<string, number> = {
    observedGeneration: d.metadata.generation ?? 1,
    replicas: actualTotal(all),
    updatedReplicas: newRS ? actualTotal([newRS]) : 0,
    readyReplicas: readyTotal(all),
    availableReplicas: available,
    unavailableReplicas: Math.max(0, specTotal(all) - available),
  };
  const status: DeploymentStatus = Object.fromEntries(Object.entries(counts).filter(([, v]) => v !== 0));
  if (d.status?.conditions) status.conditions = d.status.conditions.map((c) => ({ ...c }));
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (available >= desired(d) - maxUnavailable(d)) {
    setCondition(status, condition('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.', plan.now));
  } else {
    setCondition(status, condition('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.', plan.now));
  }
  return status;
}

/** syncDeploymentStatus: status only, no progress judgement (scaling, paused, deleting). */
export function syncDeploymentStatus(plan: Plan, all: ReplicaSet[], newRS: ReplicaSet | undefined): void {
  plan.d.status = calculateStatus(plan, all, newRS);
}

/** syncRolloutStatus: status plus the Progressing and ReplicaFailure conditions. */
export function syncRolloutStatus(plan: Plan, all: ReplicaSet[], newRS: ReplicaSet | undefined): void {
  const d = plan.d;
  const status = calculateStatus(plan, all, newRS);
  const deadline = progressDeadlineMs(d);
  if (deadline === undefined) removeCondition(status, 'Progressing');
  const current = getCondition(d.status, 'Progressing');
  const complete = status.replicas === status.updatedReplicas && current?.reason === 'NewReplicaSetAvailable';
  if (deadline !== undefined && !complete) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, status)) {
      setCondition(status, condition('Progressing', 'True', 'NewReplicaSetAvailable', `${subject} has successfully progressed.`, plan.now));
    } else if (deploymentProgressing(d, status)) {
      // Progress refreshes lastUpdateTime (the deadline counts from it) but keeps lastTransitionTime.
      const c = condition('Progressing', 'True', 'ReplicaSetUpdated', `${subject} is progressing.`, plan.now);
      if (current?.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
      replaceCondition(status, c);
    } else if (deploymentTimedOut(d, status, plan.now)) {
      setCondition(status, condition('Progressing', 'False', 'ProgressDeadlineExceeded', `${subject} has timed out progressing.`, plan.now));
    }
  }
  const failure = all.flatMap((rs) => rs.status?.conditions ?? []).find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  if (failure) setCondition(status, condition('ReplicaFailure', 'True', failure.reason ?? '', failure.message ?? '', plan.now));
  else removeCondition(status, 'ReplicaFailure');
  d.status = status;
  plan.requeueAfter = untilDeadline(plan, status);
}

/**
 * requeueStuckDeployment: a rollout that stops moving produces no events, so the controller asks the
 * clock to look again just after the progress deadline (lastUpdateTime + progressDeadlineSeconds + 1 s).
 */
function untilDeadline(plan: Plan, status: DeploymentStatus): number | undefined {
  const deadline = progressDeadlineMs(plan.d);
  const c = getCondition(status, 'Progressing');
  if (deadline === undefined || !c || deploymentComplete(plan.d, status) || c.reason === 'ProgressDeadlineExceeded') return undefined;
  return Math.max(0, Date.parse(c.lastUpdateTime) + deadline - plan.now) + 1000;
}

/** checkPausedConditions: Progressing Unknown DeploymentPaused / DeploymentResumed as spec.paused flips. */
export function checkPausedConditions(plan: Plan): void {
  const d = plan.d;
  if (progressDeadlineMs(d) === undefined) return;
  const c = getCondition(d.status, 'Progressing');
  if (c?.reason === 'ProgressDeadlineExceeded') return;
  const pausedCond = c?.reason === 'DeploymentPaused';
  const flip = d.spec.paused && !pausedCond ? ['DeploymentPaused', 'Deployment is paused'] : !d.spec.paused && pausedCond ? ['DeploymentResumed', 'Deployment is resumed'] : undefined;
  if (!flip) return;
  d.status = { ...(d.status ?? {}) };
  setCondition(d.status, condition('Progressing', 'Unknown', flip[0], flip[1], plan.now));
}
