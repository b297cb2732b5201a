// Role-based access control with Kubernetes semantics (plugin/pkg/auth/authorizer/rbac): a request is
// allowed when some rule of some role bound to the user allows it. ClusterRoleBindings grant their
// ClusterRole's rules everywhere; RoleBindings grant a Role (or a ClusterRole) within their namespace.
// Nothing is ever denied explicitly: no matching rule means Forbidden.

import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import type { Attributes } from './attributes.ts';
import { serviceAccountUser } from './service-account-tokens.ts';
import type { UserInfo } from './user.ts';

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

const ALL = '*';

const has = (list: string[] | undefined, v: string) => (list ?? []).some((x) => x === ALL || x === v);

/** rbac/v1 ResourceMatches: `*`, the exact "resource/subresource", or "*\/subresource". */
function resourceMatches(rule: PolicyRule, a: Attributes): boolean {
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  return (rule.resources ?? []).some((r) => r === ALL || r === combined || (a.subresource !== '' && r === `*/${a.subresource}`));
}

/** NonResourceURLMatches: exact, `*`, or a prefix ending in `*`. */
function nonResourceMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some((u) => u === ALL || u === path || (u.endsWith('*') && path.startsWith(u.slice(0, -1))));
}

export function ruleAllows(rule: PolicyRule, a: Attributes): boolean {
  if (!has(rule.verbs, a.verb)) return false;
  if (!a.resourceRequest) return nonResourceMatches(rule, a.path);
  if (!has(rule.apiGroups, a.apiGroup) || !resourceMatches(rule, a)) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || names.includes(a.name);
}

/** appliesTo: a User by name, a Group the user is in, a ServiceAccount by its user name. */
export function subjectMatches(s: Subject, user: UserInfo, bindingNamespace: string): boolean {
  if (s.kind === 'User') return s.name === user.name;
  if (s.kind === 'Group') return user.groups.includes(s.name);
  if (s.kind === 'ServiceAccount') return serviceAccountUser(s.namespace || bindingNamespace, s.name) === user.name;
  return false;
}

type Binding = KObject & { subjects?: Subject[]; roleRef?: { kind?: string; name?: string } };
type Role = KObject & { rules?: PolicyRule[] };

function boundRules(view: ReadView, b: Binding, ns: string): PolicyRule[] {
  const ref = b.roleRef;
  if (!ref?.name) return [];
  const role = (ref.kind === 'Role' ? view.get('rbac.authorization.k8s.io/v1/roles', ns, ref.name) : view.get('rbac.authorization.k8s.io/v1/clusterroles', '', ref.name)) as Role | undefined;
  return role?.rules ?? [];
}

const bindsUser = (b: Binding, user: UserInfo, ns: string) => (b.subjects ?? []).some((s) => subjectMatches(s, user, ns));

const clusterBindings = (view: ReadView) => view.list('rbac.authorization.k8s.io/v1/clusterrolebindings').items as Binding[];
const roleBindings = (view: ReadView, ns: string) => view.list('rbac.authorization.k8s.io/v1/rolebindings', { namespace: ns }).items as Binding[];

function bindingGrants(view: ReadView, b: Binding, user: UserInfo, a: Attributes, ns: string): boolean {
  return bindsUser(b, user, ns) && boundRules(view, b, ns).some((r) => ruleAllows(r, a));
}

/** True when some binding visible to the request grants it. */
export function rbacAllows(view: ReadView, user: UserInfo, a: Attributes): boolean {
  if (clusterBindings(view).some((b) => bindingGrants(view, b, user, a, ''))) return true;
  if (!a.namespace) return false;
  return roleBindings(view, a.namespace).some((b) => bindingGrants(view, b, user, a, a.namespace));
}

/**
 * Every rule the user holds in `namespace` (cluster-wide bindings, then that namespace's), as RBAC's
 * RulesFor answers a SelfSubjectRulesReview (`kubectl auth can-i --list`).
 */
export function rbacRules(view: ReadView, user: UserInfo, namespace: string): PolicyRule[] {
  const rulesOf = (bindings: Binding[], ns: string) => bindings.filter((b) => bindsUser(b, user, ns)).flatMap((b) => boundRules(view, b, ns));
  return [...rulesOf(clusterBindings(view), ''), ...(namespace ? rulesOf(roleBindings(view, namespace), namespace) : [])];
}
