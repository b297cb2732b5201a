// The Kubernetes API server as a fastify app (built, not listening: bin/serve.ts listens, tests use
// fastify.inject). How a request flows: the catch-all body parser keeps the raw bytes (content.ts
// decodes them by Content-Type inside the handler, so a bad body is a Status, not a fastify error);
// routes parse the path to a registry resource and call the store; every failure goes through
// status.ts; every reply carries `Cache-Control: no-cache, private` as kube-apiserver's do (without
// it kubectl's dispatcher caches /version on disk).

import Fastify, { type FastifyInstance } from 'fastify';
import type { Clock } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import { installAuth, type AuthOptions } from './auth/authenticate.ts';
import type { ApiContext } from './context.ts';
import type { ReplayService } from './rewind/replays.ts';
import { healthRoutes, healthyState, type HealthState } from './health.ts';
import { DEFAULT_MAX_REQUESTS_INFLIGHT, limitInFlight } from './inflight.ts';
import { WATCH_BUFFER_BYTES } from './watch-buffer.ts';
import { jsonToYaml, wantsYaml } from './content.ts';
import { atRoutes } from './routes/at.ts';
import { discoveryRoutes } from './routes/discovery.ts';
import { upgradeRoutes } from './routes/upgrade.ts';
import { logRoutes } from './routes/logs.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { curlRoutes } from './routes/curl.ts';
import { componentStatusRoutes } from './routes/component-status.ts';
import { openapiRoutes } from './routes/openapi.ts';
import { rewindRoutes } from './routes/rewind.ts';
import { resourceRoutes } from './routes/resources.ts';
import { versionRoutes } from './routes/version.ts';
import { installStatusHandlers } from './status.ts';

/** kube-apiserver's request body limit (3 MiB); larger bodies get 413 RequestEntityTooLarge. */
export const BODY_LIMIT = 3 * 1024 * 1024;

/** How long a shutdown waits for requests in flight (kube-apiserver's default request timeout is 60 s). */
export const SHUTDOWN_DRAIN_MS = 60_000;

export interface ServerOptions {
  store: Store;
  clock: Clock;
  /** Prometheus text for /metrics (the controller manager's); /metrics is absent without it. */
  metricsText?: () => string;
  /** Interval between watch BOOKMARKs (default one minute, as the apiserver). */
  bookmarkEveryMs?: number;
  logger?: boolean;
  /** Authentication and authorization (api/auth); default: open mode, anonymous is cluster-admin. */
  auth?: AuthOptions;
  /** What the health probes report; bin/serve.ts flips it on shutdown. */
  health?: HealthState;
  /** Unsent bytes a watcher may fall behind by (default 4 MiB) before its watch ends with 410. */
  watchBufferBytes?: number;
  /** Serve HTTPS with this certificate and key (PEM). */
  https?: { cert: string; key: string };
  /** --max-requests-inflight (default 400). */
  maxRequestsInflight?: number;
  /** Replays of uploaded traces (replays/live-replay.ts); without it POST rewind.dev replays is 404. */
  replays?: ReplayService;
}



export function buildServer(opts: ServerOptions): FastifyInstance {
  // forceCloseConnections: open watch streams must not keep close() waiting.
  const settings = { bodyLimit: BODY_LIMIT, logger: opts.logger ?? false, forceCloseConnections: true, routerOptions: { ignoreTrailingSlash: true } };
  // The HTTPS instance serves the same routes; only its server type differs.
  const app = (opts.https ? Fastify({ ...settings, https: opts.https }) : Fastify(settings)) as FastifyInstance;
  const ctx: ApiContext = { store: opts.store, clock: opts.clock, bookmarkEveryMs: opts.bookmarkEveryMs ?? 60_000, watchBufferBytes: opts.watchBufferBytes ?? WATCH_BUFFER_BYTES, replays: opts.replays };

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  // Set before the handler runs, so a route (OpenAPI documents) can still replace it.
  app.addHook('onRequest', (_req, reply, done) => {
    reply.header('cache-control', 'no-cache, private');
    done();
  });
  app.addHook('onSend', (req, reply, payload, done) => {
    const json = String(reply.getHeader('content-type') ?? '').startsWith('application/json');
    if (typeof payload !== 'string' || !json || !wantsYaml(req)) return done(null, payload);
    reply.header('content-type', 'application/yaml');
    done(null, jsonToYaml(payload));
  });
  installStatusHandlers(app);
  const inFlight = limitInFlight(app, opts.maxRequestsInflight ?? DEFAULT_MAX_REQUESTS_INFLIGHT);
  const health = opts.health ?? healthyState();
  // Graceful shutdown, as the apiserver's: readyz fails, new requests get 503 (fastify while
  // closing), requests in flight finish (at most SHUTDOWN_DRAIN_MS), then connections and watches close.
  app.addHook('preClose', async () => {
    health.shuttingDown = true;
    await new Promise<void>((done) => {
      const cancel = opts.clock.after(SHUTDOWN_DRAIN_MS, done);
      void inFlight.drained().then(() => {
        cancel();
        done();
      });
    });
  });
  installAuth(app, opts.store, opts.clock, opts.auth ?? { anonymous: true });

  versionRoutes(app);
  discoveryRoutes(app);
  openapiRoutes(app, opts.clock);
  componentStatusRoutes(app, ctx);
  resourceRoutes(app, ctx);
  logRoutes(app, ctx);
  upgradeRoutes(app, ctx);
  atRoutes(app, ctx);
  rewindRoutes(app, ctx);
  metricsRoutes(app, ctx);
  curlRoutes(app, ctx);
  healthRoutes(app, health);
  const metrics = opts.metricsText;
  if (metrics) app.get('/metrics', (_req, reply) => reply.type('text/plain; version=0.0.4').send(metrics()));
  return app;
}
