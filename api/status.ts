// The one place a failure becomes a reply. Every error a route throws reaches fastify's error handler;
// StatusErrors go out as they are, fastify's own client errors (body too large, malformed body, bad
// content type) are mapped to the Status the real API server would send, and anything else is a 500
// InternalError logged with its stack — never a crash, never a non-Status body.

import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { badRequest, internalError, isStatusError, pathNotFound, tooLarge, unsupportedMediaType, type StatusError } from '../core/errors.ts';

/** fastify's client-error codes and the Status each one means for a Kubernetes client. */
function fromFastify(err: FastifyError, req: FastifyRequest): StatusError | undefined {
  if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || err.statusCode === 413) return tooLarge();
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.statusCode === 415) {
    return unsupportedMediaType(req.headers['content-type'] ?? '(none)');
  }
  if (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500) return badRequest(err.message);
  return undefined;
}

export function sendStatus(reply: FastifyReply, err: StatusError): FastifyReply {
  return reply.code(err.code).type('application/json').send(err.status);
}

export function installStatusHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (isStatusError(err)) return sendStatus(reply, err);
    const mapped = fromFastify(err, req);
    if (mapped) return sendStatus(reply, mapped);
    req.log.error({ err }, 'unexpected error');
    return sendStatus(reply, internalError(err.message));
  });
  // kube-apiserver's answer for a path no handler serves.
  app.setNotFoundHandler((_req, reply) => sendStatus(reply, pathNotFound()));
}
