// ReplicationController admission (core v1). Its selector is a plain label map, and when absent it
// defaults to the template's labels — as do the RC's own labels (SetDefaults_ReplicationController).
// Unlike apps/v1 kinds, the selector may change on update.

import { FieldPath, invalidValue, required, type FieldCause } from '../field-errors.ts';
import type { KObject } from '../object.ts';
import { validateLabels } from './meta.ts';
import { alwaysRestart, defaultPodTemplate, validatePodTemplate } from './pod-spec.ts';
import { ensure, fill, rec, type KindRules } from './types.ts';
import { validateNonNegative } from './workload.ts';

const SPEC = FieldPath.root('spec');

function defaults(obj: KObject): void {
  const spec = ensure(obj, 'spec');
  const labels = rec(rec(rec(spec.template)?.metadata)?.labels);
  if (labels) {
    if (Object.keys(rec(spec.selector) ?? {}).length === 0) spec.selector = { ...labels };
    if (Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...labels } as Record<string, string>;
  }
  fill(spec, 'replicas', 1);
  defaultPodTemplate(rec(spec.template));
}

function validate(obj: KObject): FieldCause[] {
  const spec = rec(obj.spec) ?? {};
  const selector = rec(spec.selector) ?? {};
  const causes = validateNonNegative(spec, ['replicas', 'minReadySeconds']);
  if (Object.keys(selector).length === 0) causes.push(required(SPEC.child('selector')));
  causes.push(...validateLabels(selector, SPEC.child('selector')));
  const template = rec(spec.template);
  const labels = rec(rec(template?.metadata)?.labels) ?? {};
  if (template && Object.entries(selector).some(([k, v]) => labels[k] !== v)) {
    causes.push(invalidValue(SPEC.child('template').child('metadata').child('labels'), labels, '`selector` does not match template `labels`'));
  }
  causes.push(...validatePodTemplate(template, SPEC.child('template'), alwaysRestart));
  return causes;
}

export const replicationControllerRules: KindRules = { defaults, validate };
