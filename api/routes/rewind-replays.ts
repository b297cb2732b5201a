// Replays into this running server (docs/API.md, docs/TRACES.md): `POST …/replays` uploads a trace
// (the file's bytes as the body) and starts writing its events, paced by `speed`; `GET
// …/replays/NAME` shows its progress, and with `follow=1` streams it as JSON lines until it ends, so
// `rewind replay TRACE --server URL` draws a progress bar while `kubectl get pods -w` shows the pods.
//
// Authorization: `create` on rewind.dev `replays` (cluster-admin only by default), and — because
// the replayed events keep their recorded actors — `impersonate` on `users`, and every write the
// trace makes (create/update/delete of each resource in each namespace), all checked before
// anything is written.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, notFound, pathNotFound } from '../../core/errors.ts';
import { parseApiVersion, refOf, storageApiVersion } from '../../core/registry.ts';
import type { Attributes } from '../auth/attributes.ts';
import { forbiddenError } from '../auth/authorize.ts';
import { requestAllows, requestUser } from '../auth/user.ts';
import type { ApiContext } from '../context.ts';
import type { ReplayService, ReplaySpec, WriteIntent } from '../rewind/replays.ts';
import { parseSpeed } from './at.ts';
import { flag, flatQuery, type Query } from './query.ts';

/** The largest trace a server accepts (the apiserver's 3 MiB body limit is for objects, not logs). */
export const TRACE_UPLOAD_LIMIT = 512 * 1024 * 1024;

export function replayRoutes(app: FastifyInstance, ctx: ApiContext, prefix: string): void {
  app.post(`${prefix}/replays`, { bodyLimit: TRACE_UPLOAD_LIMIT }, async (req, reply) => {
    const replays = service(ctx);
    const spec = specOf(flatQuery(req.query));
    if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw badRequest('the body must be a trace file (rewind record, rewind import)');
    const prepared = await replays.prepare(req.body, spec);
    authorizeReplay(req, prepared.writes);
    return reply.code(201).send(prepared.start());
  });
  app.get(`${prefix}/replays/:name`, async (req, reply) => {
    const { name } = req.params as { name: string };
    const replays = service(ctx);
    const replay = replays.get(name);
    if (!replay) throw notFound({ group: 'rewind.dev', resource: 'replays' }, name);
    if (!flag(flatQuery(req.query), 'follow')) return replay;
    followReplay(replays, name, req, reply);
  });
}

function service(ctx: ApiContext): ReplayService {
  if (!ctx.replays) throw pathNotFound();
  return ctx.replays;
}

function specOf(q: Query): ReplaySpec {
  const mode = q.mode ?? 'recorded';
  if (mode !== 'recorded' && mode !== 'rederive') throw badRequest(`unknown mode "${mode}": use recorded or rederive`);
  return { mode, speed: parseSpeed(q.speed), until: q.until || undefined };
}

/** The replay's state as JSON lines: now, at each change, until it ends. */
function followReplay(replays: ReplayService, name: string, req: FastifyRequest, reply: FastifyReply): void {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  const sub = replays.follow(name)!.subscribe({
    next: (r) => res.write(JSON.stringify(r) + '\n'),
    complete: () => res.end(),
  });
  req.raw.on('close', () => sub.unsubscribe());
}

/** Impersonation of the recorded actors and every write of the trace, or 403 before anything is written. */
function authorizeReplay(req: FastifyRequest, writes: WriteIntent[]): void {
  const impersonate: Attributes = { verb: 'impersonate', resourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', namespace: '', resource: 'users', subresource: '', name: '' };
  const all = [impersonate, ...writes.map(attributesOf)];
  const refused = all.find((a) => !requestAllows(req, a));
  if (refused) throw forbiddenError(requestUser(req), refused);
}

function attributesOf(w: WriteIntent): Attributes {
  const { group, resource } = refOf(w.res);
  return { verb: w.verb, resourceRequest: true, path: '', apiGroup: group, apiVersion: parseApiVersion(storageApiVersion(w.res)).version, namespace: w.ns, resource, subresource: '', name: '' };
}
