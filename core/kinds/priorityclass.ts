// PriorityClass admission (scheduling.k8s.io/v1): SetDefaults_PriorityClass (preemptionPolicy
// PreemptLowerPriority) and ValidatePriorityClass(Update) — a user class is at most 1000000000, the
// "system-" prefix belongs to the built-in classes, and value and preemptionPolicy never change.

import { FieldPath, forbidden, invalidValue, notSupported, type FieldCause } from '../field-errors.ts';
import type { KObject } from '../object.ts';
import { SYSTEM_PRIORITY_CLASSES } from '../priority.ts';
import type { Fields, KindRules } from './types.ts';

const HIGHEST_USER_DEFINABLE = 1_000_000_000;
const PREEMPTION_POLICIES = ['PreemptLowerPriority', 'Never'];

function defaults(obj: KObject): void {
  (obj as Fields).preemptionPolicy ??= 'PreemptLowerPriority';
}

/** IsKnownSystemPriorityClass's verdict on a "system-" name, or undefined when it is one. */
function systemClassError(name: string, value: unknown, globalDefault: unknown): string | undefined {
  const known = SYSTEM_PRIORITY_CLASSES[name];
  if (known === undefined) return `${name} is not a known system priority class`;
  if (value !== known) return `value of ${name} PriorityClass must be ${known}`;
  return globalDefault === true ? `globalDefault of ${name} PriorityClass must be false` : undefined;
}

function validate(obj: KObject): FieldCause[] {
  const pc = obj as Fields;
  const name = String(obj.metadata.name ?? '');
  const causes: FieldCause[] = [];
  if (name.startsWith('system-')) {
    const error = systemClassError(name, pc.value ?? 0, pc.globalDefault);
    if (error) causes.push(forbidden(FieldPath.root('metadata').child('name'), `priority class names with 'system-' prefix are reserved for system use only. error: ${error}`));
  } else if (Number(pc.value ?? 0) > HIGHEST_USER_DEFINABLE) {
    causes.push(forbidden(FieldPath.root('value'), `maximum allowed value of a user defined priority is ${HIGHEST_USER_DEFINABLE}`));
  }
  if (!PREEMPTION_POLICIES.includes(pc.preemptionPolicy)) causes.push(notSupported(FieldPath.root('preemptionPolicy'), pc.preemptionPolicy, PREEMPTION_POLICIES));
  return causes;
}

function validateUpdate(obj: KObject, old: KObject): FieldCause[] {
  const [now, before] = [obj as Fields, old as Fields];
  const causes: FieldCause[] = [];
  if ((now.value ?? 0) !== (before.value ?? 0)) causes.push(forbidden(FieldPath.root('value'), 'may not be changed in an update.'));
  if (now.preemptionPolicy !== before.preemptionPolicy) causes.push(invalidValue(FieldPath.root('preemptionPolicy'), now.preemptionPolicy, 'field is immutable'));
  return causes;
}

export const priorityClassRules: KindRules = { defaults, validate, validateUpdate };
