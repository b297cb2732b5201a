// DaemonSet admission: apps/v1 SetDefaults_DaemonSet (RollingUpdate with maxUnavailable 1 and
// maxSurge 0, revisionHistoryLimit 10) and ValidateDaemonSet(Update).

import { invalidValue, notSupported, required, type FieldCause, type FieldPath } from '../field-errors.ts';
import type { KObject } from '../object.ts';
import { validateIntOrPercent } from './deployment.ts';
import { defaultPodTemplate } from './pod-spec.ts';
import { ensure, fill, rec, type Fields, type KindRules } from './types.ts';
import { SPEC, validateNonNegative, validateSelectorAndTemplate, validateSelectorImmutable } from './workload.ts';

const UPDATE_STRATEGIES = ['OnDelete', 'RollingUpdate'];

function defaults(obj: KObject): void {
  const spec = ensure(obj, 'spec');
  const strategy = ensure(spec, 'updateStrategy');
  fill(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rolling = ensure(strategy, 'rollingUpdate');
    fill(rolling, 'maxUnavailable', 1);
    fill(rolling, 'maxSurge', 0);
  }
  fill(spec, 'revisionHistoryLimit', 10);
  defaultPodTemplate(rec(spec.template));
}

function validate(obj: KObject): FieldCause[] {
  const spec = rec(obj.spec) ?? {};
  const causes = validateNonNegative(spec, ['minReadySeconds', 'revisionHistoryLimit']);
  causes.push(...validateSelectorAndTemplate(spec, { kindWord: 'daemonset' }));
  const strategy = rec(spec.updateStrategy) ?? {};
  const at = SPEC.child('updateStrategy');
  if (!UPDATE_STRATEGIES.includes(strategy.type)) causes.push(notSupported(at.child('type'), strategy.type ?? '', UPDATE_STRATEGIES));
  const rolling = rec(strategy.rollingUpdate);
  if (rolling) causes.push(...validateRollingUpdate(rolling, at.child('rollingUpdate')));
  return causes;
}

/** ValidateRollingUpdateDaemonSet: each a count or a percentage up to 100%, and exactly one of them non-zero. */
function validateRollingUpdate(rolling: Fields, at: FieldPath): FieldCause[] {
  const causes = [...validateIntOrPercent(rolling.maxUnavailable, at.child('maxUnavailable'), true), ...validateIntOrPercent(rolling.maxSurge, at.child('maxSurge'), true)];
  const nonZero = (v: unknown) => v !== undefined && v !== 0 && v !== '0%';
  if (nonZero(rolling.maxUnavailable) && nonZero(rolling.maxSurge)) causes.push(invalidValue(at.child('maxSurge'), rolling.maxSurge, 'may not be set when maxUnavailable is non-zero'));
  if (!nonZero(rolling.maxUnavailable) && !nonZero(rolling.maxSurge)) causes.push(required(at.child('maxUnavailable'), 'cannot be 0 when maxSurge is 0'));
  return causes;
}

export const daemonSetRules: KindRules = { defaults, validate, validateUpdate: validateSelectorImmutable };
