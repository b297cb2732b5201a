// GET /api/v1/namespaces/NS/pods/P/log — `kubectl logs` (kubectl-surface.md §1.9): text/plain, the
// simulated output of the container (controllers/container/logs.ts) with the kubelet's query
// options: container, previous, timestamps (RFC 3339 with nanoseconds, as CRI log lines carry),
// tailLines, sinceSeconds / sinceTime, limitBytes, and follow — the response then stays open until
// the pod is deleted, finishes, or the client goes away.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PassThrough } from 'node:stream';
import { badRequest } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { containerStatus } from '../../controllers/container/pod.ts';
import { containerLogs, type LogLine } from '../../controllers/container/logs.ts';
import type { ApiContext } from '../context.ts';
import { containerStart, findPod, pickContainer, sandboxAt } from './in-pod.ts';
import { flag, flatQuery, type Query } from './query.ts';

/** RFC 3339 with nanoseconds: 2026-01-01T00:00:01.000000000Z. */
const nanoTime = (ms: number) => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');

function positiveInt(q: Query, name: string): number | undefined {
  const raw = q[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw badRequest(`${name}: Invalid value: "${raw}": must be greater than or equal to 0`);
  return n;
}

/** When the last terminated instance started, if there was one. */
function lastRunStart(pod: KObject, container: string): number | undefined {
  const startedAt = containerStatus(pod, container)?.lastState?.terminated?.startedAt;
  return startedAt ? Date.parse(startedAt) : undefined;
}

/**
 * The instance a request reads: the current one, or with `previous` the last terminated one. A
 * container waiting in CrashLoopBackOff has no current instance; the kubelet then serves the log of
 * the most recent one, the run that just ended.
 */
async function linesFor(ctx: ApiContext, pod: KObject, container: string, previous: boolean): Promise<LogLine[]> {
  const last = lastRunStart(pod, container);
  if (previous && last === undefined) throw badRequest(`previous terminated container "${container}" in pod "${pod.metadata.name}" not found`);
  const waiting = (containerStatus(pod, container)?.state as { waiting?: { reason?: string } } | undefined)?.waiting;
  const started = (previous || waiting?.reason === 'CrashLoopBackOff' ? last : undefined) ?? containerStart(pod, container);
  return containerLogs(await sandboxAt(ctx, pod, container, started), started);
}

function selectLines(lines: LogLine[], q: Query, now: number): LogLine[] {
  const since = positiveInt(q, 'sinceSeconds');
  const sinceTime = q.sinceTime ? Date.parse(q.sinceTime) : undefined;
  let out = lines.filter((l) => (since === undefined || l.time >= now - since * 1000) && (sinceTime === undefined || Number.isNaN(sinceTime) || l.time >= sinceTime));
  const tail = positiveInt(q, 'tailLines');
  if (tail !== undefined) out = tail === 0 ? [] : out.slice(-tail);
  return out;
}

function render(lines: LogLine[], q: Query): string {
  const text = lines.map((l) => `${flag(q, 'timestamps') ? `${nanoTime(l.time)} ` : ''}${l.text}\n`).join('');
  const limit = positiveInt(q, 'limitBytes');
  return limit === undefined ? text : Buffer.from(text).subarray(0, limit).toString();
}

const finished = (pod: KObject) => ['Succeeded', 'Failed'].includes((pod.status as { phase?: string } | undefined)?.phase ?? '');

/** Keep a followed log open until the pod is gone or done, or the client leaves. */
function follow(ctx: ApiContext, pod: KObject, req: FastifyRequest, reply: FastifyReply, text: string) {
  const stream = new PassThrough();
  stream.write(text);
  if (finished(pod)) {
    stream.end();
    return reply.type('text/plain').send(stream);
  }
  const sub = ctx.store.events$.subscribe((e) => {
    if (e.res !== 'v1/pods' || e.ns !== pod.metadata.namespace || e.name !== pod.metadata.name) return;
    if (e.type === 'DELETED' || e.object.metadata.uid !== pod.metadata.uid || finished(e.object)) stream.end();
  });
  stream.on('close', () => sub.unsubscribe());
  stream.on('finish', () => sub.unsubscribe());
  req.raw.on('close', () => stream.end());
  return reply.type('text/plain').send(stream);
}

async function podLog(ctx: ApiContext, req: FastifyRequest, reply: FastifyReply) {
  const { namespace, name } = req.params as { namespace: string; name: string };
  const q = flatQuery(req.query);
  const pod = findPod(ctx, namespace, name);
  const container = pickContainer(pod, q.container);
  const text = render(selectLines(await linesFor(ctx, pod, container, flag(q, 'previous')), q, ctx.clock.now()), q);
  if (flag(q, 'follow')) return follow(ctx, pod, req, reply, text);
  return reply.type('text/plain').send(text);
}

export function logRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get('/api/v1/namespaces/:namespace/pods/:name/log', (req, reply) => podLog(ctx, req, reply));
}
