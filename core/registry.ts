// The resource registry: every kind Rewind serves, with the names kubectl resolves (plural,
// singular, short names), its scope, categories and subresources. Discovery, routing, storage keys,
// tables and admission all read this one table.
//
// A resource is stored under one storage key `res` = "<group>/<version>/<plural>" ("v1/pods" for the
// core group) at its storage version; a kind served in several versions (HorizontalPodAutoscaler in
// autoscaling/v2 and v1, Event in v1 and events.k8s.io/v1) shares one storage key and is converted on
// the way in and out (core/conversion.ts), as kube-apiserver does.

import type { ResourceRef } from './errors.ts';

export type Scope = 'Namespaced' | 'Cluster';

export interface ResourceInfo {
  /** "" for the core group. */
  group: string;
  /** Versions served, preferred first. The first is also the storage version unless `storage` says otherwise. */
  versions: string[];
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  scope: Scope;
  categories: string[];
  verbs: string[];
  /** Subresource names served, e.g. ["status", "scale"]. */
  subresources: string[];
  /** Storage key; shared by resources that are one object type served under two groups. */
  res: string;
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

interface Spec {
  g: string;
  v: string | string[];
  kind: string;
  plural: string;
  short?: string[];
  cluster?: boolean;
  all?: boolean;
  sub?: string[];
  verbs?: string[];
  /** Storage key, when it is not this group/version/plural. */
  res?: string;
}

// The "all" category follows kube-apiserver: pods, services, replicationcontrollers, deployments,
// replicasets, statefulsets, daemonsets, jobs, cronjobs, horizontalpodautoscalers.
const SPECS: Spec[] = [
  { g: '', v: 'v1', kind: 'Namespace', plural: 'namespaces', short: ['ns'], cluster: true, sub: ['status', 'finalize'] },
  { g: '', v: 'v1', kind: 'Node', plural: 'nodes', short: ['no'], cluster: true, sub: ['status', 'proxy'] },
  { g: '', v: 'v1', kind: 'Pod', plural: 'pods', short: ['po'], all: true,
    sub: ['status', 'binding', 'eviction', 'log', 'exec', 'attach', 'portforward', 'proxy', 'ephemeralcontainers'] },
  { g: '', v: 'v1', kind: 'Service', plural: 'services', short: ['svc'], all: true, sub: ['status', 'proxy'] },
  { g: '', v: 'v1', kind: 'Endpoints', plural: 'endpoints', short: ['ep'] },
  { g: '', v: 'v1', kind: 'ConfigMap', plural: 'configmaps', short: ['cm'] },
  { g: '', v: 'v1', kind: 'ComponentStatus', plural: 'componentstatuses', short: ['cs'], cluster: true, verbs: ['get', 'list'] },
  { g: '', v: 'v1', kind: 'Secret', plural: 'secrets' },
  { g: '', v: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', short: ['sa'], sub: ['token'] },
  { g: '', v: 'v1', kind: 'ReplicationController', plural: 'replicationcontrollers', short: ['rc'], all: true, sub: ['status', 'scale'] },
  { g: '', v: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', short: ['pv'], cluster: true, sub: ['status'] },
  { g: '', v: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', short: ['pvc'], sub: ['status'] },
  { g: '', v: 'v1', kind: 'Event', plural: 'events', short: ['ev'] },
  { g: '', v: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', short: ['quota'], sub: ['status'] },
  { g: '', v: 'v1', kind: 'LimitRange', plural: 'limitranges', short: ['limits'] },
  { g: '', v: 'v1', kind: 'PodTemplate', plural: 'podtemplates' },
  { g: 'apps', v: 'v1', kind: 'Deployment', plural: 'deployments', short: ['deploy'], all: true, sub: ['status', 'scale'] },
  { g: 'apps', v: 'v1', kind: 'ReplicaSet', plural: 'replicasets', short: ['rs'], all: true, sub: ['status', 'scale'] },
  { g: 'apps', v: 'v1', kind: 'DaemonSet', plural: 'daemonsets', short: ['ds'], all: true, sub: ['status'] },
  { g: 'apps', v: 'v1', kind: 'StatefulSet', plural: 'statefulsets', short: ['sts'], all: true, sub: ['status', 'scale'] },
  { g: 'apps', v: 'v1', kind: 'ControllerRevision', plural: 'controllerrevisions' },
  { g: 'autoscaling', v: ['v2', 'v1'], kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', short: ['hpa'], all: true, sub: ['status'] },
  { g: 'batch', v: 'v1', kind: 'Job', plural: 'jobs', all: true, sub: ['status'] },
  { g: 'batch', v: 'v1', kind: 'CronJob', plural: 'cronjobs', short: ['cj'], all: true, sub: ['status'] },
  { g: 'networking.k8s.io', v: 'v1', kind: 'Ingress', plural: 'ingresses', short: ['ing'], sub: ['status'] },
  { g: 'networking.k8s.io', v: 'v1', kind: 'IngressClass', plural: 'ingressclasses', cluster: true },
  { g: 'networking.k8s.io', v: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', short: ['netpol'] },
  { g: 'storage.k8s.io', v: 'v1', kind: 'StorageClass', plural: 'storageclasses', short: ['sc'], cluster: true },
  { g: 'scheduling.k8s.io', v: 'v1', kind: 'PriorityClass', plural: 'priorityclasses', short: ['pc'], cluster: true },
  { g: 'discovery.k8s.io', v: 'v1', kind: 'EndpointSlice', plural: 'endpointslices' },
  { g: 'coordination.k8s.io', v: 'v1', kind: 'Lease', plural: 'leases' },
  { g: 'events.k8s.io', v: 'v1', kind: 'Event', plural: 'events', short: ['ev'], res: 'v1/events' },
  { g: 'policy', v: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', short: ['pdb'], sub: ['status'] },
  { g: 'rbac.authorization.k8s.io', v: 'v1', kind: 'Role', plural: 'roles' },
  { g: 'rbac.authorization.k8s.io', v: 'v1', kind: 'ClusterRole', plural: 'clusterroles', cluster: true },
  { g: 'rbac.authorization.k8s.io', v: 'v1', kind: 'RoleBinding', plural: 'rolebindings' },
  { g: 'rbac.authorization.k8s.io', v: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', cluster: true },
  { g: 'authorization.k8s.io', v: 'v1', kind: 'SelfSubjectAccessReview', plural: 'selfsubjectaccessreviews', cluster: true, verbs: ['create'] },
  { g: 'authorization.k8s.io', v: 'v1', kind: 'SelfSubjectRulesReview', plural: 'selfsubjectrulesreviews', cluster: true, verbs: ['create'] },
  { g: 'authorization.k8s.io', v: 'v1', kind: 'SubjectAccessReview', plural: 'subjectaccessreviews', cluster: true, verbs: ['create'] },
  { g: 'authentication.k8s.io', v: 'v1', kind: 'SelfSubjectReview', plural: 'selfsubjectreviews', cluster: true, verbs: ['create'] },
  { g: 'authentication.k8s.io', v: 'v1', kind: 'TokenReview', plural: 'tokenreviews', cluster: true, verbs: ['create'] },
];

function build(s: Spec): ResourceInfo {
  const versions = Array.isArray(s.v) ? s.v : [s.v];
  return {
    group: s.g,
    versions,
    kind: s.kind,
    plural: s.plural,
    singular: s.kind.toLowerCase(),
    shortNames: s.short ?? [],
    scope: s.cluster ? 'Cluster' : 'Namespaced',
    categories: s.all ? ['all'] : [],
    verbs: s.verbs ?? CRUD,
    subresources: s.sub ?? [],
    res: s.res ?? storageKey(s.g, versions[0], s.plural),
  };
}

export const RESOURCES: readonly ResourceInfo[] = Object.freeze(SPECS.map(build));

export function storageKey(group: string, version: string, plural: string): string {
  return group ? `${group}/${version}/${plural}` : `${version}/${plural}`;
}

/** "apps/v1" or "v1". */
export function groupVersion(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** Split an apiVersion ("apps/v1", "v1") into group and version. */
export function parseApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

const byPath = new Map<string, ResourceInfo>();
const byGvk = new Map<string, ResourceInfo>();
const byStorage = new Map<string, ResourceInfo>();
for (const r of RESOURCES) {
  for (const v of r.versions) {
    byPath.set(`${r.group}/${v}/${r.plural}`, r);
    byGvk.set(`${r.group}/${v}/${r.kind}`, r);
  }
  // The first resource registered for a storage key owns it (v1 Event before events.k8s.io Event).
  if (!byStorage.has(r.res)) byStorage.set(r.res, r);
}

/** The resource served at /apis/<group>/<version>/<plural> (or /api/v1/<plural>). */
export function lookupResource(group: string, version: string, plural: string): ResourceInfo | undefined {
  return byPath.get(`${group}/${version}/${plural}`);
}

/** The resource of an object's apiVersion and kind. */
export function lookupKind(apiVersion: string, kind: string): ResourceInfo | undefined {
  const { group, version } = parseApiVersion(apiVersion);
  return byGvk.get(`${group}/${version}/${kind}`);
}

/** The resource owning a storage key, e.g. "apps/v1/deployments". */
export function resourceOf(res: string): ResourceInfo | undefined {
  return byStorage.get(res);
}

/** The storage version of a resource (the version its objects are stored and emitted in). */
export function storageVersion(r: ResourceInfo): string {
  return r.res.split('/').slice(-2, -1)[0];
}

/** The storage apiVersion ("apps/v1") of a storage key. */
export function storageApiVersion(res: string): string {
  const parts = res.split('/');
  return parts.slice(0, -1).join('/');
}

/** How Status messages name a storage key: group "apps", resource "deployments". */
export function refOf(res: string): ResourceRef {
  const parts = res.split('/');
  return { resource: parts[parts.length - 1], group: parts.length === 3 ? parts[0] : '' };
}

/** Every API group with its served versions, preferred first; the core group is "". */
export function groups(): { group: string; versions: string[] }[] {
  const out = new Map<string, string[]>();
  for (const r of RESOURCES) {
    const vs = out.get(r.group) ?? [];
    for (const v of r.versions) if (!vs.includes(v)) vs.push(v);
    out.set(r.group, vs);
  }
  return [...out].map(([group, versions]) => ({ group, versions }));
}

/** Resources served in one group/version. */
export function resourcesIn(group: string, version: string): ResourceInfo[] {
  return RESOURCES.filter((r) => r.group === group && r.versions.includes(version));
}

/**
 * Resolve what a user typed (kubectl-style: "po", "pods", "pod", "deploy", "deployments.apps",
 * "Deployment") to a resource. Used by the rewind CLI; kubectl resolves names itself via discovery.
 */
export function resolveTypeName(name: string): ResourceInfo | undefined {
  const lower = name.toLowerCase();
  const dot = lower.indexOf('.');
  const [base, group] = dot < 0 ? [lower, undefined] : [lower.slice(0, dot), lower.slice(dot + 1)];
  const candidates = RESOURCES.filter((r) => group === undefined || r.group === group);
  return (
    candidates.find((r) => r.plural === base) ??
    candidates.find((r) => r.singular === base) ??
    candidates.find((r) => r.shortNames.includes(base)) ??
    candidates.find((r) => r.kind.toLowerCase() === base)
  );
}
