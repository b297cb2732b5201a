// fieldValidation=Strict|Warn|Ignore (kubectl sends Strict once OpenAPI v3 says the server supports
// it). Unknown fields are found by walking the body against the kind's OpenAPI v3 schema: Strict
// refuses the request with BadRequest `strict decoding error: unknown field "spec.foo"`, Warn
// answers with a `Warning: 299 - "unknown field \"spec.foo\""` header, Ignore drops nothing and says
// nothing (Kubernetes prunes unknown fields of built-in kinds on decode; we keep them).

import type { FastifyReply } from 'fastify';
import { badRequest } from '../../core/errors.ts';
import { unknownFields } from '../openapi.ts';
import type { Query } from './query.ts';
import { servedApiVersion, type Target } from './target.ts';
import { addWarnings } from './warnings.ts';

type Mode = 'Strict' | 'Warn' | 'Ignore';

function mode(q: Query): Mode {
  const v = q.fieldValidation;
  // The apiserver's default is Warn when the parameter is absent.
  if (v === undefined || v === '') return 'Warn';
  if (v === 'Strict' || v === 'Warn' || v === 'Ignore') return v;
  throw badRequest(`fieldValidation: Unsupported value: "${v}": supported values: "Ignore", "Strict", "Warn"`);
}

/** Apply the request's fieldValidation to `body`; throws for Strict, adds Warning headers for Warn. */
export function checkFields(body: unknown, t: Target, q: Query, reply: FastifyReply): void {
  const m = mode(q);
  if (m === 'Ignore') return;
  const unknown = unknownFields(servedApiVersion(t), t.info.kind, withoutDirectives(body));
  if (unknown.length === 0) return;
  const messages = unknown.map((path: string) => `unknown field "${path}"`);
  if (m === 'Strict') throw badRequest(`strict decoding error: ${messages.join(', ')}`);
  addWarnings(reply, messages);
}

/**
 * The body without strategic-merge-patch directives (`$patch`, `$retainKeys`,
 * `$setElementOrder/containers`, `$deleteFromPrimitiveList/finalizers`): they are instructions, not
 * fields, and kubectl apply sends them with fieldValidation=Strict.
 */
function withoutDirectives(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutDirectives);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith('$')) out[k] = withoutDirectives(v);
  return out;
}
