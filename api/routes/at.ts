// /at/{point}/… — every read path of the API as the cluster was at a past point (a revision, an
// RFC 3339 time, a relative time like -15m, or "now"; see core/point.ts). The same handlers serve the
// past as the present: version, discovery, OpenAPI and the resource routes are registered again under
// the prefix, and resource requests get a context whose store is the past (api/past-store.ts) and
// whose clock reads the point's time, so `kubectl --server http://HOST/at/-15m get pods` prints ages
// as they were then. Writes are refused with 405. `?speed=10` or `?speed=max` paces a watch's replay.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { badRequest, methodNotAllowed } from '../../core/errors.ts';
import { parsePoint, storePoint } from '../../core/point.ts';
import type { ApiContext } from '../context.ts';
import { frozenClock, pastStore, READ_ONLY_MESSAGE, type Speed } from '../past-store.ts';
import { discoveryRoutes } from './discovery.ts';
import { openapiRoutes } from './openapi.ts';
import { flatQuery } from './query.ts';
import { handleResource } from './resources.ts';
import { versionRoutes } from './version.ts';

export function atRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.register(
    async (past) => {
      versionRoutes(past);
      discoveryRoutes(past);
      openapiRoutes(past, ctx.clock);
      past.route({
        method: ['POST', 'PUT', 'PATCH', 'DELETE'],
        url: '/*',
        handler: async () => {
          throw methodNotAllowed(READ_ONLY_MESSAGE);
        },
      });
      past.get('/api/v1/*', async (req, reply) => handleResource(await pastContext(ctx, req), '', 'v1', req, reply));
      past.get('/apis/:group/:version/*', async (req, reply) => {
        const { group, version } = req.params as { group: string; version: string };
        return handleResource(await pastContext(ctx, req), group, version, req, reply);
      });
    },
    { prefix: '/at/:point' },
  );
}

/** The request's context at its point: the past store, and a clock that reads the point's time. */
async function pastContext(ctx: ApiContext, req: FastifyRequest): Promise<ApiContext> {
  const raw = decodeURIComponent((req.params as { point: string }).point);
  const point = parsePoint(raw, ctx.clock.now());
  const view = await ctx.store.at(storePoint(point));
  const asOf = 'time' in point ? point.time : view.ts;
  const speed = parseSpeed(flatQuery(req.query).speed);
  return { ...ctx, store: pastStore(ctx.store, view, ctx.clock, speed), clock: frozenClock(asOf, ctx.clock) };
}

/** `speed`: absent = real time (1), a factor ("10" or "10x"), or "max" (no pacing). */
export function parseSpeed(v: string | undefined): Speed {
  if (v === undefined || v === '') return 1;
  if (v === 'max') return Infinity;
  const m = /^(\d+(?:\.\d+)?)x?$/.exec(v);
  if (!m || Number(m[1]) <= 0) throw badRequest(`invalid speed "${v}": expected a positive factor (10, 10x) or "max"`);
  return Number(m[1]);
}
