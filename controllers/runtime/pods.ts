// Pod facts every workload controller reads (k8s.io/kubernetes pkg/api/v1/pod and
// pkg/controller/controller_utils.go): readiness, availability after minReadySeconds, the "active"
// filter, the pod a template stamps out, and the order in which surplus pods are deleted.

import type { KObject, OwnerReference } from '../../core/object.ts';
import { nameSuffix } from '../../core/random.ts';
import type { ReadView } from '../../store/store.ts';

export const PODS = 'v1/pods';

interface PodCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
}

export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
  spec?: Record<string, unknown>;
}

export const podSpec = (p: KObject) => (p.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
const podStatus = (p: KObject) =>
  (p.status ?? {}) as { phase?: string; conditions?: PodCondition[]; containerStatuses?: { restartCount?: number }[] };

export function podPhase(p: KObject): string {
  return podStatus(p).phase ?? 'Pending';
}

function readyCondition(p: KObject): PodCondition | undefined {
  return podStatus(p).conditions?.find((c) => c.type === 'Ready');
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(p: KObject): boolean {
  return readyCondition(p)?.status === 'True';
}

/**
 * podutil.IsPodAvailable: ready, and ready for more than minReadySeconds (strictly: a pod ready at
 * 12:00:00 with minReadySeconds 10 is available from just after 12:00:10).
 */
export function isPodAvailable(p: KObject, minReadySeconds: number, now: number): boolean {
  return availableFrom(p, minReadySeconds) <= now;
}

/** When a ready pod becomes available (ms); Infinity for a pod that is not ready. */
function availableFrom(p: KObject, minReadySeconds: number): number {
  const c = readyCondition(p);
  if (c?.status !== 'True') return Infinity;
  if (!minReadySeconds) return -Infinity;
  const since = c.lastTransitionTime ? Date.parse(c.lastTransitionTime) : NaN;
  return Number.isNaN(since) ? Infinity : since + minReadySeconds * 1000 + 1;
}

/**
 * With minReadySeconds, when to look again: the moment the next ready pod becomes available, as no
 * write marks it (replica_set.go and the DaemonSet's updateDaemonSetStatus enqueue the owner after).
 */
export function requeueForAvailability(minReadySeconds: number, pods: KObject[], now: number): { requeueAfter?: number } {
  if (!minReadySeconds) return {};
  const next = Math.min(...pods.map((p) => availableFrom(p, minReadySeconds)).filter((t) => t > now));
  return Number.isFinite(next) ? { requeueAfter: next - now } : {};
}

/** controller.IsPodActive: not finished and not being deleted — the pods a controller counts. */
export function isPodActive(p: KObject): boolean {
  const phase = podPhase(p);
  return phase !== 'Succeeded' && phase !== 'Failed' && p.metadata.deletionTimestamp === undefined;
}

/** The controller owner reference of an object (metav1.GetControllerOf). */
export function controllerOf(o: KObject): OwnerReference | undefined {
  // A loop, not find(): the replica set asks this of every pod of the namespace on every sync.
  for (const r of o.metadata.ownerReferences ?? []) if (r.controller === true) return r;
  return undefined;
}

/** The controller reference an owner puts on what it creates or adopts. */
export function controllerRef(owner: KObject): OwnerReference {
  const m = owner.metadata;
  return { apiVersion: owner.apiVersion, kind: owner.kind, name: m.name!, uid: m.uid!, controller: true, blockOwnerDeletion: true };
}

/**
 * controller.GetPodFromTemplate: labels, annotations, finalizers and spec from the template, the
 * owner's controller reference, and generateName "<owner>-". The name is chosen here, from the view
 * revision and the pod's index in this reconcile (core/random), so events can name the pod and the
 * controller's next reconcile sees it before the commit is acknowledged.
 */
export function podFromTemplate(template: PodTemplate, owner: KObject, view: ReadView, index: number): KObject {
  const ns = owner.metadata.namespace ?? '';
  const prefix = `${owner.metadata.name}-`;
  let name: string;
  for (let salt = index; ; salt += 1_000_000) {
    name = prefix + nameSuffix(0, view.rev, `${PODS}|${ns}|${prefix}|${salt}`);
    if (!view.get(PODS, ns, name)) break;
  }
  const meta = template.metadata ?? {};
  const metadata: KObject['metadata'] = { name, generateName: prefix, namespace: ns, ownerReferences: [controllerRef(owner)] };
  if (meta.labels) metadata.labels = { ...meta.labels };
  if (meta.annotations) metadata.annotations = { ...meta.annotations };
  if (meta.finalizers) metadata.finalizers = [...meta.finalizers];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: structuredClone(template.spec ?? {}) };
}

const PHASE_ORDINAL: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(p: KObject): number {
  const v = Number(p.metadata.annotations?.['controller.kubernetes.io/pod-deletion-cost'] ?? 0);
  return Number.isFinite(v) ? v : 0;
}

function restarts(p: KObject): number {
  return Math.max(0, ...(podStatus(p).containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

/**
 * controller.ActivePodsWithRanks: the order in which surplus pods are deleted, first = deleted first.
 * `rank` counts the owner's related pods on the same node (doubled-up pods go first).
 */
export function deletionOrder(pods: KObject[], rank: (p: KObject) => number): KObject[] {
  const cmp = (a: KObject, b: KObject): number => {
    const na = podSpec(a).nodeName ?? '';
    const nb = podSpec(b).nodeName ?? '';
    if (na !== nb && (na === '' || nb === '')) return na === '' ? -1 : 1; // unscheduled < scheduled
    const pa = PHASE_ORDINAL[podPhase(a)] ?? 0;
    const pb = PHASE_ORDINAL[podPhase(b)] ?? 0;
    if (pa !== pb) return pa - pb; // Pending < Unknown < Running
    const ra = isPodReady(a);
    const rb = isPodReady(b);
    if (ra !== rb) return ra ? 1 : -1; // not ready < ready
    if (deletionCost(a) !== deletionCost(b)) return deletionCost(a) - deletionCost(b);
    if (rank(a) !== rank(b)) return rank(b) - rank(a); // doubled up < alone
    if (ra && rb) {
      const ta = readyCondition(a)?.lastTransitionTime ?? '';
      const tb = readyCondition(b)?.lastTransitionTime ?? '';
      if (ta !== tb) return ta > tb ? -1 : 1; // ready for less time < more time
    }
    if (restarts(a) !== restarts(b)) return restarts(b) - restarts(a); // more restarts first
    const ca = a.metadata.creationTimestamp ?? '';
    const cb = b.metadata.creationTimestamp ?? '';
    if (ca !== cb) return ca > cb ? -1 : 1; // newer < older
    return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
  };
  return [...pods].sort(cmp);
}
