// HorizontalPodAutoscaler admission, on the autoscaling/v2 storage form (autoscaling/v1 requests
// are converted first, core/conversion.ts): SetDefaults_HorizontalPodAutoscaler (minReplicas 1,
// 80% average CPU utilization when no metric is given, the scale-up and scale-down behavior rules
// filled in when a behavior is given) and ValidateHorizontalPodAutoscaler.

import { FieldPath, forbidden, invalidValue, notSupported, required, type FieldCause } from '../field-errors.ts';
import type { KObject } from '../object.ts';
import { ensure, fill, list, rec, type Fields, type KindRules } from './types.ts';

const SPEC = FieldPath.root('spec');
const METRIC_TYPES = ['ContainerResource', 'External', 'Object', 'Pods', 'Resource'];
const TARGET_TYPES = ['AverageValue', 'Utilization', 'Value'];

/** The metric an HPA without metrics scales on (autoscaling DefaultCPUUtilization). */
const DEFAULT_CPU_UTILIZATION = 80;

export const cpuUtilizationMetric = (averageUtilization: number) => ({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization } },
});

/** GenerateHPAScaleUpRules / GenerateHPAScaleDownRules: fill what a given behavior leaves out. */
function defaultBehavior(behavior: Fields): void {
  const up = ensure(behavior, 'scaleUp');
  fill(up, 'stabilizationWindowSeconds', 0);
  fill(up, 'selectPolicy', 'Max');
  if (list(up.policies).length === 0) {
    up.policies = [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ];
  }
  const down = ensure(behavior, 'scaleDown');
  fill(down, 'stabilizationWindowSeconds', 300);
  fill(down, 'selectPolicy', 'Max');
  if (list(down.policies).length === 0) down.policies = [{ type: 'Percent', value: 100, periodSeconds: 15 }];
}

function defaults(obj: KObject): void {
  const spec = ensure(obj, 'spec');
  fill(spec, 'minReplicas', 1);
  if (list(spec.metrics).length === 0) spec.metrics = [cpuUtilizationMetric(DEFAULT_CPU_UTILIZATION)];
  const behavior = rec(spec.behavior);
  if (behavior) defaultBehavior(behavior);
}

function validateMetric(m: Fields, at: FieldPath): FieldCause[] {
  if (!METRIC_TYPES.includes(m.type)) return [notSupported(at.child('type'), m.type ?? '', METRIC_TYPES)];
  const source = rec(m[m.type.charAt(0).toLowerCase() + m.type.slice(1)]);
  const sourcePath = at.child(m.type.charAt(0).toLowerCase() + m.type.slice(1));
  if (!source) return [required(sourcePath, 'must populate information for the given metric source')];
  const target = rec(source.target);
  if (!target) return [required(sourcePath.child('target'), 'must specify a metric target')];
  const causes: FieldCause[] = [];
  if (!TARGET_TYPES.includes(target.type)) causes.push(notSupported(sourcePath.child('target').child('type'), target.type ?? '', TARGET_TYPES));
  const util = target.averageUtilization;
  if (util !== undefined && !(typeof util === 'number' && util > 0)) {
    causes.push(invalidValue(sourcePath.child('target').child('averageUtilization'), util, 'must be greater than 0'));
  }
  causes.push(...validateTargetValue(m.type, target, sourcePath.child('target')));
  return causes;
}

/**
 * validate<Source>Source: the target states the number it aims at — a utilization or average for a
 * resource, an average per pod for a Pods metric, a value or average for an Object or External one.
 * `target: {type: Utilization}` alone would leave the autoscaler nothing to compare with.
 */
function validateTargetValue(type: string, target: Fields, at: FieldPath): FieldCause[] {
  const has = (f: string) => target[f] !== undefined && target[f] !== null;
  switch (type) {
    case 'Resource':
    case 'ContainerResource':
      if (!has('averageUtilization') && !has('averageValue')) return [required(at.child('averageUtilization'), 'must set either a target raw value or a target utilization')];
      if (has('averageUtilization') && has('averageValue')) return [forbidden(at.child('averageValue'), 'may not set both a target raw value and a target utilization')];
      return [];
    case 'Pods':
      return has('averageValue') ? [] : [required(at.child('averageValue'), 'must specify a positive target averageValue')];
    case 'Object':
      return has('value') || has('averageValue') ? [] : [required(at.child('averageValue'), 'must set either a target value or averageValue')];
    default:
      if (!has('value') && !has('averageValue')) return [required(at.child('averageValue'), 'must set either a target value for metric or a per-pod target')];
      return has('value') && has('averageValue') ? [forbidden(at.child('value'), 'may not set both a target value for metric and a per-pod target')] : [];
  }
}

function validate(obj: KObject): FieldCause[] {
  const spec = rec(obj.spec) ?? {};
  const causes: FieldCause[] = [];
  const ref = rec(spec.scaleTargetRef) ?? {};
  for (const f of ['kind', 'name']) if (!ref[f]) causes.push(required(SPEC.child('scaleTargetRef').child(f)));
  const [min, max] = [spec.minReplicas, spec.maxReplicas];
  if (typeof min !== 'number' || min < 1) causes.push(invalidValue(SPEC.child('minReplicas'), min ?? null, 'must be greater than or equal to 1'));
  if (typeof max !== 'number' || max < 1) causes.push(invalidValue(SPEC.child('maxReplicas'), max ?? null, 'must be greater than or equal to 1'));
  else if (typeof min === 'number' && max < min) causes.push(invalidValue(SPEC.child('maxReplicas'), max, 'must be greater than or equal to `minReplicas`'));
  list(spec.metrics).forEach((m, i) => causes.push(...validateMetric(rec(m) ?? {}, SPEC.child('metrics').index(i))));
  return causes;
}

export const horizontalPodAutoscalerRules: KindRules = { defaults, validate };
