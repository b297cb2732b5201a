// Watch: `GET <collection>?watch=true`, answered with a chunked stream of one JSON document per line,
// `{"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{…}}`.
//
// Where it starts (kubectl-surface.md §1.5):
// - resourceVersion absent or "0": a synthetic ADDED for every current object, then live changes
//   (`kubectl get X -w` drops the first event it sees, so it must be that synthetic one);
// - resourceVersion N: only changes after N, read from the log, then live — no gap, no duplicate.
// With a label or field selector, an object that starts or stops matching is reported the way the
// apiserver's watch cache does: a MODIFIED into the selection is an ADDED, out of it a DELETED.
// Headers are flushed at once: kubectl's `rollout status`, `wait` and `delete` hang otherwise.

import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Subscription } from 'rxjs';
import { isStatusError, internalError, type StatusError } from '../../core/errors.ts';
import type { Event, EventType } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import type { Cancel } from '../../core/clock.ts';
import type { ApiContext } from '../context.ts';
import { includeObject, wantsTable } from '../content.ts';
import { served } from '../served.ts';
import { watchBudget } from '../watch-buffer.ts';
import { toTable } from '../table.ts';
import { flag, resourceVersion, selectorFilter, timeoutSeconds, type Query } from './query.ts';
import { objectNamespace, servedApiVersion, type Target } from './target.ts';

type WatchType = EventType | 'BOOKMARK' | 'ERROR';
type Filter = (obj: KObject) => boolean;

export async function watchObjects(ctx: ApiContext, t: Target, q: Query, req: FastifyRequest, reply: FastifyReply) {
  // Everything that can be refused is checked before the stream starts, so it is a plain Status reply.
  const filter = watchFilter(t, q);
  const rv = resourceVersion(q, ctx.store.rev);
  const timeout = timeoutSeconds(q) ?? 0;
  const encode = encoder(ctx, t, q, req);
  const start = await startingPoint(ctx, t, rv, filter);

  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();
  const send = (type: WatchType, object: unknown) => res.write(JSON.stringify({ type, object }) + '\n');

  for (const obj of start.initial) send('ADDED', encode(obj));
  const budget = watchBudget(res, ctx.watchBufferBytes);
  let lastRev = start.rev;
  let sub: Subscription | undefined;
  let stopped = false;
  const timers: { bookmark?: Cancel; timeout?: Cancel } = {};
  const stop = () => {
    if (stopped) return;
    stopped = true;
    sub?.unsubscribe();
    timers.bookmark?.();
    timers.timeout?.();
    res.end();
  };
  sub = ctx.store.watch(start.rev).subscribe({
    next: (e) => {
      lastRev = e.rev;
      const type = relevant(e, t, filter, start.matching);
      if (type) send(type, encode(e.object));
      if (budget.exceeded()) {
        send('ERROR', budget.closing(e.rev).status);
        stop();
      }
    },
    error: (err: unknown) => {
      send('ERROR', asStatus(err).status);
      stop();
    },
    complete: () => stop(),
  });
  if (stopped) sub.unsubscribe();
  if (flag(q, 'allowWatchBookmarks')) {
    const bookmark = () => {
      send('BOOKMARK', { apiVersion: servedApiVersion(t), kind: t.info.kind, metadata: { resourceVersion: String(lastRev) } });
      timers.bookmark = ctx.clock.after(ctx.bookmarkEveryMs, bookmark);
    };
    timers.bookmark = ctx.clock.after(ctx.bookmarkEveryMs, bookmark);
  }
  // Informers send timeoutSeconds and re-watch when the stream ends; `get -w` sends none and exits
  // when it ends, so without it the stream stays open.
  if (timeout > 0) timers.timeout = ctx.clock.after(timeout * 1000, stop);
  req.raw.on('close', stop);
}

/** Selectors, plus the name for a watch on one object's path (`…/pods/web?watch=true`). */
function watchFilter(t: Target, q: Query): Filter | undefined {
  const selectors = selectorFilter(q, t.info.res);
  if (t.name === undefined) return selectors;
  const name = t.name;
  return (o) => o.metadata.name === name && (selectors === undefined || selectors(o));
}

interface StartingPoint {
  rev: number;
  /** Synthetic ADDED events to send first. */
  initial: KObject[];
  /** Keys ("ns/name") of objects currently inside the selection; tracked only when there is a filter. */
  matching?: Set<string>;
}

async function startingPoint(ctx: ApiContext, t: Target, rv: number | undefined, filter: Filter | undefined): Promise<StartingPoint> {
  const opts = { namespace: t.ns, filter };
  if (rv === undefined || rv === 0) {
    const list = ctx.store.list(t.info.res, opts);
    return { rev: list.rev, initial: list.items, matching: filter ? new Set(list.items.map(keyOf)) : undefined };
  }
  if (!filter) return { rev: rv, initial: [] };
  const past = await ctx.store.at(rv);
  return { rev: rv, initial: [], matching: new Set(past.list(t.info.res, opts).items.map(keyOf)) };
}

const keyOf = (o: KObject) => `${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`;

/** The watch event type for this store event, or undefined when this watch does not see it. */
function relevant(e: Event, t: Target, filter: Filter | undefined, matching: Set<string> | undefined): EventType | undefined {
  if (e.res !== t.info.res) return undefined;
  if (t.ns !== undefined && e.ns !== objectNamespace(t)) return undefined;
  if (!filter || !matching) return e.type;
  const key = keyOf(e.object);
  const was = matching.has(key);
  const now = e.type !== 'DELETED' && filter(e.object);
  if (now) matching.add(key);
  else matching.delete(key);
  if (now) return was ? 'MODIFIED' : 'ADDED';
  return was ? 'DELETED' : undefined;
}

/** Each event's object as the client asked for it: the object, or a one-row Table (kubectl get -w). */
function encoder(ctx: ApiContext, t: Target, q: Query, req: FastifyRequest): (obj: KObject) => unknown {
  if (!wantsTable(req)) return (obj) => served(obj, t);
  const include = includeObject(q);
  return (obj) =>
    toTable(t.info.res, [served(obj, t)], { now: ctx.clock.now(), includeObject: include, resourceVersion: obj.metadata.resourceVersion ?? '' });
}

function asStatus(err: unknown): StatusError {
  return isStatusError(err) ? err : internalError(String((err as Error)?.message ?? err));
}
