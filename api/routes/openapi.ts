// /openapi/v3 (the index of group-version documents), /openapi/v3/<api/v1 | apis/g/v> and a minimal
// /openapi/v2 (below). kubectl's apply, create -f, edit and explain need them (kubectl-surface.md
// §1.8). The v3 documents themselves come from api/openapi.ts.
// A document asked for by its current `?hash=` is immutable, and served as such (as kube-apiserver
// does) so kubectl keeps it in its HTTP cache and afterwards fetches only the index.

import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/clock.ts';
import { pathNotFound } from '../../core/errors.ts';
import { openapiGroupVersion, openapiHash, openapiIndex } from '../openapi.ts';

const YEAR_MS = 365 * 24 * 3600 * 1000;

// /openapi/v2: a Swagger 2.0 document without definitions. kubectl 1.32 reads it only where v3 has no
// answer: a `kind: List` file (`kubectl get -o yaml > f; kubectl apply -f f`) and a kind no served
// group-version knows (a typo, apiVersion v2). It then validates client-side against v2, and a 404
// there is fatal ("error validating data: the server could not find the requested resource"). With
// no definitions kubectl skips that check as it does for any kind v2 lacks: each item of a List still
// reaches the server with fieldValidation=Strict, and an unknown kind gets kubectl's real "no matches
// for kind" error. kubectl asks for gnostic's openapi_v2.Document in protobuf (field 1: swagger) by
// the deprecated media type with '@'; kube-openapi answers under the dotted one, which Go's mime
// parser accepts.
const V2_PROTOBUF_ACCEPTED = /com\.github\.proto-openapi\.spec\.v2[@.]v1\.0\+protobuf/;
const V2_PROTOBUF = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';
const V2_DOCUMENT = { swagger: '2.0' };
const V2_DOCUMENT_PROTOBUF = Buffer.concat([Buffer.from([(1 << 3) | 2, V2_DOCUMENT.swagger.length]), Buffer.from(V2_DOCUMENT.swagger)]);

export function openapiRoutes(app: FastifyInstance, clock: Clock): void {
  app.get('/openapi/v2', (req, reply) =>
    V2_PROTOBUF_ACCEPTED.test(req.headers.accept ?? '') ? reply.type(V2_PROTOBUF).send(V2_DOCUMENT_PROTOBUF) : reply.send(V2_DOCUMENT),
  );
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
