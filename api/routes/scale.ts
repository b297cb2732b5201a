// The /scale subresource (deployments, replicasets, statefulsets, replicationcontrollers): the
// object's replica count seen as an autoscaling/v1 Scale, which `kubectl scale` patches with
// `{"spec":{"replicas":5}}` and the HPA reads. Writing a Scale changes only spec.replicas.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, invalid, notFound, unsupportedMediaType } from '../../core/errors.ts';
import { jsonTypeError } from '../../core/kinds/json-types.ts';
import type { KObject } from '../../core/object.ts';
import { applyPatch, recordUpdate } from '../../core/patch/index.ts';
import { selectorToString, type LabelSelector } from '../../core/selectors.ts';
import { actorOf, type ApiContext } from '../context.ts';
import { decodeObjectBody, mediaType } from '../content.ts';
import { dryRun, type Query } from './query.ts';
import { objectNamespace, refOf, type Target } from './target.ts';
import { commitUpdate, type PatchMutation } from './unchanged-update.ts';
import { PATCH_TYPES } from './write.ts';

interface Replicated {
  spec?: { replicas?: number; selector?: LabelSelector | Record<string, string> };
  status?: { replicas?: number };
}

/** The Scale of an object. RCs have a plain map selector; the apps kinds a LabelSelector. */
export function scaleOf(obj: KObject): KObject {
  const { spec, status } = obj as KObject & Replicated;
  const m = obj.metadata;
  return {
    apiVersion: 'autoscaling/v1',
    kind: 'Scale',
    metadata: { name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion, creationTimestamp: m.creationTimestamp },
    spec: { replicas: spec?.replicas ?? 0 },
    status: { replicas: status?.replicas ?? 0, selector: selectorText(obj.kind, spec?.selector) },
  };
}

function selectorText(kind: string, sel: LabelSelector | Record<string, string> | undefined): string {
  if (!sel) return '';
  if (kind === 'ReplicationController') {
    return Object.entries(sel as Record<string, string>)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
  }
  const text = selectorToString(sel as LabelSelector);
  return text === '<none>' ? '' : text;
}

export async function getScale(ctx: ApiContext, t: Target, _q: Query, _req: FastifyRequest, reply: FastifyReply) {
  const obj = ctx.store.get(t.info.res, objectNamespace(t), t.name!);
  if (!obj) throw notFound(refOf(t), t.name!);
  return reply.send(scaleOf(obj));
}

/**
 * The manager a scale is recorded under: ?fieldManager=, else the User-Agent up to its first "/" as
 * the apiserver's managerOrUserAgent does (`kubectl scale` sends none: "kubectl"). Its entry owns
 * spec.replicas with subresource "scale", so a later server-side apply of another replica count
 * conflicts with it, as on a real cluster.
 */
function fieldManager(q: Query, req: FastifyRequest): string {
  return q.fieldManager || (req.headers['user-agent'] ?? '').split('/')[0];
}

/** PUT (a whole Scale, with an optional resourceVersion precondition) or PATCH (any patch type) of /scale. */
export async function writeScale(ctx: ApiContext, t: Target, q: Query, req: FastifyRequest, reply: FastifyReply) {
  let desired: (scale: KObject) => KObject;
  let expectedRV: string | undefined;
  if (req.method === 'PUT') {
    const body = decodeObjectBody(req) as KObject;
    expectedRV = (body.metadata as { resourceVersion?: string } | undefined)?.resourceVersion || undefined;
    desired = () => body;
  } else {
    const contentType = mediaType(req);
    if (!PATCH_TYPES.includes(contentType)) throw unsupportedMediaType(contentType || '(none)');
    const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? req.body : '{}';
    desired = (scale) => applyPatch({ contentType, current: scale, body, res: 'autoscaling/v1/scales' });
  }
  const manager = fieldManager(q, req);
  const apply = (cur: KObject) => {
    const scale = desired(scaleOf(cur));
    // The patched Scale is decoded into Go's autoscaling.Scale first: replicas must fit its int32.
    const typeError = jsonTypeError({ ...scale, apiVersion: 'autoscaling/v1', kind: 'Scale' });
    if (typeError) throw badRequest(`Scale in version "v1" cannot be handled as a Scale: ${typeError}`);
    const replicas = (scale.spec as { replicas?: unknown } | undefined)?.replicas;
    if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
      throw invalid('Scale', 'autoscaling', t.name!, [{ reason: 'FieldValueInvalid', message: `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`, field: 'spec.replicas' }]);
    }
    const next = { ...cur, spec: { ...(cur.spec as object), replicas } };
    return manager ? recordUpdate(cur, next, manager, 'scale') : next;
  };
  const mutation: PatchMutation = { op: 'patch', res: t.info.res, ns: objectNamespace(t), name: t.name!, apply, expectedRV };
  const e = await commitUpdate(ctx, mutation, { actor: actorOf(req), dryRun: dryRun(q) });
  return reply.send(scaleOf(e.object));
}
