// Ephemeral containers — what `kubectl debug POD --image=busybox` adds to a running pod. They come
// only through the pod's ephemeralcontainers subresource (never on create, never by updating the pod)
// and, once added, are never changed or removed. The rules follow pkg/apis/core/validation:
// validateEphemeralContainers (part of ValidatePodSpec) and ValidatePodEphemeralContainersUpdate.
//
// Worked example — a pod with container "web" and ephemeral containers [{name: "debugger-x7k2q",
// image: "busybox:1.36", targetContainerName: "web", ports: [{containerPort: 80}]}] is refused with
//   spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container
// and a later write that drops debugger-x7k2q with
//   spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger-x7k2q" may not be removed

import { deepEqual } from '../metadata.ts';
import { duplicate, FieldPath, forbidden, invalidEach, notFound, required, type FieldCause } from '../field-errors.ts';
import type { KObject } from '../object.ts';
import { isDNS1123Label } from '../names.ts';
import { validateContainerCommon } from './pod-spec.ts';
import { list, rec, type Fields } from './types.ts';

const SPEC = FieldPath.root('spec');
const NOT_ALLOWED = 'cannot be set for an Ephemeral Container';

/**
 * The Container fields an ephemeral container may not set (allowedEphemeralContainerFields: no
 * ports, resources, probes or lifecycle — nothing the pod's own services may come to rely on), in
 * the Go struct's field order, which is the order of the errors.
 */
const DISALLOWED_FIELDS = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'];

/**
 * validateFieldAllowList compares each field with Go's zero value: a pointer or slice is set when
 * present at all (`ports: []` too), the resources struct when it holds limits, requests or claims.
 */
function isSet(c: Fields, field: string): boolean {
  const v = c[field];
  if (field === 'resources') return ['limits', 'requests', 'claims'].some((k) => rec(v)?.[k] !== undefined && rec(v)?.[k] !== null);
  return v !== undefined && v !== null;
}

function validateEphemeralContainer(c: Fields, at: FieldPath, volumes: Set<string>): FieldCause[] {
  const causes: FieldCause[] = c.name ? invalidEach(at.child('name'), c.name, isDNS1123Label(String(c.name))) : [required(at.child('name'))];
  causes.push(...validateContainerCommon(c, at, volumes));
  causes.push(...DISALLOWED_FIELDS.filter((f) => isSet(c, f)).map((f) => forbidden(at.child(f), NOT_ALLOWED)));
  // subPath mounts are bind mounts that outlive the container until the pod exits.
  list(c.volumeMounts).forEach((raw, i) => {
    const mount = rec(raw) ?? {};
    for (const f of ['subPath', 'subPathExpr']) if (mount[f]) causes.push(forbidden(at.child('volumeMounts').index(i).child(f), NOT_ALLOWED));
  });
  return causes;
}

/**
 * validateEphemeralContainers: each one a valid container, named uniquely across every container of
 * the pod, targeting (targetContainerName, whose process namespace it joins) one of the pod's own
 * containers or init containers.
 */
export function validateEphemeralContainers(spec: Fields, path: FieldPath): FieldCause[] {
  const ephemeral = list(spec.ephemeralContainers);
  if (ephemeral.length === 0) return [];
  const others = new Set([...list(spec.containers), ...list(spec.initContainers)].map((c) => rec(c)?.name));
  const names = new Set(others);
  const volumes = new Set(list(spec.volumes).map((v) => String(rec(v)?.name ?? '')));
  return ephemeral.flatMap((raw, i) => {
    const c = rec(raw) ?? {};
    const at = path.child('ephemeralContainers').index(i);
    const causes = validateEphemeralContainer(c, at, volumes);
    if (names.has(c.name)) causes.push(duplicate(at.child('name'), c.name));
    else names.add(c.name);
    if (c.targetContainerName && !others.has(c.targetContainerName)) causes.push(notFound(at.child('targetContainerName'), c.targetContainerName));
    return causes;
  });
}

/** A cmp.Diff-like account of what changed in a container: one "-" and one "+" line per field. */
function changes(before: Fields, after: Fields): string {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((f) => !deepEqual(before[f], after[f]));
  return fields.map((f) => `- ${f}: ${JSON.stringify(before[f] ?? null)}\n+ ${f}: ${JSON.stringify(after[f] ?? null)}\n`).join('');
}

/**
 * ValidatePodEphemeralContainersUpdate, part 2: every existing ephemeral container is still there,
 * unchanged (a patch does not keep their order, so each is found by name). The messages end in a
 * newline, as Go's do.
 */
export function validateEphemeralContainersUpdate(obj: KObject, old: KObject): FieldCause[] {
  const at = SPEC.child('ephemeralContainers');
  const next = new Map(list(rec(obj.spec)?.ephemeralContainers).map((c) => [rec(c)?.name, rec(c) ?? {}]));
  return list(rec(old.spec)?.ephemeralContainers).flatMap((raw) => {
    const before = rec(raw) ?? {};
    const after = next.get(before.name);
    if (!after) return [forbidden(at, `existing ephemeral containers ${JSON.stringify(before.name)} may not be removed\n`)];
    if (deepEqual(before, after)) return [];
    return [forbidden(at, `existing ephemeral containers ${JSON.stringify(before.name)} may not be changed\n${changes(before, after)}`)];
  });
}
