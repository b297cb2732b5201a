// Server-set object metadata: what the registry stamps on an object when a write is committed
// (Kubernetes: rest.BeforeCreate / BeforeUpdate and the storage layer's resourceVersion). Pure: the
// store passes the revision, the commit time and the seed, so the same inputs give the same object.
//
// metadata.generation is stamped only on the kinds whose Kubernetes registry strategy sets it (see
// GENERATION below); a ConfigMap, Secret, Service or Namespace carries none.
//
// Worked example — create of {metadata: {generateName: "web-", namespace: "default"}} committed as
// rev 42 at 2026-01-01T00:00:00Z with seed 0 becomes
//   {name: "web-x7k2q", namespace: "default", uid: uidFor(0, 42, "v1/pods|default|web-x7k2q"),
//    creationTimestamp: "2026-01-01T00:00:00Z", generation: 1, resourceVersion: "42"}
// and a later update at rev 50 that changes only status keeps uid, creationTimestamp and
// generation 1, and gets resourceVersion "50"; one that changes spec gets generation 2.

import { rfc3339 } from './clock.ts';
import type { KObject } from './object.ts';
import { nameSuffix, uidFor } from './random.ts';

/**
 * Storage keys of the kinds with a metadata.generation: those whose registry strategy sets
 * Generation = 1 in PrepareForCreate and moves it on a spec change (workloads, jobs, ingresses and
 * ingress classes, network policies, PDBs, HPAs, endpoint slices). Pods get one too, as from 1.33
 * (PodObservedGenerationTracking); the scheduler's cache tells spec changes by it. Any other kind
 * has none — and `kubectl get cm -o yaml > f; kubectl apply -f f` would otherwise save a generation
 * in last-applied that the next data change makes stale, so every later apply says "configured".
 */
const GENERATION = new Set([
  'apps/v1/deployments', 'apps/v1/replicasets', 'apps/v1/statefulsets', 'apps/v1/daemonsets', 'v1/replicationcontrollers',
  'v1/pods', 'batch/v1/jobs', 'batch/v1/cronjobs', 'networking.k8s.io/v1/ingresses', 'networking.k8s.io/v1/ingressclasses',
  'networking.k8s.io/v1/networkpolicies', 'policy/v1/poddisruptionbudgets', 'autoscaling/v2/horizontalpodautoscalers',
  'discovery.k8s.io/v1/endpointslices',
]);

export interface StampContext {
  /** The revision this write will get (also its resourceVersion). */
  rev: number;
  /** Commit time (ms). */
  ts: number;
  /** Seed for generated names and uids. */
  seed: number;
  /** Storage resource key, e.g. "v1/pods" (part of the uid derivation). */
  res: string;
}

/**
 * metadata.name, generating it from metadata.generateName (+5 random chars) when absent. `attempt`
 * draws another suffix when the first one is taken (kube-apiserver retries a generated name that
 * collides instead of failing: RetryGenerateName, on by default since 1.31).
 */
export function resolveName(obj: KObject, ctx: StampContext, attempt = 0): string | undefined {
  const m = obj.metadata;
  if (m.name) return m.name;
  if (!m.generateName) return undefined;
  const key = `${ctx.res}|${m.namespace ?? ''}|${m.generateName}`;
  return m.generateName + nameSuffix(ctx.seed, ctx.rev, attempt === 0 ? key : `${key}|${attempt}`);
}

/**
 * The object as stored by a create: name, uid, creationTimestamp, generation 1 (GENERATION) and resourceVersion
 * set on a new top-level object and a new metadata. Nested values (spec, labels…) are shared with
 * `obj`, not copied: the store takes ownership of them (store/store.ts, commit).
 */
export function stampCreate(obj: KObject, ctx: StampContext, name = resolveName(obj, ctx), key?: string): KObject {
  const m = ownCopy(obj.metadata);
  m.name = name;
  // `key`: the caller's "res|ns|name" of this object (core/object.ts keyString), the uid's input.
  m.uid = uidFor(ctx.seed, ctx.rev, key ?? `${ctx.res}|${m.namespace ?? ''}|${m.name}`);
  m.creationTimestamp = timestamp(ctx.ts);
  if (GENERATION.has(ctx.res)) m.generation = 1;
  else if (m.generation !== undefined) delete m.generation;
  m.resourceVersion = String(ctx.rev);
  return { ...obj, metadata: m };
}

/**
 * The object as stored by an update or patch of `old`: identity fields are kept from `old` (a client
 * cannot change uid, name, namespace or creationTimestamp), generation is bumped only when the spec
 * part changed, resourceVersion is the new rev. `next` is not modified (nested values are shared, as
 * in stampCreate).
 */
export function stampUpdate(next: KObject, old: KObject, ctx: StampContext): KObject {
  const m = ownCopy(next.metadata);
  const out = { ...next, metadata: m };
  const o = old.metadata;
  m.name = o.name;
  if (o.namespace !== undefined) m.namespace = o.namespace;
  else delete m.namespace;
  m.uid = o.uid;
  m.creationTimestamp = o.creationTimestamp;
  // Once set, deletionTimestamp can only stay (Kubernetes ignores attempts to clear it).
  if (o.deletionTimestamp !== undefined) m.deletionTimestamp = o.deletionTimestamp;
  if (GENERATION.has(ctx.res)) {
    const gen = o.generation ?? 1;
    m.generation = specChanged(out, old) ? gen + 1 : gen;
  } else if (m.generation !== undefined) delete m.generation;
  m.resourceVersion = String(ctx.rev);
  return out;
}

/** The last state of a deleted object, as carried by its DELETED event: resourceVersion = the delete's rev. */
export function stampDelete(old: KObject, ctx: StampContext): KObject {
  const m = ownCopy(old.metadata);
  m.resourceVersion = String(ctx.rev);
  return { ...old, metadata: m };
}

/**
 * A shallow copy to add stamped fields to. Object.assign, not a spread: on Node 20 each property
 * added to an object made by `{...x}` cost ~0.7 µs (V8 reuses no map transition for it), 20× the
 * copy itself, and left an object that msgpackr then encoded 25 % slower (the store's write path
 * measured 4.4 → 0.3 µs per create for stamping, 6.3 → 4.8 µs for encoding).
 */
function ownCopy<T extends object>(v: T): T {
  return Object.assign({}, v);
}

/**
 * Kubernetes' generation rule for kinds with a spec: the generation moves when anything outside
 * metadata and status changes (spec, data, rules, …), never for metadata or status alone.
 */
export function specChanged(a: KObject, b: KObject): boolean {
  for (const k in a) if (Object.hasOwn(a, k) && k !== 'metadata' && k !== 'status' && !deepEqual(a[k], b[k])) return true;
  for (const k in b) if (Object.hasOwn(b, k) && !Object.hasOwn(a, k) && k !== 'metadata' && k !== 'status' && !deepEqual(a[k], b[k])) return true;
  return false;
}

/**
 * True when an update leaves the object with a deletionTimestamp, a deletion grace period of 0 and no
 * finalizers: the registry then deletes it (the last finalizer removed ends the deletion). As in
 * genericregistry's ShouldDeleteDuringUpdate, a pod still in its grace period (> 0, waiting for the
 * kubelet) or a namespace being emptied (no grace period set) is not deleted by an update.
 */
export function deletionComplete(obj: KObject): boolean {
  const m = obj.metadata;
  return m.deletionTimestamp !== undefined && m.deletionGracePeriodSeconds === 0 && (m.finalizers?.length ?? 0) === 0;
}

// A batch stamps hundreds of objects with one commit time: format it once.
let lastTs = NaN;
let lastStamp = '';
function timestamp(ms: number): string {
  if (ms !== lastTs) {
    lastTs = ms;
    lastStamp = rfc3339(ms);
  }
  return lastStamp;
}

/** `obj` with the resourceVersion `of` has (an update's result compared with, or shown as, the stored object). */
export function withVersionOf(obj: KObject, of: KObject): KObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: of.metadata.resourceVersion } };
}

/** Structural equality of JSON data (objects, arrays, primitives); key order does not matter. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    if (a.length !== bb.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], bb[i])) return false;
    return true;
  }
  // Without a key array per level: every update of a kind with a generation compares the old and new
  // spec with this (stampUpdate of a pod, 10,000 pods: 5.5 → 2.8–3.5 µs).
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let defined = 0; // a's defined own keys, less b's: each of a's must match, so equal counts mean equal sets
  for (const k in ao) {
    if (!Object.hasOwn(ao, k) || ao[k] === undefined) continue;
    if (!deepEqual(ao[k], bo[k])) return false;
    defined++;
  }
  for (const k in bo) if (Object.hasOwn(bo, k) && bo[k] !== undefined) defined--;
  return defined === 0;
}
