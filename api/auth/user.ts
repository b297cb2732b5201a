// Who made a request, as kube-apiserver's user.Info: a name, an optional uid and groups. The
// authentication hook (authenticate.ts) attaches it to the request; routes read it back through
// requestUser (the event's actor, SelfSubjectAccessReview, redaction of secrets).

import type { FastifyRequest } from 'fastify';
import type { Attributes } from './attributes.ts';

export interface UserInfo {
  name: string;
  uid?: string;
  groups: string[];
}

/** Every authenticated user is in this group (k8s.io/apiserver/pkg/authentication/user). */
export const AUTHENTICATED = 'system:authenticated';
export const UNAUTHENTICATED = 'system:unauthenticated';
/** The group bound to cluster-admin at bootstrap. */
export const MASTERS = 'system:masters';

export const ANONYMOUS: UserInfo = { name: 'system:anonymous', groups: [UNAUTHENTICATED] };

/** The user with system:authenticated added once (the apiserver's AuthenticatedGroupAdder). */
export function authenticated(u: UserInfo): UserInfo {
  return u.groups.includes(AUTHENTICATED) ? u : { ...u, groups: [...u.groups, AUTHENTICATED] };
}

/** Whether the request's user may do `a`; a server built without auth allows everything. */
type Decide = (a: Attributes) => boolean;

const identities = new WeakMap<FastifyRequest, { user: UserInfo; allows: Decide }>();

export function setRequestUser(req: FastifyRequest, user: UserInfo, allows: Decide): void {
  identities.set(req, { user, allows });
}

/** The request's user; anonymous when no authentication ran (a server built without auth, in tests). */
export function requestUser(req: FastifyRequest): UserInfo {
  return identities.get(req)?.user ?? ANONYMOUS;
}

/** Whether the request's user may also do `a` (redaction of secrets asks this). */
export function requestAllows(req: FastifyRequest, a: Attributes): boolean {
  return identities.get(req)?.allows(a) ?? true;
}
