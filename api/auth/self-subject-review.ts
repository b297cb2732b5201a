// SelfSubjectReview (authentication.k8s.io/v1, create only, never stored): "who am I?" — the user
// the server authenticated the request as (after impersonation), for `kubectl auth whoami`. kubectl
// 1.32 POSTs an empty review as protobuf (api/content.ts decodes it) and prints the userInfo.

import type { FastifyInstance } from 'fastify';
import { decodeObjectBody } from '../content.ts';
import { requestUser } from './user.ts';

export function selfSubjectReviewRoutes(app: FastifyInstance): void {
  app.post('/apis/authentication.k8s.io/v1/selfsubjectreviews', async (req, reply) => {
    decodeObjectBody(req);
    const { name, uid, groups } = requestUser(req);
    reply.code(201);
    return {
      kind: 'SelfSubjectReview',
      apiVersion: 'authentication.k8s.io/v1',
      metadata: { creationTimestamp: null },
      status: { userInfo: { username: name, ...(uid ? { uid } : {}), groups } },
    };
  });
}
