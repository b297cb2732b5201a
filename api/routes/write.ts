// Create (POST), replace (PUT) and patch (PATCH) of an object, of its /status or of a pod's
// /ephemeralcontainers (ephemeral-containers.ts). Every write is one
// Mutation committed through the store; PUT and PATCH use a patch Mutation whose `apply` runs on the
// latest stored object inside the commit, so a patch is never applied to a stale copy.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, conflict, forbidden, invalid, notFound, STALE_OBJECT, unsupportedMediaType } from '../../core/errors.ts';
import { deepEqual } from '../../core/metadata.ts';
import type { KObject } from '../../core/object.ts';
import { podWarnings } from '../../core/pod-warnings.ts';
import { applyPatch, recordUpdate } from '../../core/patch/index.ts';
import { actorOf, type ApiContext } from '../context.ts';
import { EPHEMERAL_CONTAINERS, withOnlyEphemeralContainers } from './ephemeral-containers.ts';
import { decodeBody, decodeObjectBody, mediaType } from '../content.ts';
import { served, stored } from '../served.ts';
import { checkFields } from './field-validation.ts';
import { incomingObject, objectToCreate, withOnlyStatus, withoutNullMetadata, withStatusOf } from './incoming.ts';
import { dryRun, flag, type Query } from './query.ts';
import { objectNamespace, refOf, type Target } from './target.ts';
import { commitUpdate, unversioned, type PatchMutation } from './unchanged-update.ts';
import { addWarnings } from './warnings.ts';

export const PATCH_TYPES = [
  'application/json-patch+json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/apply-patch+yaml',
];

export async function createObject(ctx: ApiContext, t: Target, q: Query, req: FastifyRequest, reply: FastifyReply) {
  const body = decodeObjectBody(req);
  checkFields(body, t, q, reply);
  const object = managedBy(q, undefined, stored(objectToCreate(body, t), t));
  addWarnings(reply, specWarnings(t, object));
  await requireOpenNamespace(ctx, t);
  const [e] = await ctx.store.commit([{ op: 'create', res: t.info.res, object }], { actor: actorOf(req), dryRun: dryRun(q) });
  return reply.code(201).send(served(dryRun(q) ? unversioned(e.object) : e.object, t));
}

export async function replaceObject(ctx: ApiContext, t: Target, q: Query, req: FastifyRequest, reply: FastifyReply) {
  const body = decodeObjectBody(req);
  checkFields(body, t, q, reply);
  const next = stored(incomingObject(body, t), t);
  const expectedRV = next.metadata.resourceVersion || undefined;
  const warned = warnedApply(t, (cur) => managedBy(q, cur, writtenPart(t, next, cur)));
  const mutation: PatchMutation = { op: 'patch', res: t.info.res, ns: objectNamespace(t), name: t.name!, apply: warned.apply, expectedRV, subresource: t.sub };
  const e = await commitUpdate(ctx, mutation, { actor: actorOf(req), dryRun: dryRun(q) });
  addWarnings(reply, warned.warnings());
  return reply.send(served(e.object, t));
}

export async function patchObject(ctx: ApiContext, t: Target, q: Query, req: FastifyRequest, reply: FastifyReply) {
  const contentType = mediaType(req);
  if (!PATCH_TYPES.includes(contentType)) throw unsupportedMediaType(contentType || '(none)');
  const isApply = contentType === 'application/apply-patch+yaml';
  if (isApply && !q.fieldManager) {
    throw invalid('PatchOptions', 'meta.k8s.io', '', [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }]);
  }
  if (contentType !== 'application/json-patch+json') checkFields(decodeBody(req), t, q, reply);
  const body = rawPatch(req, contentType);
  const patched = (cur: KObject) => {
    const next = withoutNullMetadata(stored(applyPatch({ contentType, current: served(cur, t), body, res: t.info.res, fieldManager: q.fieldManager, force: flag(q, 'force') }), t));
    // A resourceVersion in the patch is a precondition, as in the apiserver.
    const rv = next.metadata.resourceVersion;
    if (rv && rv !== cur.metadata.resourceVersion) throw conflict(refOf(t), t.name!, STALE_OBJECT);
    return next;
  };
  const warned = warnedApply(t, (cur) => writtenPart(t, patched(cur), cur));
  const mutation: PatchMutation = { op: 'patch', res: t.info.res, ns: objectNamespace(t), name: t.name!, apply: warned.apply, subresource: t.sub };
  // Server-side apply creates the object when it does not exist yet (kubectl apply --server-side).
  if (isApply && !t.sub) {
    await requireOpenNamespace(ctx, t);
    mutation.upsert = stored(incomingObject({ metadata: { name: t.name } }, t), t);
  }
  const e = await commitUpdate(ctx, mutation, { actor: actorOf(req), dryRun: dryRun(q) });
  addWarnings(reply, warned.warnings());
  return reply.code(e.type === 'ADDED' ? 201 : 200).send(served(e.object, t));
}

/** What a write at `t` takes from `next`: all but status (the main resource), only status, or only ephemeral containers. */
function writtenPart(t: Target, next: KObject, cur: KObject): KObject {
  if (t.sub === 'status') return withOnlyStatus(next, cur);
  if (t.sub === EPHEMERAL_CONTAINERS) return withOnlyEphemeralContainers(next, cur);
  return withStatusOf(next, cur, t);
}

/** The patch document as sent; an empty body is the empty patch (kubectl label on an absent label sends `{}`). */
function rawPatch(req: FastifyRequest, contentType: string): Buffer | string {
  const raw = req.body;
  if (Buffer.isBuffer(raw) && raw.length > 0) return raw;
  return contentType === 'application/json-patch+json' ? '[]' : '{}';
}

/**
 * The pod warnings (core/pod-warnings) of what a write stores, as the registries' WarningsOnCreate
 * and WarningsOnUpdate give them: on a create, and on an update of the spec (a workload's new
 * generation; any update of a pod) — not on a write of a subresource (status, ephemeral containers).
 */
function specWarnings(t: Target, next: KObject, old?: KObject): string[] {
  if (t.sub !== undefined) return [];
  if (old && t.info.res !== 'v1/pods' && deepEqual(next.spec, old.spec)) return [];
  return podWarnings(t.info.res, next);
}

/** An update's `apply`, keeping the pod warnings of the object it last produced (the committed one). */
function warnedApply(t: Target, apply: (cur: KObject) => KObject): { apply: (cur: KObject) => KObject; warnings: () => string[] } {
  let warnings: string[] = [];
  return {
    apply: (cur) => {
      const result = apply(cur);
      warnings = specWarnings(t, result, cur);
      return result;
    },
    warnings: () => warnings,
  };
}

/** managedFields for a create or replace by `?fieldManager=` (kubectl-create, kubectl-replace, …). */
function managedBy(q: Query, before: KObject | undefined, after: KObject): KObject {
  return q.fieldManager ? recordUpdate(before, after, q.fieldManager) : after;
}

/**
 * A namespaced object can only be created in a namespace that exists and is not being deleted
 * (the NamespaceLifecycle admission plugin: NotFound, then Forbidden while Terminating).
 */
export async function requireOpenNamespace(ctx: ApiContext, t: Target): Promise<void> {
  if (t.info.scope !== 'Namespaced') return;
  const ns = objectNamespace(t);
  if (!ns) throw badRequest('the namespace of the object must be set');
  const namespace = ctx.store.get('v1/namespaces', '', ns);
  if (!namespace) throw notFound({ group: '', resource: 'namespaces' }, ns);
  if (namespace.metadata.deletionTimestamp !== undefined) {
    const why = `unable to create new content in namespace ${ns} because it is being terminated`;
    throw forbidden(refOf(t), t.name ?? '', `${t.info.plural}${t.info.group ? '.' + t.info.group : ''} "${t.name ?? ''}" is forbidden: ${why}`);
  }
}
