// The shape of a Kubernetes object as Rewind stores it. Deliberately loose: the API accepts every
// kind in the registry, and per-kind structure is checked by admission (core/admission.ts), not by
// the type system.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  managedFields?: unknown[];
  [field: string]: unknown;
}

export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Identifies one object in the store: the storage resource key plus namespace and name. */
export interface ObjectKey {
  /** Storage resource key, e.g. "apps/v1/deployments" or "v1/pods" (see core/registry.ts). */
  res: string;
  /** "" for cluster-scoped resources. */
  ns: string;
  name: string;
}

/** "res|ns|name": the one string form of an ObjectKey, used for maps and indexes. */
export function keyString(k: ObjectKey): string {
  return `${k.res}|${k.ns}|${k.name}`;
}

export function keyOf(res: string, obj: KObject): ObjectKey {
  return { res, ns: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
}

/** Structured clone for plain JSON data: objects handed out by the store must never alias its view. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}
