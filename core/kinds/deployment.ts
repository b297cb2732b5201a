// Deployment admission: apps/v1 SetDefaults_Deployment and ValidateDeployment(Update).
//
// Worked example — the seed's `spec: {replicas: 3, selector: {matchLabels: {app: my-app}},
// template: …}` gains strategy {type: RollingUpdate, rollingUpdate: {maxSurge: "25%",
// maxUnavailable: "25%"}}, revisionHistoryLimit 10 and progressDeadlineSeconds 600; its template
// gets the PodSpec defaults (core/kinds/pod-spec.ts).

import { FieldPath, forbidden, invalidEach, invalidValue, notSupported, type FieldCause } from '../field-errors.ts';
import type { KObject } from '../object.ts';
import { defaultPodTemplate } from './pod-spec.ts';
import { ensure, fill, rec, type Fields, type KindRules } from './types.ts';
import { SPEC, validateNonNegative, validateSelectorAndTemplate, validateSelectorImmutable } from './workload.ts';

const STRATEGIES = ['Recreate', 'RollingUpdate'];
const ROLLING = SPEC.child('strategy').child('rollingUpdate');

function defaults(obj: KObject): void {
  const spec = ensure(obj, 'spec');
  fill(spec, 'replicas', 1);
  const strategy = ensure(spec, 'strategy');
  fill(strategy, 'type', 'RollingUpdate');
  if (strategy.type === 'RollingUpdate') {
    const rolling = ensure(strategy, 'rollingUpdate');
    fill(rolling, 'maxUnavailable', '25%');
    fill(rolling, 'maxSurge', '25%');
  }
  fill(spec, 'revisionHistoryLimit', 10);
  fill(spec, 'progressDeadlineSeconds', 600);
  defaultPodTemplate(rec(spec.template));
}

/** An int-or-percent is 0 when it is 0 or "0%" (the surge/unavailable pair may not both be 0). */
const isZero = (v: unknown) => v === 0 || v === '0%';

/** ValidatePositiveIntOrPercent and IsNotMoreThan100Percent. */
export function validateIntOrPercent(v: unknown, path: FieldPath, max100: boolean): FieldCause[] {
  if (v === undefined) return [];
  if (typeof v === 'string') {
    if (!/^[0-9]+%$/.test(v)) {
      return invalidEach(path, v, ["a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"]);
    }
    return max100 && parseInt(v, 10) > 100 ? invalidEach(path, v, ['must not be greater than 100%']) : [];
  }
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? [] : invalidEach(path, v, ['must be greater than or equal to 0']);
}

function validateStrategy(strategy: Fields): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!STRATEGIES.includes(strategy.type)) causes.push(notSupported(SPEC.child('strategy').child('type'), strategy.type ?? '', STRATEGIES));
  const rolling = rec(strategy.rollingUpdate);
  if (strategy.type === 'Recreate' && rolling) causes.push(forbidden(ROLLING, "may not be specified when strategy `type` is 'Recreate'"));
  if (strategy.type !== 'RollingUpdate' || !rolling) return causes;
  causes.push(...validateIntOrPercent(rolling.maxUnavailable, ROLLING.child('maxUnavailable'), true));
  causes.push(...validateIntOrPercent(rolling.maxSurge, ROLLING.child('maxSurge'), false));
  if (isZero(rolling.maxUnavailable) && isZero(rolling.maxSurge)) {
    causes.push(invalidValue(ROLLING.child('maxUnavailable'), rolling.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
  }
  return causes;
}

function validate(obj: KObject): FieldCause[] {
  const spec = rec(obj.spec) ?? {};
  const causes = validateNonNegative(spec, ['replicas', 'minReadySeconds', 'revisionHistoryLimit']);
  causes.push(...validateSelectorAndTemplate(spec, { kindWord: 'deployment' }));
  causes.push(...validateStrategy(rec(spec.strategy) ?? {}));
  const deadline = spec.progressDeadlineSeconds;
  if (typeof deadline === 'number' && deadline <= (spec.minReadySeconds ?? 0)) {
    causes.push(invalidValue(SPEC.child('progressDeadlineSeconds'), deadline, 'must be greater than minReadySeconds'));
  }
  return causes;
}

export const deploymentRules: KindRules = { defaults, validate, validateUpdate: validateSelectorImmutable };
