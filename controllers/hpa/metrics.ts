// Reading an HPA's resource metrics from the simulated metrics source (usage.ts) for the pods of
// its target: one replica calculation per metric (replicas.ts), the status.currentMetrics entry
// `kubectl describe hpa` prints, and the words horizontal.go uses in conditions and events.

import type { KObject } from '../../core/object.ts';
import { parseQuantity } from '../../core/quantity.ts';
import type { ReadView } from '../../store/store.ts';
import { calculateReplicas, type Calculation, type PodSample, type Target } from './replicas.ts';
import { containersOf, podUsage, type ResourceName } from './usage.ts';

export interface ResourceMetricSpec {
  type: string;
  resource?: { name: string; target: { type: string; averageUtilization?: number; averageValue?: unknown } };
}

export interface MetricResult {
  calc: Calculation;
  /** "cpu resource utilization (percentage of request)" / "cpu resource". */
  description: string;
  current: Record<string, unknown>;
}

/** horizontal.go's error texts, kept whole for the FailedGetResourceMetric condition and event. */
export class MetricError extends Error {}

/** The millicore/byte quantity text metrics use: "250m", "12Mi"-less plain bytes like kube's "12582912". */
export function formatUsage(name: ResourceName, value: number): string {
  return name === 'cpu' ? `${Math.round(value * 1000)}m` : `${Math.round(value)}`;
}

function targetOf(spec: ResourceMetricSpec): Target {
  const t = spec.resource!.target;
  if (t.type === 'Utilization') return { type: 'Utilization', value: t.averageUtilization ?? 0 };
  return { type: 'AverageValue', value: parseQuantity(t.averageValue) ?? 0 };
}

/** Per pod: usage (undefined if no metrics) and the summed container requests — missing ones are an error for utilization. */
function samples(pods: KObject[], name: ResourceName, needRequests: boolean, view: ReadView): PodSample[] {
  return pods.map((pod) => {
    let request = 0;
    for (const c of containersOf(pod)) {
      const r = c.resources?.requests?.[name];
      if (r === undefined && needRequests) throw new MetricError(`failed to get ${name} utilization: missing request for ${name} in container ${c.name} of Pod ${pod.metadata.name}`);
      request += parseQuantity(r) ?? 0;
    }
    return { usage: podUsage(pod, view)?.[name], request };
  });
}

export function evaluateMetric(spec: ResourceMetricSpec, pods: KObject[], current: number, view: ReadView): MetricResult {
  if (spec.type !== 'Resource' || !spec.resource) throw new MetricError(`metric type ${spec.type} is not supported by the simulated metrics source`);
  const name = spec.resource.name as ResourceName;
  if (name !== 'cpu' && name !== 'memory') throw new MetricError(`failed to get ${name} utilization: no metrics returned for resource ${name}`);
  const target = targetOf(spec);
  const podSamples = samples(pods, name, target.type === 'Utilization', view);
  if (!podSamples.some((s) => s.usage !== undefined)) throw new MetricError(`failed to get ${name} utilization: did not receive metrics for targeted pods (pods might be unready)`);
  const calc = calculateReplicas(current, podSamples, target);
  const utilization = target.type === 'Utilization';
  return {
    calc,
    description: utilization ? `${name} resource utilization (percentage of request)` : `${name} resource`,
    current: {
      type: 'Resource',
      resource: { name, current: { ...(calc.utilization !== undefined ? { averageUtilization: calc.utilization } : {}), averageValue: formatUsage(name, calc.averageValue) } },
    },
  };
}
