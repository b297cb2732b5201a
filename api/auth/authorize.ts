// The authorizer chain and how a refusal reads. Open mode (loopback, no token file) is the
// apiserver's `--authorization-mode=AlwaysAllow` for the anonymous user — the behaviour of a local
// single-user server; every named user and service account goes through RBAC in every mode.
// Refusals are 403 Forbidden worded as the apiserver's responsewriters.forbiddenMessage.

import { forbidden, type StatusError } from '../../core/errors.ts';
import type { ReadView } from '../../store/store.ts';
import type { Attributes } from './attributes.ts';
import { rbacAllows, rbacRules, type PolicyRule } from './rbac.ts';
import { ANONYMOUS, type UserInfo } from './user.ts';

export interface Authorizer {
  allows(user: UserInfo, a: Attributes): boolean;
  /** The rules the user holds in a namespace ("" — cluster-wide only). */
  rules(user: UserInfo, namespace: string): PolicyRule[];
}

/** What AlwaysAllow's RulesFor answers: everything. */
const EVERYTHING: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

/** RBAC over the live store; with `anonymousIsAdmin`, the anonymous user may do anything. */
export function authorizer(view: ReadView, anonymousIsAdmin: boolean): Authorizer {
  const admin = (user: UserInfo) => anonymousIsAdmin && user.name === ANONYMOUS.name;
  return {
    allows: (user, a) => admin(user) || rbacAllows(view, user, a),
    rules: (user, namespace) => (admin(user) ? EVERYTHING : rbacRules(view, user, namespace)),
  };
}

/** `User "alice" cannot list resource "pods" in API group "" in the namespace "default"`. */
export function forbiddenReason(user: UserInfo, a: Attributes): string {
  if (!a.resourceRequest) return `User "${user.name}" cannot ${a.verb} path "${a.path}"`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : 'at the cluster scope';
  return `User "${user.name}" cannot ${a.verb} resource "${resource}" in API group "${a.apiGroup}" ${scope}`;
}

/** The 403 for a refused request: `pods "web" is forbidden: …`, `pods is forbidden: …`, `forbidden: …` (paths). */
export function forbiddenError(user: UserInfo, a: Attributes): StatusError {
  const reason = forbiddenReason(user, a);
  if (!a.resourceRequest) return forbidden({ group: '', resource: '' }, '', `forbidden: ${reason}`);
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const subject = a.name ? `${qualified} "${a.name}"` : qualified;
  return forbidden({ group: a.apiGroup, resource: a.resource }, a.name, `${subject} is forbidden: ${reason}`);
}
