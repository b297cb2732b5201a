// SelfSubjectAccessReview and SubjectAccessReview (authorization.k8s.io/v1, create only): "may I /
// may this user do X?", answered by the same authorizer that guards requests and never stored.
// `kubectl auth can-i` POSTs a SelfSubjectAccessReview (as protobuf; api/content.ts decodes it) and
// prints yes or no from status.allowed; with --as the review is about the impersonated user.
// SelfSubjectRulesReview ("what may I do in this namespace?") lists the rules instead, for
// `kubectl auth can-i --list`.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest } from '../../core/errors.ts';
import { decodeObjectBody } from '../content.ts';
import type { Attributes } from './attributes.ts';
import { requestAllows, requestUser, type UserInfo } from './user.ts';
import type { Authorizer } from './authorize.ts';
import type { PolicyRule } from './rbac.ts';

const PREFIX = '/apis/authorization.k8s.io/v1';

interface ReviewSpec {
  resourceAttributes?: Record<string, unknown>;
  nonResourceAttributes?: Record<string, unknown>;
  user?: unknown;
  uid?: unknown;
  groups?: unknown;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The attributes a review asks about; exactly one of resourceAttributes and nonResourceAttributes. */
export function reviewAttributes(spec: ReviewSpec): Attributes {
  const r = spec.resourceAttributes;
  const n = spec.nonResourceAttributes;
  if ((r === undefined) === (n === undefined) || (r !== undefined && (typeof r !== 'object' || r === null)) || (n !== undefined && (typeof n !== 'object' || n === null))) {
    throw badRequest('exactly one of spec.resourceAttributes and spec.nonResourceAttributes must be specified');
  }
  if (n) return { verb: text(n.verb), resourceRequest: false, path: text(n.path), apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '' };
  const a = r as Record<string, unknown>;
  return { verb: text(a.verb), resourceRequest: true, path: '', apiGroup: text(a.group), apiVersion: text(a.version), namespace: text(a.namespace), resource: text(a.resource), subresource: text(a.subresource), name: text(a.name) };
}

function specOf(req: FastifyRequest): ReviewSpec {
  const spec = decodeObjectBody(req).spec;
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) throw badRequest('spec is required');
  return spec as ReviewSpec;
}

// RBAC gives no reason when nothing allows a request, so a refusal carries none (kubectl prints "no").
function answer(kind: string, spec: ReviewSpec, allowed: boolean) {
  return { kind, apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status: { allowed } };
}

/** The user a SubjectAccessReview names. */
function reviewedUser(spec: ReviewSpec): UserInfo {
  const groups = Array.isArray(spec.groups) ? spec.groups.filter((g): g is string => typeof g === 'string') : [];
  const user: UserInfo = { name: text(spec.user), groups };
  if (typeof spec.uid === 'string') user.uid = spec.uid;
  if (!user.name && groups.length === 0) throw badRequest('spec.user or spec.groups must be specified');
  return user;
}

/** A SelfSubjectRulesReview's status: resource and non-resource rules apart, as RBAC's RulesFor splits them. */
function rulesStatus(rules: PolicyRule[]) {
  const resourceRules = rules
    .filter((r) => !r.nonResourceURLs?.length)
    .map((r) => ({ verbs: r.verbs ?? [], ...(r.apiGroups ? { apiGroups: r.apiGroups } : {}), ...(r.resources ? { resources: r.resources } : {}), ...(r.resourceNames ? { resourceNames: r.resourceNames } : {}) }));
  const nonResourceRules = rules.filter((r) => r.nonResourceURLs?.length).map((r) => ({ verbs: r.verbs ?? [], nonResourceURLs: r.nonResourceURLs }));
  return { resourceRules, nonResourceRules, incomplete: false };
}

export function accessReviewRoutes(app: FastifyInstance, authz: Authorizer): void {
  app.post(`${PREFIX}/selfsubjectaccessreviews`, async (req, reply) => {
    const spec = specOf(req);
    const a = reviewAttributes(spec);
    const allowed = requestAllows(req, a);
    reply.code(201);
    return answer('SelfSubjectAccessReview', spec, allowed);
  });
  app.post(`${PREFIX}/selfsubjectrulesreviews`, async (req, reply) => {
    const spec = specOf(req) as { namespace?: unknown };
    reply.code(201);
    const status = rulesStatus(authz.rules(requestUser(req), text(spec.namespace)));
    return { kind: 'SelfSubjectRulesReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status };
  });
  app.post(`${PREFIX}/subjectaccessreviews`, async (req, reply) => {
    const spec = specOf(req);
    const a = reviewAttributes(spec);
    const user = reviewedUser(spec);
    const allowed = authz.allows(user, a);
    reply.code(201);
    return answer('SubjectAccessReview', spec, allowed);
  });
}
