// The conditions `kubectl describe hpa` lists, with horizontal.go's reasons and messages, and the
// rule that a condition keeps its lastTransitionTime while its status does not change.

import { rfc3339 } from '../../core/clock.ts';
import type { Decision } from './behavior.ts';

export interface HpaCondition {
  type: 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

const cond = (type: HpaCondition['type'], status: HpaCondition['status'], reason: string, message: string): HpaCondition => ({ type, status, reason, message });

export const failedGetScale = (message: string) => cond('AbleToScale', 'False', 'FailedGetScale', `the HPA controller was unable to get the target's current scale: ${message}`);
export const succeededGetScale = () => cond('AbleToScale', 'True', 'SucceededGetScale', "the HPA controller was able to get the target's current scale");
export const failedMetric = (message: string) => cond('ScalingActive', 'False', 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${message}`);
export const scalingDisabled = () => cond('ScalingActive', 'False', 'ScalingDisabled', 'scaling is disabled since the replica count of the target is zero');
export const validMetric = (description: string) =>
  cond('ScalingActive', 'True', 'ValidMetricFound', `the HPA was able to successfully calculate a replica count from ${description}`);

/** AbleToScale after a sync that computed `decision` from `current`. */
export function ableToScale(decision: Decision, current: number): HpaCondition {
  if (decision.replicas !== current) return cond('AbleToScale', 'True', 'SucceededRescale', `the HPA controller was able to update the target scale to ${decision.replicas}`);
  if (decision.limitedBy === 'ScaleDownStabilized')
    return cond('AbleToScale', 'True', 'ScaleDownStabilized', 'recent recommendations were higher than current one, applying the highest recent recommendation');
  if (decision.limitedBy === 'ScaleUpStabilized')
    return cond('AbleToScale', 'True', 'ScaleUpStabilized', 'recent recommendations were lower than current one, applying the lowest recent recommendation');
  return cond('AbleToScale', 'True', 'ReadyForNewScale', 'recommended size matches current size');
}

const LIMITS: Record<string, string> = {
  TooManyReplicas: 'the desired replica count is more than the maximum replica count',
  TooFewReplicas: 'the desired replica count is less than the minimum replica count',
  ScaleUpLimit: 'the desired replica count is increasing faster than the maximum scale rate',
  ScaleDownLimit: 'the desired replica count is decreasing faster than the maximum scale rate',
};

export function scalingLimited(decision: Decision): HpaCondition {
  const reason = decision.limitedBy;
  if (reason && LIMITS[reason]) return cond('ScalingLimited', 'True', reason, LIMITS[reason]);
  return cond('ScalingLimited', 'False', 'DesiredWithinRange', 'the desired count is within the acceptable range');
}

/** The new conditions, each keeping its old lastTransitionTime when its status is unchanged. */
export function mergeConditions(old: HpaCondition[], next: HpaCondition[], now: number): HpaCondition[] {
  return next.map((c) => {
    const prev = old.find((o) => o.type === c.type);
    return { ...c, lastTransitionTime: prev && prev.status === c.status ? prev.lastTransitionTime : rfc3339(now) };
  });
}
