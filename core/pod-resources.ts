// resource.PodRequests / PodLimits (k8s.io/component-helpers/resource): a pod's amount of a resource
// is the sum over its containers, raised to any single init container's amount when that is more
// (init containers run one at a time, before the others). Example: containers 100m + 200m and an
// init container 500m → 500m. Used by the scheduler (requests) and ResourceQuota (requests, limits).

import type { KObject } from './object.ts';

export interface PodContainer {
  name?: string;
  resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
}

/** The pod's amount, given each container's (`ofInit` for init containers; default: the same). */
export function podAmount(pod: KObject, of: (c: PodContainer) => number, ofInit: (c: PodContainer) => number = of): number {
  const spec = (pod.spec ?? {}) as { containers?: PodContainer[]; initContainers?: PodContainer[] };
  let sum = 0;
  for (const c of spec.containers ?? []) sum += of(c);
  for (const c of spec.initContainers ?? []) sum = Math.max(sum, ofInit(c));
  return sum;
}
