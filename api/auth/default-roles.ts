// The roles a fresh cluster has (plugin/pkg/auth/authorizer/rbac/bootstrappolicy): cluster-admin
// (everything) bound to group system:masters; the user-facing admin, edit and view (rules close to
// the real aggregated ones, plus Rewind's history endpoints: reading history is a view right,
// revert an edit right); system:discovery, system:basic-user and system:public-info-viewer, which
// let every authenticated user discover the API, ask what it may do and read the health probes.
// Created once at start like the apiserver's RBAC post-start hook; a restart writes nothing.

import type { Actor, Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import type { Store } from '../../store/store.ts';
import type { PolicyRule, Subject } from './rbac.ts';
import { AUTHENTICATED, MASTERS, UNAUTHENTICATED } from './user.ts';

const READ = ['get', 'list', 'watch'];
const WRITE = ['create', 'delete', 'deletecollection', 'patch', 'update'];

/** Namespaced resources a view user reads (no secrets: reading them is an edit right, as in Kubernetes). */
const VIEWABLE: Record<string, string[]> = {
  '': ['configmaps', 'endpoints', 'persistentvolumeclaims', 'persistentvolumeclaims/status', 'pods', 'pods/log', 'pods/status', 'replicationcontrollers', 'replicationcontrollers/scale', 'replicationcontrollers/status', 'serviceaccounts', 'services', 'services/status', 'bindings', 'events', 'limitranges', 'resourcequotas', 'resourcequotas/status', 'namespaces', 'namespaces/status'],
  apps: ['controllerrevisions', 'daemonsets', 'daemonsets/status', 'deployments', 'deployments/scale', 'deployments/status', 'replicasets', 'replicasets/scale', 'replicasets/status', 'statefulsets', 'statefulsets/scale', 'statefulsets/status'],
  autoscaling: ['horizontalpodautoscalers', 'horizontalpodautoscalers/status'],
  batch: ['cronjobs', 'cronjobs/status', 'jobs', 'jobs/status'],
  'discovery.k8s.io': ['endpointslices'],
  'networking.k8s.io': ['ingresses', 'ingresses/status', 'networkpolicies'],
  policy: ['poddisruptionbudgets', 'poddisruptionbudgets/status'],
  'events.k8s.io': ['events'],
};

/** Namespaced resources an edit user writes. */
const EDITABLE: Record<string, string[]> = {
  '': ['configmaps', 'endpoints', 'events', 'persistentvolumeclaims', 'pods', 'pods/attach', 'pods/exec', 'pods/portforward', 'pods/proxy', 'pods/eviction', 'replicationcontrollers', 'replicationcontrollers/scale', 'secrets', 'serviceaccounts', 'serviceaccounts/token', 'services', 'services/proxy'],
  apps: ['daemonsets', 'deployments', 'deployments/rollback', 'deployments/scale', 'replicasets', 'replicasets/scale', 'statefulsets', 'statefulsets/scale'],
  autoscaling: ['horizontalpodautoscalers'],
  batch: ['cronjobs', 'jobs'],
  'discovery.k8s.io': ['endpointslices'],
  'networking.k8s.io': ['ingresses', 'networkpolicies'],
  policy: ['poddisruptionbudgets'],
};

const HISTORY_READS = ['history', 'diff', 'why', 'events', 'point', 'state'];

const rulesFor = (table: Record<string, string[]>, verbs: string[]): PolicyRule[] =>
  Object.entries(table).map(([group, resources]) => ({ apiGroups: [group], resources, verbs }));

const VIEW_RULES: PolicyRule[] = [...rulesFor(VIEWABLE, READ), { apiGroups: ['rewind.dev'], resources: HISTORY_READS, verbs: ['get'] }];

const EDIT_RULES: PolicyRule[] = [
  ...VIEW_RULES,
  ...rulesFor(EDITABLE, WRITE),
  { apiGroups: [''], resources: ['secrets'], verbs: READ },
  { apiGroups: [''], resources: ['serviceaccounts'], verbs: ['impersonate'] },
  { apiGroups: ['rewind.dev'], resources: ['revert'], verbs: ['create'] },
];

const ADMIN_RULES: PolicyRule[] = [
  ...EDIT_RULES,
  { apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles', 'rolebindings'], verbs: [...READ, ...WRITE] },
  { apiGroups: ['authorization.k8s.io'], resources: ['localsubjectaccessreviews'], verbs: ['create'] },
];

const ROLES: Record<string, PolicyRule[]> = {
  'cluster-admin': [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ],
  admin: ADMIN_RULES,
  edit: EDIT_RULES,
  view: VIEW_RULES,
  'system:discovery': [{ nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/openapi', '/openapi/*', '/version', '/version/'], verbs: ['get'] }],
  'system:basic-user': [
    { apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'], verbs: ['create'] },
    { apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'], verbs: ['create'] },
  ],
  'system:public-info-viewer': [{ nonResourceURLs: ['/healthz', '/healthz/*', '/livez', '/livez/*', '/readyz', '/readyz/*', '/version', '/version/'], verbs: ['get'] }],
};

const group = (name: string): Subject => ({ kind: 'Group', name });

/** ClusterRoleBinding name (the same as its role, as bootstrap policy names them) → subjects. */
const BINDINGS: Record<string, Subject[]> = {
  'cluster-admin': [group(MASTERS)],
  'system:discovery': [group(AUTHENTICATED)],
  'system:basic-user': [group(AUTHENTICATED)],
  'system:public-info-viewer': [group(AUTHENTICATED), group(UNAUTHENTICATED)],
};

const BOOTSTRAP: Actor = { kind: 'system', name: 'rewind-apiserver' };
const RBAC = 'rbac.authorization.k8s.io';
const labels = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

function clusterRole(name: string, rules: PolicyRule[]): KObject {
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRole', metadata: { name, labels }, rules } as KObject;
}

function clusterRoleBinding(name: string, subjects: Subject[]): KObject {
  const withGroup = subjects.map((s) => ({ apiGroup: RBAC, ...s }));
  return { apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name, labels }, roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name }, subjects: withGroup } as KObject;
}

export const DEFAULT_CLUSTER_ROLES = Object.keys(ROLES);

/** Create the default roles and bindings that are missing. */
export async function ensureDefaultRoles(store: Store): Promise<void> {
  const roles = Object.entries(ROLES)
    .filter(([name]) => !store.get(`${RBAC}/v1/clusterroles`, '', name))
    .map(([name, rules]): Mutation => ({ op: 'create', res: `${RBAC}/v1/clusterroles`, object: clusterRole(name, rules) }));
  const bindings = Object.entries(BINDINGS)
    .filter(([name]) => !store.get(`${RBAC}/v1/clusterrolebindings`, '', name))
    .map(([name, subjects]): Mutation => ({ op: 'create', res: `${RBAC}/v1/clusterrolebindings`, object: clusterRoleBinding(name, subjects) }));
  const missing = [...roles, ...bindings];
  if (missing.length > 0) await store.commit(missing, { actor: BOOTSTRAP });
}
