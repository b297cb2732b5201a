// Impersonation (k8s.io/apiserver/pkg/endpoints/filters/impersonation.go): `Impersonate-User`,
// `Impersonate-Group` (repeatable) and `Impersonate-Uid`, what `kubectl --as/--as-group` send. The
// requester needs the `impersonate` verb on users (or on the serviceaccount, for
// system:serviceaccount:<ns>:<name>), on each group and on the uid; the request then runs as the
// impersonated user, who is in system:authenticated (and in the service account groups).

import { badRequest } from '../../core/errors.ts';
import type { Attributes } from './attributes.ts';
import { forbiddenError, type Authorizer } from './authorize.ts';
import { serviceAccountGroups } from './service-account-tokens.ts';
import { ANONYMOUS, AUTHENTICATED, UNAUTHENTICATED, type UserInfo } from './user.ts';

type Headers = Record<string, string | string[] | undefined>;

const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

function impersonating(resource: string, name: string, apiGroup = '', namespace = ''): Attributes {
  return { verb: 'impersonate', resourceRequest: true, path: '', apiGroup, apiVersion: '', namespace, resource, subresource: '', name };
}

const SA_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

/** The user the request acts as: the requester itself without impersonation headers. Throws 403/400. */
export function impersonatedUser(requester: UserInfo, headers: Headers, authz: Authorizer): UserInfo {
  const [name, ...more] = list(headers['impersonate-user']);
  const groups = list(headers['impersonate-group']);
  const [uid] = list(headers['impersonate-uid']);
  if (name === undefined) {
    if (groups.length > 0 || uid !== undefined) throw badRequest('requested impersonation of groups or uid without impersonating a user');
    return requester;
  }
  if (more.length > 0) throw badRequest('only one Impersonate-User header may be sent');
  const sa = SA_USER.exec(name);
  const checks = [
    sa ? impersonating('serviceaccounts', sa[2], '', sa[1]) : impersonating('users', name),
    ...groups.map((g) => impersonating('groups', g)),
    ...(uid === undefined ? [] : [impersonating('uids', uid, 'authentication.k8s.io')]),
  ];
  const refused = checks.find((a) => !authz.allows(requester, a));
  if (refused) throw forbiddenError(requester, refused);
  const implied = sa ? serviceAccountGroups(sa[1]) : [];
  const marker = name === ANONYMOUS.name ? UNAUTHENTICATED : AUTHENTICATED;
  const user: UserInfo = { name, groups: [...new Set([...groups, ...implied, marker])] };
  if (uid !== undefined) user.uid = uid;
  return user;
}
