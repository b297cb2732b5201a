// The LimitRanger admission plugin's defaults: a pod created in a namespace with LimitRanges gets,
// for each container (and init container), the default limits and requests of the ranges' Container
// items for every resource it does not state, and an annotation saying what was set. This runs
// before the pod's own defaults and validation, as mutating admission does, so a ResourceQuota on
// requests.cpu admits a Deployment's pods that only the LimitRange gives requests.
//
// Example: LimitRange {type: Container, default: {cpu: 500m}, defaultRequest: {cpu: 100m}}, a pod
// whose container "web" states nothing → resources {limits: {cpu: 500m}, requests: {cpu: 100m}} and
// annotation kubernetes.io/limit-ranger: "LimitRanger plugin set: cpu request for container web;
// cpu limit for container web".
//
// Then, as a validating plugin, it holds pods (on create) and PersistentVolumeClaims to the ranges'
// min, max and maxLimitRequestRatio — per container for Container items, on the pod's totals for Pod
// items, on the requested storage for PersistentVolumeClaim items — with the plugin's messages:
// {type: Container, max: {cpu: 800m}} and a container limited to 1500m → 403 `pods "x" is
// forbidden: maximum cpu usage per Container is 800m, but limit is 1500m` (several violations of one
// range: "[a, b]", Go's aggregate error).

import { requestsFromLimits } from './kinds/pod.ts';
import { podAmount, type PodContainer } from './pod-resources.ts';
import { canonicalQuantity, parseQuantity } from './quantity.ts';
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

type ResourceList = Record<string, unknown>;

/**
 * requestLimitEnforcedValues: the three amounts compared in thousandths where that cannot overflow,
 * as Quantity.MilliValue does (rounding up), else in whole units.
 */
function comparable(...quantities: Array<number | undefined>): number[] {
  const milli = quantities.every((q) => q === undefined || Math.ceil(q) <= 9_223_372_036_854_775);
  return quantities.map((q) => (q === undefined ? 0 : milli ? Math.ceil(q * 1000 - 1e-9) : Math.ceil(q)));
}

/** What a limit item enforces, one resource at a time, against a request and a limit list. */
type Check = (type: string, name: string, enforced: unknown, requests: ResourceList, limits: ResourceList) => string | undefined;

const min: Check = (type, name, enforced, requests, limits) => {
  const [req, lim, bound] = comparable(parseQuantity(requests[name]), parseQuantity(limits[name]), parseQuantity(enforced));
  const is = canonicalQuantity(enforced);
  if (requests[name] === undefined) return `minimum ${name} usage per ${type} is ${is}.  No request is specified`;
  if (req < bound) return `minimum ${name} usage per ${type} is ${is}, but request is ${canonicalQuantity(requests[name])}`;
  if (limits[name] !== undefined && lim < bound) return `minimum ${name} usage per ${type} is ${is}, but limit is ${canonicalQuantity(limits[name])}`;
  return undefined;
};

const max: Check = (type, name, enforced, requests, limits) => {
  const [req, lim, bound] = comparable(parseQuantity(requests[name]), parseQuantity(limits[name]), parseQuantity(enforced));
  const is = canonicalQuantity(enforced);
  if (limits[name] === undefined) return `maximum ${name} usage per ${type} is ${is}.  No limit is specified`;
  if (lim > bound) return `maximum ${name} usage per ${type} is ${is}, but limit is ${canonicalQuantity(limits[name])}`;
  if (requests[name] !== undefined && req > bound) return `maximum ${name} usage per ${type} is ${is}, but request is ${canonicalQuantity(requests[name])}`;
  return undefined;
};

/** maxRequestConstraint: for a claim, whose limits are not user input, the request is what counts. */
const maxRequest: Check = (type, name, enforced, requests) => {
  const [req, bound] = comparable(parseQuantity(requests[name]), parseQuantity(enforced));
  const is = canonicalQuantity(enforced);
  if (requests[name] === undefined) return `maximum ${name} usage per ${type} is ${is}.  No request is specified`;
  if (req > bound) return `maximum ${name} usage per ${type} is ${is}, but request is ${canonicalQuantity(requests[name])}`;
  return undefined;
};

const ratio: Check = (type, name, enforced, requests, limits) => {
  const [req, lim] = comparable(parseQuantity(requests[name]), parseQuantity(limits[name]));
  const is = canonicalQuantity(enforced);
  if (requests[name] === undefined || req === 0) return `${name} max limit to request ratio per ${type} is ${is}, but no request is specified or request is 0`;
  if (limits[name] === undefined || lim === 0) return `${name} max limit to request ratio per ${type} is ${is}, but no limit is specified or limit is 0`;
  const observed = lim / req;
  if (observed * 1000 > comparable(parseQuantity(enforced))[0]) return `${name} max limit to request ratio per ${type} is ${is}, but provided ratio is ${observed.toFixed(6)}`;
  return undefined;
};

/** What each field of an item enforces: on pods' containers and totals, and on claims. */
type Checks = ReadonlyArray<readonly [field: string, check: Check]>;
const POD_CHECKS: Checks = [['min', min], ['max', max], ['maxLimitRequestRatio', ratio]];
const CLAIM_CHECKS: Checks = [['min', min], ['max', maxRequest]];

/** Apply an item's checks to one request/limit pair, resource by resource. */
function checkItem(item: Fields, type: string, requests: ResourceList, limits: ResourceList, checks = POD_CHECKS): string[] {
  const out: string[] = [];
  for (const [field, check] of checks) {
    for (const [name, enforced] of Object.entries(rec(item[field]) ?? {})) {
      const why = check(type, name, enforced, requests, limits);
      if (why) out.push(why);
    }
  }
  return out;
}

const resourcesOf = (c: unknown) => rec(rec(c)?.resources) ?? {};

/** PodValidateLimitFunc: the violations of one LimitRange by a pod (already defaulted). */
function podViolations(pod: KObject, range: KObject): string[] {
  const spec = rec(pod.spec) ?? {};
  const containers = [...list(spec.containers), ...list(spec.initContainers)];
  const out: string[] = [];
  for (const raw of list(rec(range.spec)?.limits)) {
    const item = rec(raw);
    if (item?.type === 'Container') {
      for (const c of containers) out.push(...checkItem(item, 'Container', rec(resourcesOf(c).requests) ?? {}, rec(resourcesOf(c).limits) ?? {}));
    } else if (item?.type === 'Pod') {
      const total = (kind: 'requests' | 'limits') => {
        const names = new Set(containers.flatMap((c) => Object.keys(rec(resourcesOf(c)[kind]) ?? {})));
        return Object.fromEntries([...names].map((name) => [name, podAmount(pod, (c: PodContainer) => parseQuantity(c.resources?.[kind]?.[name]) ?? 0)]));
      };
      out.push(...checkItem(item, 'Pod', total('requests'), total('limits')));
    }
  }
  return out;
}

/** PersistentVolumeClaimValidateLimitFunc: min against the requested storage, max against the request too. */
function claimViolations(pvc: KObject, range: KObject): string[] {
  const requests = rec(rec(rec(pvc.spec)?.resources)?.requests) ?? {};
  const out: string[] = [];
  for (const raw of list(rec(range.spec)?.limits)) {
    const item = rec(raw);
    if (item?.type === 'PersistentVolumeClaim') out.push(...checkItem(item, 'PersistentVolumeClaim', requests, {}, CLAIM_CHECKS));
  }
  return out;
}

/**
 * Why LimitRanger refuses `object` (a pod being created or a claim being written), or undefined:
 * the first range it violates, its violations as Go aggregates them ("a", or "[a, b]").
 */
export function limitRangeRefusal(res: 'v1/pods' | 'v1/persistentvolumeclaims', object: KObject, ranges: KObject[]): string | undefined {
  for (const range of ranges) {
    const errs = res === 'v1/pods' ? podViolations(object, range) : claimViolations(object, range);
    if (errs.length > 0) return errs.length === 1 ? errs[0] : `[${errs.join(', ')}]`;
  }
  return undefined;
}
