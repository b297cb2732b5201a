// Replays into this running server (docs/API.md, docs/TRACES.md): `POST …/replays` uploads a trace
// (the file's bytes as the body, read as they arrive — never held whole: replays/trace-upload.ts)
// and starts writing its events, paced by `speed`; `GET
// …/replays/NAME` shows its progress, and with `follow=1` streams it as JSON lines until it ends, so
// `rewind replay TRACE --server URL` draws a progress bar while `kubectl get pods -w` shows the pods.
//
// Authorization: `create` on rewind.dev `replays` (cluster-admin only by default), and — because
// the replayed events keep their recorded actors — `impersonate` on `users`, and every write the
// trace makes (create/update/delete of each resource in each namespace), all checked before
// anything is written (impersonation before the upload is read, the writes once it has been).

import type { Readable } from 'node:stream';
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

export function replayRoutes(app: FastifyInstance, ctx: ApiContext, prefix: string): void {
  // In its own scope, whose parser hands the handler the request stream instead of one buffer.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scope.post(`${prefix}/replays`, async (req, reply) => {
      try {
        return reply.code(201).send(await upload(ctx, req));
      } catch (err) {
        // The rest of a refused upload is read and dropped, so the client, still sending, gets the
        // answer rather than a broken pipe (it may hang up once it has it).
        (req.body as Readable | undefined)?.resume();
        throw err;
      }
    });
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

async function upload(ctx: ApiContext, req: FastifyRequest) {
  const replays = service(ctx);
  const spec = specOf(flatQuery(req.query));
  const body = req.body as Readable | undefined;
  if (!body) throw badRequest('the body must be a trace file (rewind record, rewind import)');
  authorize(req, [IMPERSONATE]);
  // Not destroyed when reading stops early (a refused trace): the answer still goes out on its socket.
  const prepared = await replays.prepare(body.iterator({ destroyOnReturn: false }), spec);
  try {
    authorize(req, prepared.writes.map(attributesOf));
  } catch (err) {
    prepared.discard();
    throw err;
  }
  return prepared.start();
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

/** Impersonating users: the replayed events keep their recorded actors. */
const IMPERSONATE: Attributes = { verb: 'impersonate', resourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', namespace: '', resource: 'users', subresource: '', name: '' };

/** 403 for the first of `all` the request's user may not do. */
function authorize(req: FastifyRequest, all: Attributes[]): void {
  const refused = all.find((a) => !requestAllows(req, a));
  if (refused) throw forbiddenError(requestUser(req), refused);
}

function attributesOf(w: WriteIntent): Attributes {
  const { group, resource } = refOf(w.res);
  return { verb: w.verb, resourceRequest: true, path: '', apiGroup: group, apiVersion: parseApiVersion(storageApiVersion(w.res)).version, namespace: w.ns, resource, subresource: '', name: '' };
}
