// Secrets in history. The event log, history, diff and why answers (rewind.dev) carry whole objects
// and patches, so a user who may not `get` secrets would read them there. For such a user every value
// under a Secret's `data` and `stringData` — in objects of kind Secret, in entries about v1/secrets,
// and in patch operations on those paths — is replaced by "<redacted>" before the answer is sent.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Attributes } from './attributes.ts';
import { requestAllows } from './user.ts';

export const REDACTED = '<redacted>';

const SECRET_FIELDS = new Set(['data', 'stringData']);
const SECRET_PATH = /^\/(data|stringData)(\/|$)/;

type Json = unknown;

function redactValues(v: Json): Json {
  if (v === null || typeof v !== 'object') return REDACTED;
  return Object.fromEntries(Object.keys(v).map((k) => [k, REDACTED]));
}

/** `v` with secret values replaced; `inSecret` once an enclosing node is about a Secret. */
export function redactSecrets(v: Json, inSecret = false): Json {
  if (Array.isArray(v)) return v.map((x) => redactSecrets(x, inSecret));
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, Json>;
  const secret = inSecret || o.kind === 'Secret' || o.res === 'v1/secrets' || o.resource === 'v1/secrets';
  const out: Record<string, Json> = {};
  for (const [k, x] of Object.entries(o)) {
    if (secret && SECRET_FIELDS.has(k)) out[k] = redactValues(x);
    else if (secret && k === 'value' && typeof o.path === 'string' && SECRET_PATH.test(o.path)) out[k] = REDACTED;
    else out[k] = redactSecrets(x, secret);
  }
  return out;
}

/** May the requester read secrets (cluster-wide, or in the namespace the query names)? */
export function secretsReadable(req: FastifyRequest): boolean {
  const ns = (req.query as Record<string, unknown>).namespace;
  const get = (namespace: string): Attributes => ({ verb: 'get', resourceRequest: true, path: '', apiGroup: '', apiVersion: 'v1', namespace, resource: 'secrets', subresource: '', name: '' });
  return requestAllows(req, get('')) || (typeof ns === 'string' && ns !== '' && requestAllows(req, get(ns)));
}

/** Redact rewind.dev answers for users who may not read secrets. */
export function redactHistoryForNonReaders(app: FastifyInstance, prefix: string): void {
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.url.startsWith(prefix) || typeof payload !== 'string' || secretsReadable(req)) return payload;
    if (!String(reply.getHeader('content-type') ?? '').includes('json')) return payload;
    try {
      return JSON.stringify(redactSecrets(JSON.parse(payload)));
    } catch {
      return payload;
    }
  });
}
