// Routing of every resource path to its handler. One wildcard route per group/version prefix; the
// rest of the path is parsed by target.ts, so each registered resource (and each new one added to
// core/registry.ts) is served without a route of its own. More specific routes registered elsewhere
// (pod logs, exec) win over these wildcards in fastify's router.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { methodNotAllowed } from '../../core/errors.ts';
import type { ApiContext } from '../context.ts';
import { deleteCollection, deleteObject } from './delete.ts';
import { bindPod, evictPod } from './pod-subresources.ts';
import { flag, flatQuery, type Query } from './query.ts';
import { getObject, listObjects } from './read.ts';
import { getScale, writeScale } from './scale.ts';
import { parseTarget, type Target } from './target.ts';
import { watchObjects } from './watch.ts';
import { createObject, patchObject, replaceObject } from './write.ts';

type Handler = (ctx: ApiContext, t: Target, q: Query, req: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

/** Handlers by "<shape> <method>": shape is `collection`, `object` or the subresource name. */
const HANDLERS: Record<string, Handler> = {
  'collection GET': listObjects,
  'collection POST': createObject,
  'collection DELETE': deleteCollection,
  'object GET': getObject,
  'object PUT': replaceObject,
  'object PATCH': patchObject,
  'object DELETE': deleteObject,
  'status GET': getObject,
  'status PUT': replaceObject,
  'status PATCH': patchObject,
  'scale GET': getScale,
  'scale PUT': writeScale,
  'scale PATCH': writeScale,
  'ephemeralcontainers GET': getObject,
  'ephemeralcontainers PUT': replaceObject,
  'ephemeralcontainers PATCH': patchObject,
  'binding POST': bindPod,
  'eviction POST': evictPod,
};

/** The registry verb a request exercises, for the resource's verb list (discovery's `verbs`). */
function verbOf(t: Target, method: string, watch: boolean): string {
  if (watch) return 'watch';
  if (method === 'GET') return t.name === undefined ? 'list' : 'get';
  return { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: t.name === undefined ? 'deletecollection' : 'delete' }[method] ?? method;
}

/** Serve one resource request (the rest of the path is parsed here); also used for the past by routes/at.ts. */
export async function handleResource(ctx: ApiContext, group: string, version: string, req: FastifyRequest, reply: FastifyReply) {
  const segments = ((req.params as { '*': string })['*'] ?? '').split('/');
  // The deprecated watch prefix (/api/v1/watch/namespaces/ns/pods) is a watch of the rest of the path.
  const legacyWatch = segments[0] === 'watch';
  const t = parseTarget(group, version, legacyWatch ? segments.slice(1) : segments);
  const q = flatQuery(req.query);
  const watch = req.method === 'GET' && (legacyWatch || flag(q, 'watch'));
  if (!t.sub && !t.info.verbs.includes(verbOf(t, req.method, watch))) throw notAllowed(req);
  // A namespaced kind is created in a namespace's collection; its all-namespaces list only reads.
  if (req.method !== 'GET' && t.info.scope === 'Namespaced' && t.ns === undefined) throw notAllowed(req);
  if (watch && !t.sub) return watchObjects(ctx, t, q, req, reply);
  const shape = t.sub ?? (t.name === undefined ? 'collection' : 'object');
  const handler = HANDLERS[`${shape} ${req.method}`];
  if (!handler) throw notAllowed(req);
  return handler(ctx, t, q, req, reply);
}

const notAllowed = (req: FastifyRequest) => methodNotAllowed(`the server does not allow this method on the requested resource (${req.method})`);

const METHODS: ('GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE')[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function resourceRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.route({
    method: METHODS,
    url: '/api/v1/*',
    handler: (req, reply) => handleResource(ctx, '', 'v1', req, reply),
  });
  app.route({
    method: METHODS,
    url: '/apis/:group/:version/*',
    handler: (req, reply) => {
      const { group, version } = req.params as { group: string; version: string };
      return handleResource(ctx, group, version, req, reply);
    },
  });
}
