// /openapi/v3 (the index of group-version documents) and /openapi/v3/<api/v1 | apis/g/v>. kubectl's
// apply, create -f, edit and explain need them (kubectl-surface.md §1.8). The documents themselves
// come from api/openapi.ts; /openapi/v2 is left to answer 404, which kubectl accepts once v3 is right.

import type { FastifyInstance } from 'fastify';
import { pathNotFound } from '../../core/errors.ts';
import { openapiGroupVersion, openapiIndex } from '../openapi.ts';

export function openapiRoutes(app: FastifyInstance): void {
  app.get('/openapi/v3', (_req, reply) => reply.send(openapiIndex()));
  app.get('/openapi/v3/*', (req, reply) => {
    const doc = openapiGroupVersion((req.params as { '*': string })['*']);
    if (!doc) throw pathNotFound();
    return reply.send(doc);
  });
}
