// Pod admission: SetDefaults_Pod on top of the shared PodSpec defaults, what the pod registry's
// PrepareForCreate sets (phase Pending, QoS class), and the admission plugins that touch every new
// pod — ServiceAccount ("default"), Priority (0) and DefaultTolerationSeconds (tolerate not-ready and
// unreachable nodes for 300s). Updates may change only a few spec fields (ValidatePodUpdate); the
// ephemeralcontainers subresource has rules of its own (podEphemeralContainersRules).

import { deepEqual } from '../metadata.ts';
import { FieldPath, forbidden, invalidValue, type FieldCause } from '../field-errors.ts';
import type { KObject } from '../object.ts';
import { parseQuantity } from '../quantity.ts';
import { validateEphemeralContainers, validateEphemeralContainersUpdate } from './ephemeral-containers.ts';
import { defaultPodSpec, validatePodSpec } from './pod-spec.ts';
import { ensure, fill, list, rec, type AdmitContext, type Fields, type KindRules } from './types.ts';

const SPEC = FieldPath.root('spec');

/** DefaultTolerationSeconds: evict from a not-ready or unreachable node after 5 minutes. */
const DEFAULT_TOLERATED_TAINTS = ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'];
const DEFAULT_TOLERATION_SECONDS = 300;

function addDefaultTolerations(spec: Fields): void {
  const tolerations = list(spec.tolerations).map((t) => rec(t) ?? {});
  for (const key of DEFAULT_TOLERATED_TAINTS) {
    // An existing toleration of the taint's NoExecute effect (or of every effect) wins.
    const tolerated = tolerations.some((t) => (t.key === key || (!t.key && t.operator === 'Exists')) && (!t.effect || t.effect === 'NoExecute'));
    if (!tolerated) tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: DEFAULT_TOLERATION_SECONDS });
  }
  spec.tolerations = tolerations;
}

/** SetDefaults_Pod: a container with limits but no requests requests its limits. */
export function requestsFromLimits(spec: Fields): void {
  for (const key of ['initContainers', 'containers']) {
    for (const c of list(spec[key])) {
      const resources = rec(rec(c)?.resources);
      const limits = rec(resources?.limits);
      if (!resources || !limits) continue;
      const requests = ensure(resources, 'requests');
      for (const [name, q] of Object.entries(limits)) fill(requests, name, q);
    }
  }
}

/**
 * qos.GetPodQOS: BestEffort when no container asks for cpu or memory, Guaranteed when every
 * container's cpu and memory requests equal its limits, else Burstable.
 */
export function qosClass(spec: Fields): string {
  const containers = [...list(spec.initContainers), ...list(spec.containers)].map((c) => rec(rec(c)?.resources) ?? {});
  const compute = (m: unknown) => ['cpu', 'memory'].filter((r) => rec(m)?.[r] !== undefined);
  if (containers.every((r) => compute(r.requests).length === 0 && compute(r.limits).length === 0)) return 'BestEffort';
  const guaranteed = containers.every(
    (r) => compute(r.limits).length === 2 && ['cpu', 'memory'].every((n) => parseQuantity(r.requests?.[n]) === parseQuantity(r.limits[n])),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function defaults(obj: KObject, ctx: { op: 'create' | 'update' }): void {
  const spec = ensure(obj, 'spec');
  if (ctx.op === 'create') requestsFromLimits(spec);
  defaultPodSpec(spec);
  fill(spec, 'enableServiceLinks', true);
  if (ctx.op !== 'create') return;
  // The ServiceAccount plugin names the namespace's default account; v1 mirrors it in the
  // deprecated serviceAccount field.
  fill(spec, 'serviceAccountName', spec.serviceAccount || 'default');
  fill(spec, 'serviceAccount', spec.serviceAccountName);
  if (!spec.priorityClassName) fill(spec, 'priority', 0);
  fill(spec, 'preemptionPolicy', 'PreemptLowerPriority');
  addDefaultTolerations(spec);
  const status = ensure(obj, 'status');
  fill(status, 'phase', 'Pending');
  fill(status, 'qosClass', qosClass(spec));
}

const UPDATABLE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,' +
  '`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),' +
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/**
 * ValidatePodUpdate: the spec is fixed once created, except container images, a lowered
 * activeDeadlineSeconds, added tolerations, and the node binding (the scheduler's binding sets
 * spec.nodeName once). Compare the new spec with the old one carrying those allowed changes.
 */
function validateUpdate(obj: KObject, old: KObject): FieldCause[] {
  const next = rec(obj.spec) ?? {};
  const prev = structuredClone(rec(old.spec) ?? {});
  for (const key of ['initContainers', 'containers']) {
    list(prev[key]).forEach((c, i) => {
      const image = rec(list(next[key])[i])?.image;
      if (rec(c) && image !== undefined) (c as Fields).image = image;
    });
  }
  for (const f of ['activeDeadlineSeconds', 'terminationGracePeriodSeconds', 'schedulingGates']) prev[f] = next[f];
  if (!prev.nodeName) prev.nodeName = next.nodeName;
  const oldTolerations = list(prev.tolerations);
  const kept = oldTolerations.every((t) => list(next.tolerations).some((n) => deepEqual(n, t)));
  if (kept) prev.tolerations = next.tolerations;
  const causes = deepEqual(prev, next) ? [] : [forbidden(SPEC, UPDATABLE)];
  return [...causes, ...validateDeadlineUpdate(rec(old.spec)?.activeDeadlineSeconds, next.activeDeadlineSeconds)];
}

/** An active deadline may be set, or shortened, but neither lengthened nor removed. */
function validateDeadlineUpdate(before: unknown, after: unknown): FieldCause[] {
  const at = SPEC.child('activeDeadlineSeconds');
  if (after === undefined || after === null) {
    return before === undefined || before === null ? [] : [invalidValue(at, null, 'must not update from a positive integer to nil value')];
  }
  if (typeof before === 'number' && typeof after === 'number' && after > before) return [invalidValue(at, after, 'must be less than or equal to previous value')];
  return [];
}

/** ValidatePodCreate: the pod spec, and no ephemeral containers yet (they come through the subresource). */
function validate(obj: KObject, ctx: AdmitContext): FieldCause[] {
  const spec = rec(obj.spec);
  const causes = [...validatePodSpec(spec, SPEC), ...validateEphemeralContainers(spec ?? {}, SPEC)];
  if (ctx.op === 'create' && list(spec?.ephemeralContainers).length > 0) causes.push(forbidden(SPEC.child('ephemeralContainers'), 'cannot be set on create'));
  return causes;
}

export const podRules: KindRules = { defaults, validate, validateUpdate };

/**
 * The pods/ephemeralcontainers subresource (podEphemeralContainersStrategy): the pod is validated
 * as a whole, and against the stored one only for its ephemeral containers — the route has kept
 * everything else as stored (dropNonEphemeralContainerUpdates).
 */
export const podEphemeralContainersRules: KindRules = { defaults, validate, validateUpdate: validateEphemeralContainersUpdate };
