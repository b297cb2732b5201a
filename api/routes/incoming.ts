// An object in a request body, checked against the URL it was sent to and cleared of what a client
// may not set, as the apiserver's decoding and rest.BeforeCreate/BeforeUpdate do.

import { badRequest } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { servedApiVersion, type Target } from './target.ts';

/** The body as an object of the target's kind, in its namespace; BadRequest for any mismatch. */
export function incomingObject(body: Record<string, unknown>, t: Target): KObject {
  const apiVersion = servedApiVersion(t);
  if (body.apiVersion !== undefined && body.apiVersion !== apiVersion) {
    throw badRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${apiVersion})`);
  }
  if (body.kind !== undefined && body.kind !== t.info.kind) {
    throw badRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (${t.info.kind})`);
  }
  const meta = body.metadata ?? {};
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw badRequest('metadata must be an object');
  const metadata = { ...(meta as Record<string, unknown>) };
  if (t.info.scope === 'Namespaced') {
    if (metadata.namespace !== undefined && metadata.namespace !== '' && t.ns !== undefined && metadata.namespace !== t.ns) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    metadata.namespace = t.ns ?? metadata.namespace;
  } else delete metadata.namespace;
  if (t.name !== undefined) {
    if (metadata.name !== undefined && metadata.name !== t.name) {
      throw badRequest(`the name of the object (${String(metadata.name)}) does not match the name on the URL (${t.name})`);
    }
    metadata.name = t.name;
  }
  // kubectl sends `creationTimestamp: null`; the server sets it (and uid, generation) itself.
  for (const k of ['creationTimestamp', 'uid', 'generation', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink']) delete metadata[k];
  return withoutNullMetadata({ ...body, apiVersion, kind: t.info.kind, metadata } as KObject);
}

/**
 * Go decodes `labels: null` (any null metadata field) to the zero value, which is then omitted; so
 * must we, or selectors and printers meet a null map. Mutates and returns `obj`.
 */
export function withoutNullMetadata(obj: KObject): KObject {
  for (const [k, v] of Object.entries(obj.metadata)) if (v === null) delete obj.metadata[k];
  return obj;
}

/** A create: also no resourceVersion (refused as by the apiserver) and no status where status is a subresource. */
export function objectToCreate(body: Record<string, unknown>, t: Target): KObject {
  const obj = incomingObject(body, t);
  if (obj.metadata.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
  delete obj.metadata.resourceVersion;
  // PrepareForCreate resets status for kinds whose status has its own endpoint; a Node keeps the
  // status it registers with (the simulated kubelet and users creating nodes from YAML rely on it).
  if (ownsStatus(t) && t.info.kind !== 'Node') delete obj.status;
  return obj;
}

/** True when status is written only through the /status subresource, so the main resource ignores it. */
export function ownsStatus(t: Target): boolean {
  return t.info.subresources.includes('status');
}

/** The main resource's write keeps the stored status (kubectl edit sends status changes too). */
export function withStatusOf(next: KObject, current: KObject, t: Target): KObject {
  if (!ownsStatus(t)) return next;
  const out: KObject = { ...next };
  if (current.status === undefined) delete out.status;
  else out.status = current.status;
  return out;
}

/** The /status subresource's write: everything from the stored object except status. */
export function withOnlyStatus(next: KObject, current: KObject): KObject {
  const out: KObject = structuredClone(current);
  if (next.status === undefined) delete out.status;
  else out.status = next.status;
  return out;
}
