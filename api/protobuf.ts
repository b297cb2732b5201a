// Kubernetes protobuf request bodies (kubectl-surface.md §1.7): kubectl 1.32's typed clients send
// `create <generator>`, `autoscale`, `auth can-i [--list]`, `auth whoami` and `debug --copy-to`
// bodies as application/vnd.kubernetes.protobuf.
// Layout: the magic "k8s\0", then a runtime.Unknown whose typeMeta names the kind and whose `raw`
// holds the object message. Messages come from api/k8s-subset.proto (protobufjs).
//
// gogo-protobuf writes every non-pointer scalar, so bodies are full of "", 0 and false; they are
// dropped as the omitempty JSON tags would, while fields marked (ptr) keep an explicit zero
// (`replicas: 0`). Special types become their JSON forms: Time → RFC 3339, IntOrString → number or
// string, Quantity → string, bytes → base64; (inline) fields merge into their parent.

import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import type { KObject } from '../core/object.ts';
import { badRequest, unsupportedBody } from '../core/errors.ts';

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);
const root = protobuf.parse(readFileSync(new URL('./k8s-subset.proto', import.meta.url), 'utf8'), { keepCase: true }).root;
const type = (name: string) => root.lookupType(`k8s.${name}`);

/** apiVersion/kind → message. */
const MESSAGES: Record<string, string> = {
  'v1/Namespace': 'Namespace',
  'v1/Pod': 'Pod',
  'v1/ConfigMap': 'ConfigMap',
  'v1/Secret': 'Secret',
  'v1/ServiceAccount': 'ServiceAccount',
  'v1/Service': 'Service',
  'v1/ResourceQuota': 'ResourceQuota',
  'apps/v1/Deployment': 'Deployment',
  'batch/v1/Job': 'Job',
  'batch/v1/CronJob': 'CronJob',
  'networking.k8s.io/v1/Ingress': 'Ingress',
  'rbac.authorization.k8s.io/v1/Role': 'Role',
  'rbac.authorization.k8s.io/v1/ClusterRole': 'ClusterRole',
  'rbac.authorization.k8s.io/v1/RoleBinding': 'RoleBinding',
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': 'RoleBinding',
  'policy/v1/PodDisruptionBudget': 'PodDisruptionBudget',
  'autoscaling/v1/HorizontalPodAutoscaler': 'HorizontalPodAutoscalerV1',
  'authorization.k8s.io/v1/SelfSubjectAccessReview': 'SelfSubjectAccessReview',
  'authorization.k8s.io/v1/SelfSubjectRulesReview': 'SelfSubjectRulesReview',
  'authentication.k8s.io/v1/SelfSubjectReview': 'SelfSubjectReview',
};

type Json = Record<string, unknown>;

const isEmptyObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0;

/** metav1.Time {seconds, nanos} → "2026-01-01T00:00:00Z"; the zero time is absent (JSON null). */
function time(v: Json): string | undefined {
  const seconds = Number(v.seconds ?? 0);
  return seconds === 0 ? undefined : new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Convert one decoded value of a field of protobuf type `fieldType` to its JSON form. */
function convertValue(value: unknown, fieldType: string, resolved: protobuf.ReflectionObject | null): unknown {
  if (!(resolved instanceof protobuf.Type) || typeof value !== 'object' || value === null) return value;
  const v = value as Json;
  switch (fieldType) {
    case 'Time':
      return time(v);
    case 'IntOrString':
      return Number(v.type ?? 0) === 1 ? (v.strVal ?? '') : (v.intVal ?? 0);
    case 'Quantity':
      return v.string ?? '';
    default:
      return convertMessage(v, resolved);
  }
}

/** A decoded message as JSON: special types converted, zero values dropped, inline fields merged. */
function convertMessage(msg: Json, t: protobuf.Type): Json {
  const out: Json = {};
  for (const field of t.fieldsArray) {
    if (!(field.name in msg)) continue;
    const ptr = field.options?.['(ptr)'] === true;
    const raw = msg[field.name];
    const one = (x: unknown) => convertValue(x, field.type, field.resolvedType);
    let value: unknown;
    if (field.map) value = Object.fromEntries(Object.entries(raw as Json).map(([k, x]) => [k, one(x)]));
    else if (field.repeated) value = (raw as unknown[]).map(one);
    else value = one(raw);
    if (field.options?.['(inline)'] === true && value && typeof value === 'object') {
      Object.assign(out, value);
      continue;
    }
    if (value === undefined || (!ptr && (value === '' || value === 0 || value === false))) continue;
    if ((field.map || field.repeated) && isEmptyObject(value)) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    out[field.name] = value;
  }
  return out;
}

/** Run a read of wire bytes; malformed bytes are the client's error (400). */
function parseWire<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw badRequest(`unable to decode protobuf body: ${(e as Error).message}`);
  }
}

/** Wire bytes → the message as protobufjs sees it. */
function parseMessage(t: protobuf.Type, bytes: Uint8Array, opts: protobuf.IConversionOptions): Json {
  return parseWire(() => t.toObject(t.decode(bytes), opts) as Json);
}

/**
 * The first field on the wire that the .proto subset does not declare ("Container.10"), searched
 * through nested messages. Such a body is refused rather than decoded with the field silently lost.
 */
function undeclaredField(t: protobuf.Type, bytes: Uint8Array): string | undefined {
  const reader = protobuf.Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = t.fieldsById[tag >>> 3];
    if (!field) return `${t.name}.${tag >>> 3}`;
    const nested = field.resolvedType;
    if ((tag & 7) === 2 && !field.map && nested instanceof protobuf.Type && !SPECIAL.has(nested.name)) {
      const found = undeclaredField(nested, reader.bytes());
      if (found) return found;
    } else reader.skipType(tag & 7);
  }
  return undefined;
}

const SPECIAL = new Set(['Time', 'IntOrString', 'Quantity']);

/** Decode a `k8s\0`-prefixed protobuf body into a JSON object with apiVersion and kind. */
export function decodeProtobuf(body: Buffer): KObject {
  if (body.length < MAGIC.length || !body.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw badRequest('provided protobuf data is missing the "k8s\\x00" prefix');
  }
  const unknown = parseMessage(type('Unknown'), body.subarray(MAGIC.length), { bytes: Buffer });
  const meta = (unknown.typeMeta ?? {}) as { apiVersion?: string; kind?: string };
  const name = MESSAGES[`${meta.apiVersion}/${meta.kind}`];
  if (!name) throw unsupportedBody(`protobuf bodies of ${meta.apiVersion ?? ''}/${meta.kind ?? ''} are not supported; send the object as JSON`);
  const message = type(name);
  const raw = (unknown.raw as Buffer | undefined) ?? Buffer.alloc(0);
  const undeclared = parseWire(() => undeclaredField(message, raw));
  if (undeclared) throw unsupportedBody(`protobuf field ${undeclared} is not supported; send the object as JSON`);
  const obj = convertMessage(parseMessage(message, raw, { longs: Number, bytes: String }), message);
  // status is ignored on create; kubectl's bodies carry only an empty one.
  delete obj.status;
  return { apiVersion: meta.apiVersion!, kind: meta.kind!, ...obj, metadata: (obj.metadata as KObject['metadata'] | undefined) ?? {} };
}
