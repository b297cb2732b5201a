// StatefulSet admission: apps/v1 SetDefaults_StatefulSet (OrderedReady, RollingUpdate with
// partition 0, PVC retention Retain/Retain, replicas 1, revisionHistoryLimit 10) and
// ValidateStatefulSet(Update) — most of the spec is fixed after creation.

import { forbidden, invalidValue, type FieldCause } from '../field-errors.ts';
import { deepEqual } from '../metadata.ts';
import type { KObject } from '../object.ts';
import { defaultPodTemplate } from './pod-spec.ts';
import { defaultClaim } from './persistentvolumeclaim.ts';
import { ensure, fill, list, rec, type Fields, type KindRules } from './types.ts';
import { SPEC, validateNonNegative, validateSelectorAndTemplate } from './workload.ts';

const POD_MANAGEMENT = ['OrderedReady', 'Parallel'];
const UPDATE_STRATEGIES = ['RollingUpdate', 'OnDelete'];
const MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

function defaults(obj: KObject): void {
  const spec = ensure(obj, 'spec');
  fill(spec, 'podManagementPolicy', 'OrderedReady');
  const strategy = ensure(spec, 'updateStrategy');
  fill(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') fill(ensure(strategy, 'rollingUpdate'), 'partition', 0);
  const retention = ensure(spec, 'persistentVolumeClaimRetentionPolicy');
  fill(retention, 'whenDeleted', 'Retain');
  fill(retention, 'whenScaled', 'Retain');
  fill(spec, 'replicas', 1);
  fill(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(rec(spec.template));
  // Claim templates are whole PersistentVolumeClaims: typed, and defaulted as claims are.
  for (const claim of list(spec.volumeClaimTemplates)) {
    if (!rec(claim)) continue;
    fill(claim as Fields, 'apiVersion', 'v1');
    fill(claim as Fields, 'kind', 'PersistentVolumeClaim');
    defaultClaim(claim as Fields);
  }
}

function validate(obj: KObject): FieldCause[] {
  const spec = rec(obj.spec) ?? {};
  const causes = validateNonNegative(spec, ['replicas', 'minReadySeconds', 'revisionHistoryLimit']);
  causes.push(...validateSelectorAndTemplate(withClaimVolumes(spec), { kindWord: 'statefulset' }));
  // ValidateStatefulSetSpec words these as Invalid values, not NotSupported.
  if (!POD_MANAGEMENT.includes(spec.podManagementPolicy)) {
    causes.push(invalidValue(SPEC.child('podManagementPolicy'), spec.podManagementPolicy ?? '', "must be 'OrderedReady' or 'Parallel'"));
  }
  const strategy = rec(spec.updateStrategy) ?? {};
  if (!UPDATE_STRATEGIES.includes(strategy.type)) {
    causes.push(invalidValue(SPEC.child('updateStrategy'), strategy, "must be 'RollingUpdate' or 'OnDelete'"));
  } else if (strategy.type === 'OnDelete' && strategy.rollingUpdate !== undefined) {
    causes.push(invalidValue(SPEC.child('updateStrategy').child('rollingUpdate'), strategy.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  }
  return causes;
}

/**
 * The spec as its pods will be: the controller adds a volume for each claim template, so a template's
 * mount may name one ({name: data} mounted, claim template data, no pod volume data). Kubernetes skips
 * the PodSpec of a StatefulSet for this reason (ValidatePodTemplateSpecForStatefulSet's TODO); here
 * the spec is checked with that union of volumes.
 */
function withClaimVolumes(spec: Fields): Fields {
  const template = rec(spec.template);
  const podSpec = rec(template?.spec);
  const claims = list(spec.volumeClaimTemplates).map((c) => rec(rec(c)?.metadata)?.name).filter((n): n is string => typeof n === 'string' && n !== '');
  if (!template || !podSpec || claims.length === 0) return spec;
  // A pod volume of the same name is replaced by the claim's in each pod (updateStorage), not doubled.
  const own = new Set(list(podSpec.volumes).map((v) => rec(v)?.name));
  const claimVolumes = claims.filter((name) => !own.has(name)).map((name) => ({ name, persistentVolumeClaim: { claimName: name } }));
  return { ...spec, template: { ...template, spec: { ...podSpec, volumes: [...list(podSpec.volumes), ...claimVolumes] } } };
}

/** ValidateStatefulSetUpdate: only the MUTABLE fields of the spec may change. */
function validateUpdate(obj: KObject, old: KObject): FieldCause[] {
  const strip = (spec: unknown) => Object.fromEntries(Object.entries(rec(spec) ?? {}).filter(([k]) => !MUTABLE.includes(k)));
  if (deepEqual(strip(obj.spec), strip(old.spec))) return [];
  const fields = MUTABLE.slice(0, -1).map((f) => `'${f}'`).join(', ');
  return [forbidden(SPEC, `updates to statefulset spec for fields other than ${fields} and '${MUTABLE[MUTABLE.length - 1]}' are forbidden`)];
}

export const statefulSetRules: KindRules = { defaults, validate, validateUpdate };
