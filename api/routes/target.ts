// Which resource a URL addresses. kube-apiserver's paths, after the group/version prefix
// (/api/v1 or /apis/<group>/<version>):
//
//   <plural>                              list, create, watch (cluster-scoped, or every namespace)
//   <plural>/<name>[/<sub>]               one cluster-scoped object (or its subresource)
//   namespaces/<ns>/<plural>              list, create, watch in one namespace
//   namespaces/<ns>/<plural>/<name>[/<sub>]
//
// "namespaces/<ns>/status" and "namespaces/<ns>/finalize" are the Namespace's own subresources, not
// lists: no resource is called "status" or "finalize", so the third segment decides.

import { pathNotFound, type ResourceRef } from '../../core/errors.ts';
import { lookupResource, type ResourceInfo } from '../../core/registry.ts';

export interface Target {
  info: ResourceInfo;
  /** The version in the URL (may differ from the storage version). */
  version: string;
  /** The namespace in the URL; undefined for cluster-scoped resources and all-namespace lists. */
  ns?: string;
  name?: string;
  sub?: string;
}

/** "apps/v1" or "v1": the apiVersion objects are served in at this target. */
export function servedApiVersion(t: Target): string {
  return t.info.group ? `${t.info.group}/${t.version}` : t.version;
}

/** The namespace an object at this target lives in ("" for cluster-scoped). */
export function objectNamespace(t: Target): string {
  return t.info.scope === 'Namespaced' ? (t.ns ?? '') : '';
}

/** Parse the segments after the group/version prefix; NotFound (as the apiserver) for any other shape. */
export function parseTarget(group: string, version: string, segments: string[]): Target {
  const s = segments.filter((x) => x !== '');
  const namespaced = s[0] === 'namespaces' && s.length >= 3 && !isNamespaceSubresource(s[2], group, version);
  const [ns, rest] = namespaced ? [s[1], s.slice(2)] : [undefined, s];
  if (rest.length < 1 || rest.length > 3) throw pathNotFound();
  const info = lookupResource(group, version, rest[0]);
  if (!info) throw pathNotFound();
  // A namespaced path to a cluster-scoped resource (or the reverse for one object) does not exist.
  if (namespaced && info.scope === 'Cluster') throw pathNotFound();
  if (!namespaced && info.scope === 'Namespaced' && rest.length > 1) throw pathNotFound();
  const [, name, sub] = rest;
  if (sub !== undefined && !info.subresources.includes(sub)) throw pathNotFound();
  return { info, version, ns, name, sub };
}

function isNamespaceSubresource(segment: string, group: string, version: string): boolean {
  const namespaces = lookupResource(group, version, 'namespaces');
  return namespaces !== undefined && namespaces.subresources.includes(segment);
}

/** How Status messages name the target's resource: `deployments.apps`, `pods`. */
export function refOf(t: Target): ResourceRef {
  return { group: t.info.group, resource: t.info.plural };
}
