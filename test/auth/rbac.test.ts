// RBAC decisions over a store holding roles and bindings, table-driven: one row per rule of the
// Kubernetes RBAC authorizer, the comment on each row saying which.

import t from 'tap';
import { VirtualClock } from '../../core/clock.ts';
import { openStore } from '../../store/index.ts';
import { requestAttributes, type Attributes } from '../../api/auth/attributes.ts';
import { authorizer, forbiddenError } from '../../api/auth/authorize.ts';
import { ensureDefaultRoles } from '../../api/auth/default-roles.ts';
import { ANONYMOUS, type UserInfo } from '../../api/auth/user.ts';

const RBAC = 'rbac.authorization.k8s.io';
const SYSTEM = { kind: 'system' as const, name: 'test' };

const role = (kind: 'Role' | 'ClusterRole', name: string, rules: unknown[], namespace?: string) => ({
  op: 'create' as const,
  res: `${RBAC}/v1/${kind === 'Role' ? 'roles' : 'clusterroles'}`,
  object: { apiVersion: `${RBAC}/v1`, kind, metadata: namespace ? { name, namespace } : { name }, rules },
});
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', name: string, roleRef: { kind: string; name: string }, subjects: unknown[], namespace?: string) => ({
  op: 'create' as const,
  res: `${RBAC}/v1/${kind === 'RoleBinding' ? 'rolebindings' : 'clusterrolebindings'}`,
  object: { apiVersion: `${RBAC}/v1`, kind, metadata: namespace ? { name, namespace } : { name }, roleRef: { apiGroup: RBAC, ...roleRef }, subjects },
});

const user = (name: string, ...groups: string[]): UserInfo => ({ name, groups: [...groups, 'system:authenticated'] });
const alice = user('alice');
const bob = user('bob', 'devs');
const robot = user('system:serviceaccount:ns1:robot', 'system:serviceaccounts', 'system:serviceaccounts:ns1');
const root = user('root', 'system:masters');
const nobody = user('nobody');

const a = (method: string, url: string): Attributes => requestAttributes(method, url);
const verb = (v: string, resource: string, ns = '', name = '', apiGroup = '', subresource = ''): Attributes => ({ verb: v, resourceRequest: true, path: '', apiGroup, apiVersion: 'v1', namespace: ns, resource, subresource, name });

type Row = [who: UserInfo, what: Attributes, allowed: boolean, why: string];

const ROWS: Row[] = [
  // alice: view bound cluster-wide, pod-reader Role in ns1 only for named pod "web" updates
  [alice, a('GET', '/api/v1/namespaces/ns2/pods'), true, 'view via ClusterRoleBinding reads pods in every namespace'],
  [alice, a('POST', '/api/v1/namespaces/ns2/pods'), false, 'view does not create'],
  [alice, a('GET', '/api/v1/namespaces/ns2/secrets'), false, 'view does not read secrets'],
  [alice, a('GET', '/api/v1/namespaces/ns1/pods/web/log'), true, 'pods/log is in view'],
  [alice, a('PUT', '/api/v1/namespaces/ns1/pods/web'), true, 'resourceNames: the named pod may be updated'],
  [alice, a('PUT', '/api/v1/namespaces/ns1/pods/other'), false, 'resourceNames: another pod may not'],
  [alice, a('PUT', '/api/v1/namespaces/ns2/pods/web'), false, 'a RoleBinding grants only in its namespace'],
  [alice, a('GET', '/apis/rewind.dev/v1/history'), true, 'view reads history'],
  [alice, a('POST', '/apis/rewind.dev/v1/revert'), false, 'view may not revert'],
  // bob: group devs bound to edit in ns1 via a RoleBinding to a ClusterRole
  [bob, a('POST', '/apis/apps/v1/namespaces/ns1/deployments'), true, 'Group subject; RoleBinding to a ClusterRole'],
  [bob, a('PATCH', '/apis/apps/v1/namespaces/ns1/deployments/web/scale'), true, 'resource/subresource rule'],
  [bob, a('POST', '/apis/apps/v1/namespaces/ns2/deployments'), false, 'edit only in ns1'],
  [bob, a('GET', '/api/v1/nodes'), false, 'cluster-scoped resources are not granted by a RoleBinding'],
  [bob, a('POST', '/apis/rewind.dev/v1/revert'), false, 'revert is not namespaced, edit in ns1 does not grant it'],
  // robot: ServiceAccount subject, wildcard verbs on */status
  [robot, a('PUT', '/apis/apps/v1/namespaces/ns1/deployments/web/status'), true, 'ServiceAccount subject, "*/status" matches any status subresource'],
  [robot, a('PUT', '/apis/apps/v1/namespaces/ns1/deployments/web'), false, '*/status does not match the main resource'],
  [robot, a('GET', '/metrics'), true, 'nonResourceURLs exact'],
  [robot, a('GET', '/logs/a/b'), true, 'nonResourceURLs prefix with *'],
  [robot, a('GET', '/logsx'), false, 'a prefix rule needs the prefix'],
  // defaults
  [root, a('DELETE', '/api/v1/nodes/n1'), true, 'system:masters is cluster-admin'],
  [root, a('GET', '/anything'), true, 'cluster-admin has every non-resource URL'],
  [nobody, a('GET', '/apis/apps/v1'), true, 'system:discovery for every authenticated user'],
  [nobody, a('GET', '/version'), true, 'version is public'],
  [nobody, a('POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'), true, 'system:basic-user may ask what it can do'],
  [nobody, a('GET', '/api/v1/namespaces/default/pods'), false, 'no binding, no access'],
  [nobody, verb('impersonate', 'users', '', 'alice'), false, 'impersonation needs a grant'],
  [ANONYMOUS, a('GET', '/readyz'), true, 'system:public-info-viewer includes the unauthenticated'],
  [ANONYMOUS, a('GET', '/api/v1/namespaces/default/pods'), false, 'anonymous outside open mode gets nothing else'],
];

t.test('RBAC decisions', async (t) => {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await openStore({ clock });
  t.teardown(() => store.close());
  await ensureDefaultRoles(store);
  await store.commit(
    [
      role('Role', 'pod-writer', [{ apiGroups: [''], resources: ['pods'], verbs: ['update'], resourceNames: ['web'] }], 'ns1'),
      role('ClusterRole', 'status-and-logs', [
        { apiGroups: ['*'], resources: ['*/status'], verbs: ['*'] },
        { nonResourceURLs: ['/metrics', '/logs/*'], verbs: ['get'] },
      ]),
      binding('ClusterRoleBinding', 'alice-view', { kind: 'ClusterRole', name: 'view' }, [{ kind: 'User', name: 'alice' }]),
      binding('RoleBinding', 'alice-web', { kind: 'Role', name: 'pod-writer' }, [{ kind: 'User', name: 'alice' }], 'ns1'),
      binding('RoleBinding', 'devs-edit', { kind: 'ClusterRole', name: 'edit' }, [{ kind: 'Group', name: 'devs' }], 'ns1'),
      binding('RoleBinding', 'robot-status', { kind: 'ClusterRole', name: 'status-and-logs' }, [{ kind: 'ServiceAccount', name: 'robot' }], 'ns1'),
      binding('ClusterRoleBinding', 'robot-urls', { kind: 'ClusterRole', name: 'status-and-logs' }, [{ kind: 'ServiceAccount', name: 'robot', namespace: 'ns1' }]),
    ],
    { actor: SYSTEM },
  );
  const rbac = authorizer(store, false);
  for (const [who, what, allowed, why] of ROWS) t.equal(rbac.allows(who, what), allowed, `${who.name} ${what.verb} ${what.resource || what.path}: ${why}`);
  t.ok(authorizer(store, true).allows(ANONYMOUS, a('DELETE', '/api/v1/nodes/n1')), 'open mode: anonymous is cluster-admin');
  t.notOk(authorizer(store, true).allows(nobody, a('DELETE', '/api/v1/nodes/n1')), 'open mode: named users still go through RBAC');
});

t.test('Forbidden wording as kube-apiserver', async (t) => {
  const list = forbiddenError(alice, a('GET', '/api/v1/namespaces/default/pods'));
  t.equal(list.status.message, 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"');
  t.equal(list.code, 403);
  t.equal(list.reason, 'Forbidden');
  t.equal(forbiddenError(alice, a('DELETE', '/apis/apps/v1/namespaces/ns1/deployments/web')).status.message, 'deployments.apps "web" is forbidden: User "alice" cannot delete resource "deployments" in API group "apps" in the namespace "ns1"');
  t.equal(forbiddenError(alice, a('GET', '/api/v1/nodes')).status.message, 'nodes is forbidden: User "alice" cannot list resource "nodes" in API group "" at the cluster scope');
  t.equal(forbiddenError(alice, a('GET', '/api/v1/namespaces/ns1/pods/web/log')).status.message, 'pods "web" is forbidden: User "alice" cannot get resource "pods/log" in API group "" in the namespace "ns1"');
  t.equal(forbiddenError(alice, a('GET', '/metrics')).status.message, 'forbidden: User "alice" cannot get path "/metrics"');
});
