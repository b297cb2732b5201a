// The rewind.dev/v1 HTTP API (docs/API.md): history of an object, diff between two points, the causal
// chain behind an object (why), the event log (a list, or a stream with follow=1), revert, and
// replays of uploaded traces (rewind-replays.ts). These
// are not Kubernetes resources: they are left out of discovery, so `kubectl api-resources` is
// unaffected. Static routes win over the /apis/:group/:version/* resource wildcard in fastify's router.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { parseApiVersion, refOf, RESOURCES, storageApiVersion } from '../../core/registry.ts';
import { parseLabelSelector } from '../../core/selectors.ts';
import type { ReadView } from '../../store/store.ts';
import type { Attributes } from '../auth/attributes.ts';
import { forbiddenError } from '../auth/authorize.ts';
import { redactSecrets, secretsReadable } from '../auth/redact.ts';
import { requestAllows, requestUser } from '../auth/user.ts';
import { actorOf, type ApiContext } from '../context.ts';
import { decodeBody } from '../content.ts';
import { diffPoints } from '../rewind/diff.ts';
import { objectHistory } from '../rewind/history.ts';
import { logEntry, logFilter } from '../rewind/log.ts';
import { namespaceOf, objectParam, revParam, sinceParam, typeParam } from '../rewind/query.ts';
import { revert, type RevertKey } from '../rewind/revert.ts';
import { stateEvents } from '../rewind/state.ts';
import { causalChain, chainText } from '../rewind/why.ts';
import { flag, flatQuery, type Query } from './query.ts';
import { replayRoutes } from './rewind-replays.ts';

export const REWIND_PREFIX = '/apis/rewind.dev/v1';
const API_VERSION = 'rewind.dev/v1';

export function rewindRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get(`${REWIND_PREFIX}/history`, async (req) => history(ctx, flatQuery(req.query)));
  app.get(`${REWIND_PREFIX}/diff`, async (req) => diff(ctx, flatQuery(req.query)));
  app.get(`${REWIND_PREFIX}/why`, async (req) => why(ctx, flatQuery(req.query)));
  app.get(`${REWIND_PREFIX}/events`, (req, reply) => events(ctx, flatQuery(req.query), req, reply));
  app.post(`${REWIND_PREFIX}/revert`, async (req) => revertRequest(ctx, req));
  app.get(`${REWIND_PREFIX}/point`, async (req) => point(ctx, flatQuery(req.query)));
  app.get(`${REWIND_PREFIX}/state`, async (req) => state(ctx, flatQuery(req.query)));
  replayRoutes(app, ctx, REWIND_PREFIX);
}

/** What a POINT resolves to: its revision and that revision's commit time (`at` absent: the head). */
async function point(ctx: ApiContext, q: Query) {
  const rev = await revParam(ctx.store, ctx.clock, q.at, 'at');
  const ts = rev === 0 ? 0 : ((await ctx.store.event(rev))?.ts ?? 0);
  return { apiVersion: API_VERSION, kind: 'Point', rev, ts, head: ctx.store.rev };
}

/** The state at a point as the events that produced it (a trace's base: api/rewind/state.ts). */
async function state(ctx: ApiContext, q: Query) {
  const rev = await revParam(ctx.store, ctx.clock, q.at, 'at');
  return { apiVersion: API_VERSION, kind: 'State', rev, items: await stateEvents(ctx.store, rev) };
}

async function history(ctx: ApiContext, q: Query) {
  const ref = objectParam(q);
  const since = await sinceParam(ctx.store, ctx.clock, q.since);
  const until = await revParam(ctx.store, ctx.clock, q.until, 'until');
  const items = await objectHistory(ctx.store, ref, since, until);
  return { apiVersion: API_VERSION, kind: 'History', resource: ref.info.res, namespace: ref.ns, name: ref.name, items };
}

async function diff(ctx: ApiContext, q: Query) {
  if (!q.from || !q.to) throw badRequest('from and to are required (two points: revisions, RFC 3339 times, -15m or now)');
  const from = await revParam(ctx.store, ctx.clock, q.from, 'from');
  const to = await revParam(ctx.store, ctx.clock, q.to, 'to');
  const info = typeParam(q);
  const ns = info && q.namespace !== undefined ? namespaceOf(info, q.namespace) : q.namespace;
  const d = await diffPoints(ctx.store, from, to, { res: info?.res, ns, name: q.name || undefined });
  return { apiVersion: API_VERSION, kind: 'Diff', ...d };
}

async function why(ctx: ApiContext, q: Query) {
  const ref = objectParam(q);
  const at = await revParam(ctx.store, ctx.clock, q.at, 'at');
  const items = await causalChain(ctx.store, ref, at);
  return { apiVersion: API_VERSION, kind: 'CausalChain', at, text: chainText(items), items };
}

/** The log in (since, until]; with follow=1 a stream of JSON lines that continues with live events. */
async function events(ctx: ApiContext, q: Query, req: FastifyRequest, reply: FastifyReply) {
  const info = typeParam(q);
  const keep = logFilter({ res: info?.res, ns: q.namespace || undefined, actor: q.actor || undefined, labelSelector: q.labelSelector || undefined });
  const since = await sinceParam(ctx.store, ctx.clock, q.since);
  const withObject = flag(q, 'objects');
  if (!flag(q, 'follow')) {
    const until = await revParam(ctx.store, ctx.clock, q.until, 'until');
    const items = [];
    for await (const e of ctx.store.read(since, until)) if (keep(e)) items.push(logEntry(e, withObject));
    return reply.send({ apiVersion: API_VERSION, kind: 'EventList', items });
  }
  // The stream bypasses the onSend redaction of whole answers, so each line is redacted here.
  const redact = !secretsReadable(req);
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const sub = ctx.store.watch(since).subscribe({
    next: (e) => {
      if (!keep(e)) return;
      const entry = logEntry(e, withObject);
      res.write(JSON.stringify(redact ? redactSecrets(entry) : entry) + '\n');
    },
    complete: () => res.end(),
    error: () => res.end(),
  });
  req.raw.on('close', () => sub.unsubscribe());
}

interface RevertBody {
  to?: string;
  type?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
}

async function revertRequest(ctx: ApiContext, req: FastifyRequest) {
  const body = decodeBody(req) as RevertBody;
  if (typeof body?.to !== 'string' || body.to === '') throw badRequest('to is required: the point to revert to');
  if (!body.name && !body.labelSelector) throw badRequest('name (with type) or labelSelector is required');
  const to = await revParam(ctx.store, ctx.clock, body.to, 'to');
  const then = await ctx.store.at(to);
  const q: Query = { type: body.type, name: body.name, namespace: body.namespace };
  let keys: RevertKey[];
  if (body.name) {
    const ref = objectParam(q);
    keys = [{ res: ref.info.res, ns: ref.ns, name: ref.name }];
  } else {
    const info = typeParam(q);
    const selector = parseLabelSelector(body.labelSelector!);
    const resources = info ? [info.res] : [...new Set(RESOURCES.map((r) => r.res))];
    keys = selectedKeys(resources, body.namespace || undefined, (o) => selector(o.metadata.labels), [then, ctx.store]);
  }
  for (const k of keys) authorizeRevertOf(req, k, then.get(k.res, k.ns, k.name) !== undefined, ctx.store.get(k.res, k.ns, k.name) !== undefined);
  const items = await revert(ctx.store, then, keys, actorOf(req));
  return { apiVersion: API_VERSION, kind: 'RevertResult', to, items };
}

/**
 * Reverting writes each object, so besides `create` on rewind.dev/revert the user needs the write
 * itself: `create` for an object that is gone now, `delete` for one that did not exist then, else
 * `update` — checked before anything is written, so a refused revert of a set writes nothing.
 */
function authorizeRevertOf(req: FastifyRequest, k: RevertKey, existedThen: boolean, existsNow: boolean): void {
  const { group, resource } = refOf(k.res);
  const verb = !existsNow ? 'create' : !existedThen ? 'delete' : 'update';
  const a: Attributes = { verb, resourceRequest: true, path: '', apiGroup: group, apiVersion: parseApiVersion(storageApiVersion(k.res)).version, namespace: k.ns, resource, subresource: '', name: k.name };
  if (!requestAllows(req, a)) throw forbiddenError(requestUser(req), a);
}

/** Keys of objects matching in any of the views (then or now), deduplicated, in list order. */
function selectedKeys(resources: string[], ns: string | undefined, filter: (o: KObject) => boolean, views: ReadView[]): RevertKey[] {
  const keys = new Map<string, RevertKey>();
  for (const res of resources) {
    for (const view of views) {
      for (const o of view.list(res, { namespace: ns, filter }).items) {
        const k = { res, ns: o.metadata.namespace ?? '', name: o.metadata.name ?? '' };
        keys.set(`${k.res}|${k.ns}|${k.name}`, k);
      }
    }
  }
  return [...keys.values()];
}
