// PodDisruptionBudget admission (policy/v1): ValidatePodDisruptionBudgetSpec — minAvailable or
// maxUnavailable (not both), each a non-negative integer or a percentage up to 100%, a valid selector
// and a known unhealthyPodEvictionPolicy.

import { FieldPath, invalidValue, notSupported, type FieldCause } from '../field-errors.ts';
import type { KObject } from '../object.ts';
import { validateIntOrPercent } from './deployment.ts';
import { rec, type KindRules } from './types.ts';
import { validateLabelSelector } from './workload.ts';

const SPEC = FieldPath.root('spec');
const EVICTION_POLICIES = ['AlwaysAllow', 'IfHealthyBudget'];

function validate(obj: KObject): FieldCause[] {
  const spec = rec(obj.spec) ?? {};
  const causes: FieldCause[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    causes.push(invalidValue(SPEC, spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const key of ['minAvailable', 'maxUnavailable']) causes.push(...validateIntOrPercent(spec[key], SPEC.child(key), true));
  const selector = rec(spec.selector);
  if (selector) causes.push(...validateLabelSelector(selector, SPEC.child('selector')));
  const policy = spec.unhealthyPodEvictionPolicy;
  if (policy !== undefined && !EVICTION_POLICIES.includes(policy)) causes.push(notSupported(SPEC.child('unhealthyPodEvictionPolicy'), policy, EVICTION_POLICIES));
  return causes;
}

export const podDisruptionBudgetRules: KindRules = { validate };
