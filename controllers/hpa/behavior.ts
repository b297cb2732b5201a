// From the recommendation to the replicas actually set (horizontal.go,
// normalizeDesiredReplicasWithBehaviors): the stabilization windows, then the scaling policies,
// then min/maxReplicas.
//
// Stabilization: scaling down takes the highest recommendation of the last
// scaleDown.stabilizationWindowSeconds (default 300 s), scaling up the lowest of the last
// scaleUp.stabilizationWindowSeconds (default 0) — a load dip shorter than the window never removes
// pods. The real controller keeps the recommendations in memory; ours are kept on the HPA itself
// (annotation `autoscaling.rewind.dev/recommendations`, run-length encoded as [since ms, replicas]
// pairs, so a steady recommendation writes nothing) so that a replay of the log decides the same.
//
// Policies: each period Pods adds/removes at most `value` pods, Percent at most `value`% of the
// current count; selectPolicy Max takes the most permissive, Min the least, Disabled forbids the
// direction. Rewind measures a policy against the replicas at this sync (every 15 s, the default
// period), not against a history of scale events.

export const ANN_RECOMMENDATIONS = 'autoscaling.rewind.dev/recommendations';
export const DEFAULT_DOWN_WINDOW_S = 300;

export interface Policy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds?: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds?: number;
  selectPolicy?: 'Max' | 'Min' | 'Disabled';
  policies?: Policy[];
}

export interface Behavior {
  scaleUp?: ScalingRules;
  scaleDown?: ScalingRules;
}

/** [since ms, replicas]: recommendation `replicas` from `since` until the next entry. */
export type Recommendations = [number, number][];

const DEFAULT_UP: ScalingRules = { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4 }, { type: 'Percent', value: 100 }] };
const DEFAULT_DOWN: ScalingRules = { stabilizationWindowSeconds: DEFAULT_DOWN_WINDOW_S, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100 }] };

/** Add the recommendation of `now` and forget what no window can see any more. */
export function remember(history: Recommendations, now: number, replicas: number, keepMs: number): Recommendations {
  const last = history[history.length - 1];
  const grown: Recommendations = last && last[1] === replicas ? history : [...history, [now, replicas]];
  // An entry is visible while the one after it started inside the window.
  return grown.filter((_, i) => i === grown.length - 1 || grown[i + 1][0] > now - keepMs);
}

/** Highest (down) or lowest (up) recommendation seen within the window. */
function withinWindow(history: Recommendations, now: number, windowMs: number): number[] {
  return history.filter((_, i) => i === history.length - 1 || history[i + 1][0] > now - windowMs).map(([, r]) => r);
}

export interface Decision {
  replicas: number;
  /** Why the recommendation was not applied as is (condition reasons of horizontal.go). */
  limitedBy?: 'ScaleDownStabilized' | 'ScaleUpStabilized' | 'ScaleUpLimit' | 'ScaleDownLimit' | 'TooManyReplicas' | 'TooFewReplicas';
}

function policyLimit(rules: ScalingRules, current: number, up: boolean): number {
  const limits = (rules.policies ?? []).map((p) => {
    const change = p.type === 'Pods' ? p.value : Math.ceil((current * p.value) / 100);
    return up ? current + change : Math.max(0, current - (p.type === 'Pods' ? p.value : Math.floor((current * p.value) / 100)));
  });
  if (!limits.length) return up ? Infinity : 0;
  const most = up ? Math.max(...limits) : Math.min(...limits);
  const least = up ? Math.min(...limits) : Math.max(...limits);
  return rules.selectPolicy === 'Min' ? least : most;
}

/** The replicas to set given the new recommendation history, the current count and min/max. */
export function decide(history: Recommendations, now: number, current: number, min: number, max: number, behavior: Behavior | undefined): Decision {
  const up = { ...DEFAULT_UP, ...behavior?.scaleUp };
  const down = { ...DEFAULT_DOWN, ...behavior?.scaleDown };
  const recommended = history[history.length - 1][1];
  const upFloor = Math.min(...withinWindow(history, now, (up.stabilizationWindowSeconds ?? 0) * 1000));
  const downCeiling = Math.max(...withinWindow(history, now, (down.stabilizationWindowSeconds ?? DEFAULT_DOWN_WINDOW_S) * 1000));
  let replicas = current;
  let limitedBy: Decision['limitedBy'];
  if (upFloor > current) {
    replicas = upFloor;
    if (upFloor < recommended) limitedBy = 'ScaleUpStabilized';
  } else if (downCeiling < current) {
    replicas = downCeiling;
    if (downCeiling > recommended) limitedBy = 'ScaleDownStabilized';
  } else if (recommended < current) limitedBy = 'ScaleDownStabilized';
  else if (recommended > current) limitedBy = 'ScaleUpStabilized';
  if (replicas > current) {
    const limit = up.selectPolicy === 'Disabled' ? current : policyLimit(up, current, true);
    if (replicas > limit) [replicas, limitedBy] = [limit, 'ScaleUpLimit'];
  } else if (replicas < current) {
    const limit = down.selectPolicy === 'Disabled' ? current : policyLimit(down, current, false);
    if (replicas < limit) [replicas, limitedBy] = [limit, 'ScaleDownLimit'];
  }
  if (replicas > max) return { replicas: max, limitedBy: 'TooManyReplicas' };
  if (replicas < min) return { replicas: min, limitedBy: 'TooFewReplicas' };
  return { replicas, ...(limitedBy ? { limitedBy } : {}) };
}

/** The window the history must cover: the longer of the two. */
export function historyWindowMs(behavior: Behavior | undefined): number {
  const up = behavior?.scaleUp?.stabilizationWindowSeconds ?? 0;
  const down = behavior?.scaleDown?.stabilizationWindowSeconds ?? DEFAULT_DOWN_WINDOW_S;
  return Math.max(up, down) * 1000;
}
