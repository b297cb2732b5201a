// `kubectl create token <serviceaccount>`: POST …/serviceaccounts/<name>/token (a TokenRequest,
// authentication.k8s.io/v1) answers with a signed token for the account (service-account-tokens.ts).
// Rewind's tokens do not expire — they are revoked by deleting the account — so the request's
// audiences and expirationSeconds are not read; the answer reports the defaults the apiserver uses.

import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/clock.ts';
import { rfc3339 } from '../../core/clock.ts';
import { notFound } from '../../core/errors.ts';
import type { ReadView } from '../../store/store.ts';
import { ISSUER, type ServiceAccountTokens } from './service-account-tokens.ts';

const HOUR_SECONDS = 3600;

export function tokenRequestRoutes(app: FastifyInstance, view: ReadView, clock: Clock, tokens: ServiceAccountTokens): void {
  app.post('/api/v1/namespaces/:namespace/serviceaccounts/:name/token', async (req, reply) => {
    const { namespace, name } = req.params as { namespace: string; name: string };
    const account = view.get('v1/serviceaccounts', namespace, name);
    if (!account) throw notFound({ group: '', resource: 'serviceaccounts' }, name);
    const now = clock.now();
    reply.code(201);
    return {
      kind: 'TokenRequest',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { name, namespace, creationTimestamp: rfc3339(now) },
      spec: { audiences: [ISSUER], expirationSeconds: HOUR_SECONDS, boundObjectRef: null },
      status: { token: tokens.issue(namespace, name, account.metadata.uid ?? '', now), expirationTimestamp: rfc3339(now + HOUR_SECONDS * 1000) },
    };
  });
}
