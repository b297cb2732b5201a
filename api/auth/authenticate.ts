// The authentication and authorization filter, one fastify onRequest hook, in the apiserver's order:
// authenticate the bearer token (a --token-auth-file token, else a service account JWT), fall back to
// the anonymous user only when the server allows it, apply impersonation headers, then authorize
// the request's attributes. A bad or missing credential is 401 Unauthorized; a refused request 403.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../../core/clock.ts';
import { unauthorized } from '../../core/errors.ts';
import type { ReadView } from '../../store/store.ts';
import { sendStatus } from '../status.ts';
import { requestAttributes } from './attributes.ts';
import { accessReviewRoutes } from './access-review.ts';
import { selfSubjectReviewRoutes } from './self-subject-review.ts';
import { authorizer, forbiddenError } from './authorize.ts';
import { impersonatedUser } from './impersonate.ts';
import { redactHistoryForNonReaders } from './redact.ts';
import { tokenRequestRoutes } from './token-request.ts';
import type { ServiceAccountTokens } from './service-account-tokens.ts';
import { ANONYMOUS, authenticated, setRequestUser, type UserInfo } from './user.ts';

export interface AuthOptions {
  /** Static tokens from --token-auth-file. */
  tokens?: Map<string, UserInfo>;
  serviceAccounts?: ServiceAccountTokens;
  /** Open mode: requests without a token are the anonymous user, who may do anything. */
  anonymous: boolean;
}

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The request's user; undefined when its credential is invalid (or missing, outside open mode). */
export function authenticate(req: FastifyRequest, opts: AuthOptions): UserInfo | undefined {
  const header = req.headers.authorization;
  if (header === undefined) return opts.anonymous ? ANONYMOUS : undefined;
  const token = BEARER.exec(header)?.[1];
  if (!token) return undefined;
  const user = opts.tokens?.get(token) ?? opts.serviceAccounts?.verify(token);
  return user && authenticated(user);
}

export function installAuth(app: FastifyInstance, view: ReadView, clock: Clock, opts: AuthOptions): void {
  const authz = authorizer(view, opts.anonymous);
  app.addHook('onRequest', (req, reply, done) => {
    const requester = authenticate(req, opts);
    if (!requester) {
      sendStatus(reply, unauthorized());
      return;
    }
    try {
      const user = impersonatedUser(requester, req.headers, authz);
      const attrs = requestAttributes(req.method, req.url);
      if (!authz.allows(user, attrs)) throw forbiddenError(user, attrs);
      setRequestUser(req, user, (a) => authz.allows(user, a));
      done();
    } catch (e) {
      done(e as Error);
    }
  });
  accessReviewRoutes(app, authz);
  selfSubjectReviewRoutes(app);
  redactHistoryForNonReaders(app, '/apis/rewind.dev/');
  if (opts.serviceAccounts) tokenRequestRoutes(app, view, clock, opts.serviceAccounts);
}
