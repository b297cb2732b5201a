// DELETE of one object (and the pods/eviction subresource, which is a delete behind a policy check).
// The plan (core/deletion.ts) says whether the object goes now or is marked terminating; either way it is
// one Mutation, with the DeleteOptions preconditions as the mutation's expected rv and uid.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, notFound } from '../../core/errors.ts';
import type { Event, Mutation } from '../../core/events.ts';
import { actorOf, type ApiContext } from '../context.ts';
import { decodeBody } from '../content.ts';
import { served, servedList } from '../served.ts';
import { planDeletion } from '../../core/deletion.ts';
import { parseDeleteOptions, type DeleteOptions } from './deletion.ts';
import { selectorFilter, type Query } from './query.ts';
import { objectNamespace, refOf, type Target } from './target.ts';

/** Namespaces the apiserver refuses to delete (the NamespaceLifecycle admission plugin). */
const IMMORTAL_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);

export async function deleteObject(ctx: ApiContext, t: Target, q: Query, req: FastifyRequest, reply: FastifyReply) {
  const opts = parseDeleteOptions(decodeBody(req) as Record<string, unknown> | undefined, q);
  if (t.info.kind === 'Namespace' && IMMORTAL_NAMESPACES.has(t.name!)) {
    throw forbidden(refOf(t), t.name!, `namespaces "${t.name}" is forbidden: this namespace may not be deleted`);
  }
  const e = await deleteOne(ctx, t, opts, req);
  return reply.send(served(e ? e.object : current(ctx, t), t));
}

/**
 * DELETE on a collection (deletecollection): every object the selectors match, each deleted as a
 * DELETE of it would be; answers the list of what was deleted or marked. kubectl never sends it (it
 * lists and deletes one by one), client libraries and controllers do.
 */
export async function deleteCollection(ctx: ApiContext, t: Target, q: Query, req: FastifyRequest, reply: FastifyReply) {
  const opts = parseDeleteOptions(decodeBody(req) as Record<string, unknown> | undefined, q);
  const list = ctx.store.list(t.info.res, { namespace: t.ns, filter: selectorFilter(q, t.info.res) });
  const items = [];
  for (const obj of list.items) {
    const e = await deleteOne(ctx, { ...t, ns: obj.metadata.namespace, name: obj.metadata.name }, opts, req);
    items.push(e ? e.object : obj);
  }
  return reply.send(servedList({ items, rev: ctx.store.rev }, t));
}

/** Commit the deletion of the target; undefined when there was nothing to change (already terminating). */
export async function deleteOne(ctx: ApiContext, t: Target, opts: DeleteOptions, req: FastifyRequest): Promise<Event | undefined> {
  const obj = current(ctx, t);
  const plan = planDeletion(obj, opts, ctx.clock.now());
  if (plan.action === 'none') return undefined;
  const key = { res: t.info.res, ns: objectNamespace(t), name: t.name! };
  const expectedRV = opts.preconditions?.resourceVersion || undefined;
  const mutation: Mutation =
    plan.action === 'remove'
      ? { op: 'delete', ...key, expectedRV, expectedUid: opts.preconditions?.uid || undefined }
      : { op: 'patch', ...key, apply: plan.apply, expectedRV };
  const [e] = await ctx.store.commit([mutation], { actor: actorOf(req), dryRun: opts.dryRun });
  return e;
}

function current(ctx: ApiContext, t: Target) {
  const obj = ctx.store.get(t.info.res, objectNamespace(t), t.name!);
  if (!obj) throw notFound(refOf(t), t.name!);
  return obj;
}
