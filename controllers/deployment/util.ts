// Deployment arithmetic and predicates, pure (k8s.io/kubernetes pkg/controller/deployment/util/
// deployment_util.go). Table-driven tests: test/controllers/deployment-util.test.ts.

import type { KObject } from '../../core/object.ts';
import { canonicalJson } from '../../core/hash.ts';
import type { LabelSelector } from '../../core/selectors.ts';
import type { PodTemplate } from '../runtime/pods.ts';

export const DEPLOYMENTS = 'apps/v1/deployments';
export const REPLICASETS = 'apps/v1/replicasets';
export const HASH_LABEL = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS = 'deployment.kubernetes.io/max-replicas';
export const COMPONENT = 'deployment-controller';

export type IntOrPercent = number | string;

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

export interface DeploymentSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
  strategy?: { type?: string; rollingUpdate?: { maxSurge?: IntOrPercent; maxUnavailable?: IntOrPercent } };
  minReadySeconds?: number;
  revisionHistoryLimit?: number;
  paused?: boolean;
  progressDeadlineSeconds?: number;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Condition[];
  collisionCount?: number;
}

export type Deployment = KObject & { spec: DeploymentSpec; status?: DeploymentStatus };

export interface ReplicaSetSpec {
  replicas?: number;
  minReadySeconds?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
}

export type ReplicaSet = KObject & {
  spec: ReplicaSetSpec;
  status?: { replicas?: number; fullyLabeledReplicas?: number; readyReplicas?: number; availableReplicas?: number; observedGeneration?: number; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
};

/** spec.replicas with the API default of 1. */
export const desired = (d: Deployment): number => d.spec.replicas ?? 1;
export const rsReplicas = (rs: ReplicaSet): number => rs.spec.replicas ?? 1;

export function isRollingUpdate(d: Deployment): boolean {
  return (d.spec.strategy?.type ?? 'RollingUpdate') === 'RollingUpdate';
}

/**
 * intstr.GetScaledValueFromIntOrPercent: a number as is; "25%" of `total`, rounded up for maxSurge and
 * down for maxUnavailable (so a rollout never surges less or stays unavailable more than asked).
 */
export function scaledValue(v: IntOrPercent, total: number, roundUp: boolean): number {
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) {
    if (/^\d+$/.test(v)) return Number(v);
    throw new Error(`invalid value for IntOrString: invalid value "${v}": must be an integer or percentage (e.g '5%')`);
  }
  const scaled = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(scaled) : Math.floor(scaled);
}

/**
 * ResolveFenceposts: maxSurge and maxUnavailable as pod counts (defaults 25% and 25%). Both zero
 * would deadlock a rollout, so unavailable becomes 1 (worked example: replicas 3, 25%/25% → surge
 * ceil(0.75) = 1, unavailable floor(0.75) = 0).
 */
export function resolveFenceposts(d: Deployment): { surge: number; unavailable: number } {
  const ru = d.spec.strategy?.rollingUpdate ?? {};
  const surge = scaledValue(ru.maxSurge ?? '25%', desired(d), true);
  let unavailable = scaledValue(ru.maxUnavailable ?? '25%', desired(d), false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable };
}

export function maxSurge(d: Deployment): number {
  return isRollingUpdate(d) ? resolveFenceposts(d).surge : 0;
}

export function maxUnavailable(d: Deployment): number {
  if (!isRollingUpdate(d) || desired(d) === 0) return 0;
  return Math.min(resolveFenceposts(d).unavailable, desired(d));
}

/** Sum of spec.replicas (GetReplicaCountForReplicaSets). */
export const specTotal = (rss: ReplicaSet[]) => rss.reduce((n, rs) => n + rsReplicas(rs), 0);
/** Sum of status.replicas (GetActualReplicaCountForReplicaSets). */
export const actualTotal = (rss: ReplicaSet[]) => rss.reduce((n, rs) => n + (rs.status?.replicas ?? 0), 0);
export const readyTotal = (rss: ReplicaSet[]) => rss.reduce((n, rs) => n + (rs.status?.readyReplicas ?? 0), 0);
export const availableTotal = (rss: ReplicaSet[]) => rss.reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);

/**
 * NewRSNewReplicas: the size the new replica set may grow to now. Rolling update: up to
 * replicas + maxSurge pods in total. Worked example: replicas 10, maxSurge 3, old RS at 10, new at 0
 * → 13 - 10 = 3 → new RS 3.
 */
export function newRSNewReplicas(d: Deployment, all: ReplicaSet[], newRS: ReplicaSet): number {
  if (!isRollingUpdate(d)) return desired(d);
  const current = specTotal(all);
  const maxTotal = desired(d) + maxSurge(d);
  if (current >= maxTotal) return rsReplicas(newRS);
  const up = Math.min(maxTotal - current, desired(d) - rsReplicas(newRS));
  return rsReplicas(newRS) + up;
}

/** FilterActiveReplicaSets: those with spec.replicas > 0. */
export const active = (rss: ReplicaSet[]) => rss.filter((rs) => rsReplicas(rs) > 0);

const created = (rs: ReplicaSet) => rs.metadata.creationTimestamp ?? '\uffff'; // not yet created = newest

/** ReplicaSetsByCreationTimestamp: oldest first, name breaks ties. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  if (created(a) !== created(b)) return created(a) < created(b) ? -1 : 1;
  return (a.metadata.name ?? '') < (b.metadata.name ?? '') ? -1 : 1;
}

/** ReplicaSetsBySizeOlder: largest first, then oldest (scale down). */
export const bySizeOlder = (a: ReplicaSet, b: ReplicaSet) => rsReplicas(b) - rsReplicas(a) || byCreation(a, b);
/** ReplicaSetsBySizeNewer: largest first, then newest (scale up). */
export const bySizeNewer = (a: ReplicaSet, b: ReplicaSet) => rsReplicas(b) - rsReplicas(a) || byCreation(b, a);

export function revisionOf(o: KObject): number {
  const v = Number(o.metadata.annotations?.[REVISION]);
  return Number.isInteger(v) && v > 0 ? v : 0;
}

/** ReplicaSetsByRevision: lowest revision first, then oldest (cleanup order). */
export const byRevision = (a: ReplicaSet, b: ReplicaSet) => revisionOf(a) - revisionOf(b) || byCreation(a, b);

/** A template without the pod-template-hash label, for EqualIgnoreHash. */
function withoutHash(t: PodTemplate | undefined): PodTemplate {
  const copy = structuredClone(t ?? {});
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[HASH_LABEL];
    if (Object.keys(copy.metadata.labels).length === 0) delete copy.metadata.labels;
  }
  return copy;
}

/**
 * EqualIgnoreHash: the same pod template, ignoring the pod-template-hash label the RS adds; compared
 * in the hash's canonical form, where a null member is an absent one (as in the Go types).
 */
export function equalIgnoreHash(a: PodTemplate | undefined, b: PodTemplate | undefined): boolean {
  return canonicalJson(withoutHash(a)) === canonicalJson(withoutHash(b));
}

/** FindNewReplicaSet: the oldest replica set whose template is the deployment's. */
export function findNewReplicaSet(d: Deployment, rss: ReplicaSet[]): ReplicaSet | undefined {
  return [...rss].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** FindActiveOrLatest: the only active replica set, or the newest when none is active. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): ReplicaSet | undefined {
  if (oldRSs.length === 0 && !newRS) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const all = newRS ? [...newestFirst, newRS] : newestFirst;
  const act = active(all);
  if (act.length === 0) return newRS ?? newestFirst[0];
  return act.length === 1 ? act[0] : undefined;
}

/** IsSaturated: the new replica set has all desired pods, all available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const annotated = Number(rs.metadata.annotations?.[DESIRED_REPLICAS]);
  return rsReplicas(rs) === desired(d) && annotated === desired(d) && (rs.status?.availableReplicas ?? 0) === desired(d);
}

/**
 * GetProportion: how many of `toAdd` replicas this replica set takes when a deployment in mid-rollout
 * is scaled — its share of the new total, from its max-replicas annotation. Worked example: scaling
 * 10 → 15 (maxSurge 3) while old RS has 8 and new RS 5 (max-replicas 13): old gets
 * round(8·18/13) − 8 = 3, new round(5·18/13) − 5 = 2.
 */
export function proportion(rs: ReplicaSet, d: Deployment, toAdd: number, added: number): number {
  if (rsReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (desired(d) === 0) return -rsReplicas(rs);
  const deploymentReplicas = desired(d) + maxSurge(d);
  const annotated = Number(rs.metadata.annotations?.[MAX_REPLICAS]);
  const base = Number.isInteger(annotated) && annotated > 0 ? annotated : d.status?.replicas ?? 0;
  if (base === 0) return 0;
  // integer.RoundToInt32 rounds half away from zero.
  const size = (rsReplicas(rs) * deploymentReplicas) / base;
  return Math.sign(size) * Math.round(Math.abs(size)) - rsReplicas(rs);
}

/** DeploymentComplete: every desired pod updated, available, and nothing extra; the spec observed. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const n = desired(d);
  return (s.updatedReplicas ?? 0) === n && (s.replicas ?? 0) === n && (s.availableReplicas ?? 0) === n && (s.observedGeneration ?? 0) >= (d.metadata.generation ?? 1);
}

/** DeploymentProgressing: more updated, fewer old, more ready or more available pods than before. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (s.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) ||
    newOld < oldOld ||
    (s.readyReplicas ?? 0) > (old.readyReplicas ?? 0) ||
    (s.availableReplicas ?? 0) > (old.availableReplicas ?? 0)
  );
}

/** HasProgressDeadline: progressDeadlineSeconds (default 600) and not MaxInt32. */
export function progressDeadlineMs(d: Deployment): number | undefined {
  const s = d.spec.progressDeadlineSeconds ?? 600;
  return s === 2147483647 ? undefined : s * 1000;
}

export function getCondition(s: DeploymentStatus | undefined, type: string): Condition | undefined {
  return s?.conditions?.find((c) => c.type === type);
}

/**
 * SetDeploymentCondition: replace the condition of that type, unless status and reason are the same;
 * lastTransitionTime moves only when the status changes. The condition keeps its place in the list
 * (Go's version filters it out and appends it, so Available and Progressing swap as they change,
 * ending as Available, Progressing): here they hold that final order from the first write, so a
 * condition change is one field in the history diff, not a reshuffled list.
 */
export function setCondition(s: DeploymentStatus, c: Condition): void {
  const current = getCondition(s, c.type);
  if (current && current.status === c.status && current.reason === c.reason) return;
  replaceCondition(s, current && current.status === c.status ? { ...c, lastTransitionTime: current.lastTransitionTime } : c);
}

/** The order a settled Deployment shows its conditions in on a real cluster (`kubectl describe`). */
const CONDITION_ORDER = ['Available', 'Progressing', 'ReplicaFailure'];
const rank = (type: string) => (CONDITION_ORDER.includes(type) ? CONDITION_ORDER.indexOf(type) : CONDITION_ORDER.length);

/** Put `c` where the condition of its type is; a new type goes to its place in CONDITION_ORDER. */
export function replaceCondition(s: DeploymentStatus, c: Condition): void {
  const list = s.conditions ?? [];
  const at = list.findIndex((x) => x.type === c.type);
  if (at >= 0) s.conditions = list.map((x, i) => (i === at ? c : x));
  else {
    const before = list.findIndex((x) => rank(x.type) > rank(c.type));
    s.conditions = before < 0 ? [...list, c] : [...list.slice(0, before), c, ...list.slice(before)];
  }
}

export function removeCondition(s: DeploymentStatus, type: string): void {
  if (!s.conditions) return;
  s.conditions = s.conditions.filter((c) => c.type !== type);
  if (s.conditions.length === 0) delete s.conditions;
}

/** DeploymentTimedOut: the Progressing condition has not moved for progressDeadlineSeconds. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, now: number): boolean {
  const deadline = progressDeadlineMs(d);
  const c = getCondition(s, 'Progressing');
  if (deadline === undefined || !c || c.reason === 'NewReplicaSetAvailable') return false;
  if (c.reason === 'ProgressDeadlineExceeded') return true;
  return Date.parse(c.lastUpdateTime) + deadline < now;
}
