// Content negotiation. Request bodies arrive raw (one catch-all parser in server.ts) and are decoded
// here by Content-Type: JSON and the three JSON patch types, YAML (kubectl's apply-patch+yaml and
// plain application/yaml), and Kubernetes protobuf (kubectl 1.32's `create <generator>`, see
// kubectl-surface.md §1.7). Replies are always JSON; `Accept` only chooses between the object and
// a meta.k8s.io/v1 Table, as kube-apiserver's negotiation does for `kubectl get` — or YAML for a
// client that prefers it (`curl -H 'Accept: application/yaml'`), which kube-apiserver serves too.

import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { FastifyRequest } from 'fastify';
import { badRequest, unsupportedMediaType } from '../core/errors.ts';
import { decodeProtobuf } from './protobuf.ts';

/** The media type without parameters, lower-cased: "application/json". */
export function mediaType(req: FastifyRequest): string {
  return (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}

const JSON_TYPES = new Set([
  'application/json',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
]);
const YAML_TYPES = new Set(['application/yaml', 'application/apply-patch+yaml', 'application/x-yaml', 'text/yaml']);
const PROTOBUF = 'application/vnd.kubernetes.protobuf';

/**
 * The request body as a JSON value. Malformed bodies are 400 BadRequest (never 500), unknown media
 * types 415 UnsupportedMediaType, with the messages of apimachinery's decoders.
 */
export function decodeBody(req: FastifyRequest): unknown {
  const raw = req.body;
  if (!Buffer.isBuffer(raw) || raw.length === 0) return undefined;
  const type = mediaType(req);
  if (JSON_TYPES.has(type)) return withinDepth(parseJson(raw));
  if (YAML_TYPES.has(type)) return withinDepth(parseYamlBody(raw));
  if (type === PROTOBUF) return decodeProtobuf(raw);
  throw unsupportedMediaType(type || '(none)');
}

/**
 * Bodies nested deeper than any Kubernetes object are refused before anything walks them recursively
 * (the apiserver's JSON decoder has a depth limit too; ours is lower because a JS stack is smaller).
 */
const MAX_DEPTH = 100;

function withinDepth(value: unknown): unknown {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    if (depth > MAX_DEPTH) throw badRequest(`the request body is nested deeper than ${MAX_DEPTH} levels`);
    level = level.flatMap((v) => (v !== null && typeof v === 'object' ? Object.values(v) : []));
  }
  return value;
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

// apply-patch+yaml carries JSON from kubectl, and YAML is a superset of JSON; parse it as JSON first
// (fast and exact for numbers), and as YAML 1.2 (the strict core schema: `yes` stays a string) otherwise.
function parseYamlBody(raw: Buffer): unknown {
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    // not JSON: fall through to YAML
  }
  try {
    return parseYaml(text, { schema: 'core', uniqueKeys: true });
  } catch (e) {
    throw badRequest(`error converting YAML to JSON: ${(e as Error).message}`);
  }
}

/** The body as a JSON object (not an array, not a scalar), or BadRequest. */
export function decodeObjectBody(req: FastifyRequest): Record<string, unknown> {
  const body = decodeBody(req);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('the body of the request must be a JSON or YAML object');
  }
  return body as Record<string, unknown>;
}

/** What kubectl get asks for: `application/json;as=Table;v=v1;g=meta.k8s.io,…`. */
export function wantsTable(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return accept.split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io') && (params.includes('v=v1') || params.includes('v=v1beta1'));
  });
}

/** How much of each object a Table row carries (`?includeObject=`); kubectl never sends it, so Metadata. */
export function includeObject(query: Record<string, string | undefined>): 'None' | 'Metadata' | 'Object' {
  const v = query.includeObject;
  if (v === undefined || v === '' || v === 'Metadata') return 'Metadata';
  if (v === 'None' || v === 'Object') return v;
  throw badRequest(`unsupported includeObject value "${v}": allowed values are None, Metadata, Object`);
}

/** Aggregated discovery is served only when Accept names it (kubectl-surface.md §1.2). */
export function wantsAggregatedDiscovery(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('as=APIGroupDiscoveryList');
}

/** True when the client's first choice is YAML (kube-apiserver serves application/yaml replies). */
export function wantsYaml(req: FastifyRequest): boolean {
  const first = (req.headers.accept ?? '').split(',')[0].split(';')[0].trim().toLowerCase();
  return first === 'application/yaml';
}

/** A JSON reply body re-encoded as YAML. */
export function jsonToYaml(payload: string): string {
  return stringifyYaml(JSON.parse(payload));
}
