// CronJob admission: batch/v1 SetDefaults_CronJob (concurrencyPolicy Allow, suspend false, history
// limits 3 and 1), PodSpec defaults inside the job template, and ValidateCronJob's name length,
// schedule (core/cron.ts), time zone, policy and template checks.

import { cronScheduleError, isTimeZone } from '../cron.ts';
import { FieldPath, invalidValue, notSupported, required, type FieldCause } from '../field-errors.ts';
import type { KObject } from '../object.ts';
import { jobRestart } from './job.ts';
import { defaultPodTemplate, validatePodTemplate } from './pod-spec.ts';
import { ensure, fill, rec, type KindRules } from './types.ts';

const SPEC = FieldPath.root('spec');
const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'];
/** DNS1035LabelMaxLength (63) less the 11 characters of a Job's name suffix. */
const MAX_NAME = 52;

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
  else {
    const error = cronScheduleError(String(spec.schedule));
    if (error) causes.push(invalidValue(SPEC.child('schedule'), spec.schedule, error));
  }
  causes.push(...validateTimeZone(spec.timeZone));
  // The controller names each Job <cronjob>-<11-character timestamp suffix>, and a Job name is at most 63.
  const name = String(obj.metadata.name ?? '');
  if (name.length > MAX_NAME) causes.push(invalidValue(FieldPath.root('metadata').child('name'), name, `must be no more than ${MAX_NAME} characters`));
  if (!CONCURRENCY_POLICIES.includes(spec.concurrencyPolicy)) {
    causes.push(notSupported(SPEC.child('concurrencyPolicy'), spec.concurrencyPolicy ?? '', CONCURRENCY_POLICIES));
  }
  const jobSpec = rec(rec(spec.jobTemplate)?.spec);
  const at = SPEC.child('jobTemplate').child('spec').child('template');
  causes.push(...validatePodTemplate(rec(jobSpec?.template), at, jobRestart));
  return causes;
}

/** validateTimeZone: absent, or an explicit IANA zone ("Local" names none). */
function validateTimeZone(zone: unknown): FieldCause[] {
  if (zone === undefined || zone === null) return [];
  const at = SPEC.child('timeZone');
  if (zone === '') return [invalidValue(at, zone, 'timeZone must be nil or non-empty string')];
  const text = String(zone);
  if (text.toLowerCase() === 'local') return [invalidValue(at, zone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  return isTimeZone(text) ? [] : [invalidValue(at, zone, `unknown time zone ${text}`)];
}

export const cronJobRules: KindRules = { defaults, validate };
