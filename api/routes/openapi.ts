// /openapi/v3 (the index of group-version documents) and /openapi/v3/<api/v1 | apis/g/v>. kubectl's
// apply, create -f, edit and explain need them (kubectl-surface.md §1.8). The documents themselves
// come from api/openapi.ts; /openapi/v2 is left to answer 404, which kubectl accepts once v3 is right.
// A document asked for by its current `?hash=` is immutable, and served as such (as kube-apiserver
// does) so kubectl keeps it in its HTTP cache and afterwards fetches only the index.

import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/clock.ts';
import { pathNotFound } from '../../core/errors.ts';
import { openapiGroupVersion, openapiHash, openapiIndex } from '../openapi.ts';

const YEAR_MS = 365 * 24 * 3600 * 1000;

export function openapiRoutes(app: FastifyInstance, clock: Clock): void {
  app.get('/openapi/v3', (_req, reply) => reply.send(openapiIndex()));
  app.get('/openapi/v3/*', (req, reply) => {
    const path = (req.params as { '*': string })['*'];
    const doc = openapiGroupVersion(path);
    if (!doc) throw pathNotFound();
    const hash = (req.query as { hash?: string }).hash;
    if (hash !== undefined && hash === openapiHash(path)) {
      reply.header('cache-control', 'public, immutable');
      reply.header('expires', new Date(clock.now() + YEAR_MS).toUTCString());
    }
    return reply.send(doc);
  });
}
