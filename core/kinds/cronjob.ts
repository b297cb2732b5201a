// CronJob admission: batch/v1 SetDefaults_CronJob (concurrencyPolicy Allow, suspend false, history
// limits 3 and 1), PodSpec defaults inside the job template, and ValidateCronJob's schedule,
// policy and template checks.

import { FieldPath, notSupported, required, type FieldCause } from '../field-errors.ts';
import type { KObject } from '../object.ts';
import { jobRestart } from './job.ts';
import { defaultPodTemplate, validatePodTemplate } from './pod-spec.ts';
import { ensure, fill, rec, type KindRules } from './types.ts';

const SPEC = FieldPath.root('spec');
const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];

function defaults(obj: KObject): void {
  const spec = ensure(obj, 'spec');
  fill(spec, 'concurrencyPolicy', 'Allow');
  fill(spec, 'suspend', false);
  fill(spec, 'successfulJobsHistoryLimit', 3);
  fill(spec, 'failedJobsHistoryLimit', 1);
  defaultPodTemplate(rec(rec(rec(spec.jobTemplate)?.spec)?.template));
}

function validate(obj: KObject): FieldCause[] {
  const spec = rec(obj.spec) ?? {};
  const causes: FieldCause[] = [];
  if (!spec.schedule) causes.push(required(SPEC.child('schedule')));
  if (!CONCURRENCY_POLICIES.includes(spec.concurrencyPolicy)) {
    causes.push(notSupported(SPEC.child('concurrencyPolicy'), spec.concurrencyPolicy ?? '', CONCURRENCY_POLICIES));
  }
  const jobSpec = rec(rec(spec.jobTemplate)?.spec);
  const at = SPEC.child('jobTemplate').child('spec').child('template');
  causes.push(...validatePodTemplate(rec(jobSpec?.template), at, jobRestart));
  return causes;
}

export const cronJobRules: KindRules = { defaults, validate };
