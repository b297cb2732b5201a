// The HPA replica calculator (pkg/controller/podautoscaler/replica_calculator.go), pure arithmetic.
//
//   usageRatio = currentMetric / target            (utilization: Σusage / Σrequests × 100 vs target %)
//   |usageRatio − 1| ≤ tolerance (0.1)              → keep the current replicas
//   otherwise desired = ceil(usageRatio × pods with metrics)
//
// Pods without metrics yet (Pending, not Ready) are left out of the average; when the ratio says
// "scale up", they are counted back in at zero usage, and the scale is only changed if the ratio
// still points the same way — so a burst of starting pods does not trigger a second scale-up.
//
// Worked example: 2 ready pods using 180m and 220m of 200m requests, target 50%: utilization
// 400/400 = 100%, ratio 2.0, desired ceil(2.0 × 2) = 4.

export const TOLERANCE = 0.1;

export interface PodSample {
  /** Usage, or undefined for a pod that has no metrics yet (counted as unready). */
  usage?: number;
  /** Request of the resource (utilization targets only). */
  request: number;
}

export interface Target {
  /** 'Utilization': averageUtilization in percent; 'AverageValue': average usage per pod. */
  type: 'Utilization' | 'AverageValue';
  value: number;
}

export interface Calculation {
  replicas: number;
  /** Current average: utilization in percent (rounded down as Kubernetes reports it) or value. */
  utilization?: number;
  averageValue: number;
}

function ratioOf(samples: { usage: number; request: number }[], target: Target): number {
  const usage = samples.reduce((a, s) => a + s.usage, 0);
  if (target.type === 'Utilization') {
    const requests = samples.reduce((a, s) => a + s.request, 0);
    return (usage * 100) / requests / target.value;
  }
  return usage / samples.length / target.value;
}

/** The replica count for one resource metric; `current` is the target's status.replicas. */
export function calculateReplicas(current: number, pods: PodSample[], target: Target): Calculation {
  const ready = pods.filter((p): p is { usage: number; request: number } => p.usage !== undefined);
  const unready = pods.length - ready.length;
  const usage = ready.reduce((a, s) => a + s.usage, 0);
  const requests = ready.reduce((a, s) => a + s.request, 0);
  const averageValue = ready.length ? usage / ready.length : 0;
  const utilization = target.type === 'Utilization' && requests > 0 ? Math.floor((usage * 100) / requests) : undefined;
  const result = (replicas: number): Calculation => ({ replicas, averageValue, ...(utilization !== undefined ? { utilization } : {}) });
  if (ready.length === 0) return result(current);
  const ratio = ratioOf(ready, target);
  if (unready === 0 || ratio <= 1) {
    if (Math.abs(1 - ratio) <= TOLERANCE) return result(current);
    return result(Math.ceil(ratio * ready.length));
  }
  // Scaling up with unready pods: count them in at zero usage and check the direction still holds.
  const request = target.type === 'Utilization' ? requests / ready.length : 0;
  const all = [...ready, ...Array.from({ length: unready }, () => ({ usage: 0, request }))];
  const rebalanced = ratioOf(all, target);
  if (Math.abs(1 - rebalanced) <= TOLERANCE || rebalanced < 1) return result(current);
  const replicas = Math.ceil(rebalanced * all.length);
  return result(replicas < current ? current : replicas);
}
