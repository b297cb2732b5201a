// The LimitRanger admission plugin's defaults: a pod created in a namespace with LimitRanges gets,
// for each container (and init container), the default limits and requests of the ranges' Container
// items for every resource it does not state, and an annotation saying what was set. This runs
// before the pod's own defaults and validation, as mutating admission does, so a ResourceQuota on
// requests.cpu admits a Deployment's pods that only the LimitRange gives requests.
//
// Example: LimitRange {type: Container, default: {cpu: 500m}, defaultRequest: {cpu: 100m}}, a pod
// whose container "web" states nothing → resources {limits: {cpu: 500m}, requests: {cpu: 100m}} and
// annotation kubernetes.io/limit-ranger: "LimitRanger plugin set: cpu request for container web;
// cpu limit for container web". (The ranges' min, max and ratio checks are not enforced.)

import { requestsFromLimits } from './kinds/pod.ts';
import { list, rec, type Fields } from './kinds/types.ts';
import { clone, type KObject } from './object.ts';

export const LIMIT_RANGES = 'v1/limitranges';
const ANNOTATION = 'kubernetes.io/limit-ranger';

interface Defaults {
  requests: Fields;
  limits: Fields;
}

/** defaultContainerResourceRequirements: the Container items of one LimitRange, later ones winning. */
function defaultsOf(range: KObject): Defaults {
  const out: Defaults = { requests: {}, limits: {} };
  for (const raw of list(rec(range.spec)?.limits)) {
    const item = rec(raw);
    if (item?.type !== 'Container') continue;
    Object.assign(out.requests, rec(item.defaultRequest));
    Object.assign(out.limits, rec(item.default));
  }
  return out;
}

/** mergeContainerResources: fill what the container leaves out; the annotation's part for it. */
function mergeContainer(c: Fields, d: Defaults, prefix: string): string[] {
  // A shape Go could not decode is left for the pod's own admission to refuse.
  if (c.resources !== undefined && !rec(c.resources)) return [];
  const resources = (c.resources = rec(c.resources) ?? {});
  const fill = (kind: 'requests' | 'limits') => {
    if (resources[kind] !== undefined && !rec(resources[kind])) return [];
    const own = (resources[kind] = rec(resources[kind]) ?? {});
    const set = Object.keys(d[kind]).filter((name) => own[name] === undefined);
    for (const name of set) own[name] = d[kind][name];
    if (Object.keys(own).length === 0) delete resources[kind];
    return set.sort();
  };
  const requests = fill('requests');
  const limits = fill('limits');
  return [
    ...(requests.length > 0 ? [`${requests.join(', ')} request for ${prefix} ${c.name}`] : []),
    ...(limits.length > 0 ? [`${limits.join(', ')} limit for ${prefix} ${c.name}`] : []),
  ];
}

/**
 * The pod as LimitRanger leaves it (a copy; `pod` itself is not changed). The requests its own
 * limits imply are filled first: Go's decoding defaults them before admission runs.
 */
export function withLimitRangeDefaults(pod: KObject, ranges: KObject[]): KObject {
  if (ranges.length === 0) return pod;
  const out = clone(pod);
  const spec = rec(out.spec);
  if (!spec) return pod;
  requestsFromLimits(spec);
  for (const range of ranges) {
    const d = defaultsOf(range);
    const notes = [
      ...list(spec.containers).flatMap((c) => (rec(c) ? mergeContainer(c as Fields, d, 'container') : [])),
      ...list(spec.initContainers).flatMap((c) => (rec(c) ? mergeContainer(c as Fields, d, 'init container') : [])),
    ];
    if (notes.length > 0) out.metadata.annotations = { ...out.metadata.annotations, [ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}` };
  }
  return out;
}
