// GET of one object and LIST of a collection, as JSON or as a server-side Table (kubectl get).
//
// resourceVersion semantics (apimachinery "Resource versions" doc): absent or "" = the most recent
// state; "0" = any state (we have only the current one, so the same); "N" with the default match
// NotOlderThan = current state, since ours is never older than N; "N" with resourceVersionMatch=Exact
// = the cluster exactly at revision N (the store's time travel). A continue token carries its own revision.

import type { FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, notFound } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import type { ListResult, ReadView } from '../../store/store.ts';
import type { ApiContext } from '../context.ts';
import { includeObject, wantsTable } from '../content.ts';
import { served, servedList } from '../served.ts';
import { toTable } from '../table.ts';
import { limit, resourceVersion, selectorFields, selectorFilter, type Query } from './query.ts';
import { objectNamespace, refOf, type Target } from './target.ts';

export async function getObject(ctx: ApiContext, t: Target, q: Query, req: FastifyRequest, reply: FastifyReply) {
  const view = await viewFor(ctx, q);
  const obj = view.get(t.info.res, objectNamespace(t), t.name!);
  if (!obj) throw notFound(refOf(t), t.name!);
  const out = served(obj, t);
  if (wantsTable(req)) return reply.send(tableOf(ctx, t, [out], q, { rev: view.rev }));
  return reply.send(out);
}

export async function listObjects(ctx: ApiContext, t: Target, q: Query, req: FastifyRequest, reply: FastifyReply) {
  const view = await viewFor(ctx, q);
  await view.prefetch?.(t.info.res, t.ns); // a past view reads its events off the main thread first
  const list = view.list(t.info.res, {
    namespace: t.ns,
    filter: selectorFilter(q, t.info.res),
    fields: selectorFields(q),
    limit: limit(q),
    continue: q.continue || undefined,
  });
  if (wantsTable(req)) return reply.send(tableOf(ctx, t, list.items.map((o) => served(o, t)), q, list));
  return reply.send(servedList(list, t));
}

/** The view a read is served from: the live store, or a past revision for resourceVersionMatch=Exact. */
async function viewFor(ctx: ApiContext, q: Query): Promise<ReadView> {
  const rv = resourceVersion(q, ctx.store.rev);
  const match = q.resourceVersionMatch;
  if (match === undefined || match === '' || match === 'NotOlderThan') return ctx.store;
  if (match !== 'Exact') throw badRequest(`resourceVersionMatch: Unsupported value: "${match}": supported values: "Exact", "NotOlderThan"`);
  if (rv === undefined || rv === 0) throw badRequest('resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"');
  return ctx.store.at(rv);
}

function tableOf(ctx: ApiContext, t: Target, objects: KObject[], q: Query, page: Pick<ListResult, 'rev' | 'continue' | 'remaining'>) {
  return toTable(t.info.res, objects, {
    now: ctx.clock.now(),
    includeObject: includeObject(q),
    resourceVersion: String(page.rev),
    continue: page.continue,
    remainingItemCount: page.remaining,
  });
}
