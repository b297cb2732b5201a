// ResourceQuota admission (kube-apiserver's ResourceQuota plugin with the object-count and pod
// evaluators of pkg/quota/v1/evaluator/core): a create in a namespace is refused when it would push
// any ResourceQuota of that namespace past its spec.hard. The real plugin reads status.used, which
// the quota controller keeps up to date; Rewind computes the same usage from the objects the write
// sees (the store's `peers`: committed plus pending writes of the batch), so two pods created in one
// batch cannot both take the last slot.
//
// Tracked resources: `pods` and `count/pods` (pods not yet Succeeded or Failed); the object counts
// `services`, `configmaps`, `secrets`, `replicationcontrollers`, `persistentvolumeclaims`,
// `resourcequotas` and `count/<plural>[.<group>]`; and the compute resources of pods — `cpu` and
// `memory` (same as `requests.cpu`/`requests.memory`), `limits.cpu`, `limits.memory`, summed over the
// containers (an init container counts when it asks for more than the containers together); a quota
// on cpu or memory also refuses a pod whose containers do not state that resource ("failed quota:
// compute: must specify limits.cpu for: web"). Quotas with `scopes` or a `scopeSelector` are not enforced.
//
// Example: hard {pods: "2"}, two pods running, a replica set creates a third →
//   403 Forbidden  pods "web-7d9c-x2b4q" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2

import { admissionForbidden } from './errors.ts';
import type { KObject } from './object.ts';
import { formatQuantity, parseQuantity } from './quantity.ts';
import { podAmount, type PodContainer } from './pod-resources.ts';
import { refOf, RESOURCES } from './registry.ts';

export const RESOURCE_QUOTAS = 'v1/resourcequotas';
const PODS = 'v1/pods';

/** The legacy object-count names of the core group (v1.ResourceServices, …) and the resource each counts. */
const LEGACY_COUNTS: Record<string, string> = {
  pods: PODS,
  services: 'v1/services',
  configmaps: 'v1/configmaps',
  secrets: 'v1/secrets',
  replicationcontrollers: 'v1/replicationcontrollers',
  persistentvolumeclaims: 'v1/persistentvolumeclaims',
  resourcequotas: RESOURCE_QUOTAS,
};

/** Pod compute resources: the quota name → which part of a container's resources it sums. */
const COMPUTE: Record<string, { kind: 'requests' | 'limits'; name: 'cpu' | 'memory' }> = {
  cpu: { kind: 'requests', name: 'cpu' },
  memory: { kind: 'requests', name: 'memory' },
  'requests.cpu': { kind: 'requests', name: 'cpu' },
  'requests.memory': { kind: 'requests', name: 'memory' },
  'limits.cpu': { kind: 'limits', name: 'cpu' },
  'limits.memory': { kind: 'limits', name: 'memory' },
};

export interface QuotaRequest {
  res: string;
  object: KObject;
  /** Every object of a resource as the write sees it (the store's AdmitRequest.peers). */
  peers?: (res: string, namespace?: string) => KObject[];
}

/** Throws 403 Forbidden when creating `object` would exceed a quota of its namespace. */
export function admitQuota(req: QuotaRequest): void {
  const ns = req.object.metadata.namespace;
  const peers = req.peers;
  if (!ns || !peers) return;
  const quotas = peers(RESOURCE_QUOTAS, ns).filter(isEnforced);
  if (quotas.length === 0) return;
  // List each resource once per create, not once per quota line.
  const lists = new Map<string, KObject[]>();
  const inNs = (res: string) => lists.get(res) ?? lists.set(res, peers(res, ns)).get(res)!;
  for (const quota of quotas) {
    const missing = req.res === PODS ? missingCompute(quota, req.object) : '';
    if (missing) throw admissionForbidden(refOf(req.res), req.object.metadata.name ?? '', `failed quota: ${quota.metadata.name}: must specify ${missing}`);
    const exceeded = overLimit(quota, req, inNs);
    if (exceeded.length === 0) continue;
    const list = (f: (e: Exceeded) => string) => exceeded.map((e) => `${e.name}=${f(e)}`).join(',');
    const why = `exceeded quota: ${quota.metadata.name}, requested: ${list((e) => amount(e.requested))}, used: ${list((e) => amount(e.used))}, limited: ${list((e) => e.hardText)}`;
    throw admissionForbidden(refOf(req.res), req.object.metadata.name ?? '', why);
  }
}

/**
 * The status the resource quota controller keeps: hard copied from the spec, used measured over the
 * namespace's objects (`objectsIn(res)`), "0" for what Rewind does not measure. An unenforced
 * (scoped) quota is measured the same way, which is what `kubectl describe quota` then shows.
 */
export function quotaStatus(quota: KObject, objectsIn: (res: string) => KObject[]): { hard: Record<string, unknown>; used: Record<string, string> } {
  const hard = hardOf(quota);
  const used: Record<string, string> = {};
  for (const name of Object.keys(hard).sort()) {
    const m = measureOf(name);
    used[name] = m ? amount(usedBy(m, objectsIn(m.res))) : '0';
  }
  return { hard: { ...hard }, used };
}

interface Exceeded {
  name: string;
  requested: number;
  used: number;
  hardText: string;
}

function isEnforced(quota: KObject): boolean {
  const spec = (quota.spec ?? {}) as { scopes?: unknown[]; scopeSelector?: unknown };
  return !spec.scopeSelector && (spec.scopes?.length ?? 0) === 0;
}

const hardOf = (quota: KObject) => ((quota.spec as { hard?: Record<string, unknown> } | undefined)?.hard ?? {}) as Record<string, unknown>;

/** The quota's resources this create would push past spec.hard, sorted by name (as prettyPrint does). */
function overLimit(quota: KObject, req: QuotaRequest, inNs: (res: string) => KObject[]): Exceeded[] {
  const hard = hardOf(quota);
  const out: Exceeded[] = [];
  for (const name of Object.keys(hard).sort()) {
    const limit = parseQuantity(hard[name]);
    const m = measureOf(name);
    if (limit === undefined || !m || m.res !== req.res) continue;
    const requested = m.weight(req.object);
    if (requested === 0) continue;
    const used = usedBy(m, inNs(m.res));
    if (used + requested > limit) out.push({ name, requested, used, hardText: String(hard[name]) });
  }
  return out;
}

/** What a quota resource name measures: objects of one resource, each weighing 1 or its pod requests/limits. */
interface Measure {
  res: string;
  weight: (o: KObject) => number;
}

function measureOf(name: string): Measure | undefined {
  const counted = countedResource(name);
  if (counted !== undefined) return { res: counted, weight: () => 1 };
  const compute = COMPUTE[name];
  return compute && { res: PODS, weight: (p) => podResource(p, compute.kind, compute.name) };
}

/** The usage of the objects that count (finished pods do not). */
function usedBy(m: Measure, objects: KObject[]): number {
  return objects.reduce((sum, o) => sum + (m.res !== PODS || podCounts(o) ? m.weight(o) : 0), 0);
}

/** The storage key an object-count quota resource counts: "pods" → v1/pods, "count/deployments.apps" → apps/v1/deployments. */
function countedResource(name: string): string | undefined {
  if (LEGACY_COUNTS[name]) return LEGACY_COUNTS[name];
  if (!name.startsWith('count/')) return undefined;
  const [plural, ...group] = name.slice('count/'.length).split('.');
  return RESOURCES.find((r) => r.plural === plural && r.group === group.join('.'))?.res;
}

/** QuotaV1Pod: a pod stops counting once it has finished. */
function podCounts(p: KObject): boolean {
  const phase = (p.status as { phase?: string } | undefined)?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/**
 * The pod evaluator's Constraints: a quota on cpu or memory requires every container (init ones
 * included) to state that resource — "limits.cpu for: web; requests.memory for: db,web" — or ''.
 * Kubernetes keeps this for compatibility (it predates QoS); a LimitRange default is the usual fix.
 */
function missingCompute(quota: KObject, pod: KObject): string {
  const required = Object.keys(hardOf(quota)).filter((name) => COMPUTE[name]).sort();
  const spec = (pod.spec ?? {}) as { containers?: PodContainer[]; initContainers?: PodContainer[] };
  const containers = [...(spec.containers ?? []), ...(spec.initContainers ?? [])];
  return required
    .map((name) => {
      const { kind, name: resource } = COMPUTE[name];
      const lacking = containers.filter((c) => c.resources?.[kind]?.[resource] === undefined).map((c) => c.name ?? '');
      return lacking.length > 0 ? `${name} for: ${[...new Set(lacking)].sort().join(',')}` : '';
    })
    .filter((m) => m)
    .join('; ');
}

/** PodRequests/PodLimits of one resource (core/pod-resources.ts). */
function podResource(p: KObject, kind: 'requests' | 'limits', name: string): number {
  return podAmount(p, (c) => parseQuantity(c.resources?.[kind]?.[name]) ?? 0);
}

/** A summed amount as resource.Quantity prints it: 2, 500m, 128Mi (binary-SI where it divides evenly). */
const amount = (v: number) => formatQuantity(v, true);
