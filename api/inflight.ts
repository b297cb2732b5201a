// kube-apiserver's --max-requests-inflight: at most N requests are served at once; the next one gets
// 429 TooManyRequests with `Retry-After: 1` (the client retries). Long-running requests — watches,
// exec/attach/port-forward upgrades, followed logs and event streams — are not counted, as the
// apiserver's BasicLongRunningRequestCheck exempts them; nor are the health probes, so a saturated
// server still reports itself alive. The counter also lets a graceful shutdown wait for the drain.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { tooManyRequests } from '../core/errors.ts';
import { sendStatus } from './status.ts';

export const DEFAULT_MAX_REQUESTS_INFLIGHT = 400;

export interface InFlight {
  readonly count: number;
  /** Resolves once no counted request is in flight. */
  drained(): Promise<void>;
}

const PROBE = /^\/(healthz|livez|readyz)(\/|\?|$)/;
const UPGRADE_SUBRESOURCE = /\/(exec|attach|portforward|proxy)(\?|$)/;

/** The apiserver's long-running check: watch, upgrades, follow=true streams. */
export function isLongRunning(req: FastifyRequest): boolean {
  const q = req.query as Record<string, unknown>;
  const on = (v: unknown) => v === 'true' || v === '1';
  if (req.method === 'GET' && (on(q.watch) || on(q.follow))) return true;
  const path = req.url.split('?')[0];
  return path.includes('/watch/') || UPGRADE_SUBRESOURCE.test(path) || req.headers.upgrade !== undefined;
}

export function limitInFlight(app: FastifyInstance, max: number): InFlight {
  let count = 0;
  const waiters: (() => void)[] = [];
  const counted = new WeakSet<FastifyRequest>();
  const release = (req: FastifyRequest) => {
    if (!counted.delete(req)) return;
    count--;
    if (count === 0) for (const w of waiters.splice(0)) w();
  };
  app.addHook('onRequest', (req, reply, done) => {
    if (PROBE.test(req.url) || isLongRunning(req)) return done();
    if (count >= max) {
      reply.header('retry-after', '1');
      sendStatus(reply, tooManyRequests(1));
      return;
    }
    count++;
    counted.add(req);
    // 'close' ends every response, also one whose client went away after the reply started (where
    // neither onResponse nor onRequestAbort runs); without it a drain on shutdown could wait forever.
    reply.raw.once('close', () => release(req));
    done();
  });
  app.addHook('onResponse', (req, _reply, done) => {
    release(req);
    done();
  });
  app.addHook('onRequestAbort', (req, done) => {
    release(req);
    done();
  });
  return {
    get count() {
      return count;
    },
    drained: () => (count === 0 ? Promise.resolve() : new Promise<void>((done) => waiters.push(done))),
  };
}
