// Job admission: batch/v1 SetDefaults_Job, the generated selector of the job registry
// (generateSelector), and ValidateJob(Update).
//
// Worked example — Job "pi" with uid U and a template without labels is stored with template labels
// {batch.kubernetes.io/controller-uid: U, batch.kubernetes.io/job-name: pi, controller-uid: U,
// job-name: pi}, selector {matchLabels: {batch.kubernetes.io/controller-uid: U}}, the same labels on
// the Job itself, completions 1, parallelism 1, backoffLimit 6, completionMode NonIndexed,
// suspend false and podReplacementPolicy TerminatingOrFailed. Its pods must not restart in place:
// the template's restartPolicy is OnFailure or Never.

import { FieldPath, invalidValue, notSupported, required, type FieldCause } from '../field-errors.ts';
import { deepEqual } from '../metadata.ts';
import type { KObject } from '../object.ts';
import { defaultPodTemplate, type RestartPolicyRule } from './pod-spec.ts';
import { ensure, fill, rec, type Fields, type KindRules } from './types.ts';
import { validateNonNegative, validateSelectorAndTemplate, validateSelectorImmutable } from './workload.ts';

/**
 * ValidateJobSpec: a Job's pods run to completion, so they restart OnFailure or Never. Always (also
 * what an omitted policy defaults to) is "Required value", any other value "Unsupported value".
 */
export const jobRestart: RestartPolicyRule = (policy, path) => {
  if (policy === 'Always' || !policy) return [required(path, 'valid values: "OnFailure", "Never"')];
  return policy === 'OnFailure' || policy === 'Never' ? [] : [notSupported(path, policy, ['OnFailure', 'Never'])];
};

const JOB_NAME_LABELS = ['job-name', 'batch.kubernetes.io/job-name'];
const CONTROLLER_UID_LABELS = ['controller-uid', 'batch.kubernetes.io/controller-uid'];
const SELECTOR_LABEL = 'batch.kubernetes.io/controller-uid';

/** SetDefaults_Job's spec part. */
function defaultJobSpec(spec: Fields): void {
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  fill(spec, 'parallelism', 1);
  fill(spec, 'backoffLimit', spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6);
  fill(spec, 'completionMode', 'NonIndexed');
  fill(spec, 'suspend', false);
  fill(spec, 'podReplacementPolicy', spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed');
  defaultPodTemplate(rec(spec.template));
}

/**
 * generateSelector: unless the user asks for a manual selector, label the template with the job's
 * name and uid and select on the uid, so a Job never adopts another Job's pods.
 */
function generateSelector(obj: KObject, spec: Fields): void {
  const uid = obj.metadata.uid;
  if (spec.manualSelector === true || !uid) return;
  const labels = ensure(ensure(ensure(spec, 'template'), 'metadata'), 'labels');
  for (const l of JOB_NAME_LABELS) fill(labels, l, obj.metadata.name);
  for (const l of CONTROLLER_UID_LABELS) fill(labels, l, uid);
  fill(ensure(ensure(spec, 'selector'), 'matchLabels'), SELECTOR_LABEL, uid);
}

function defaults(obj: KObject, ctx: { op: 'create' | 'update' }): void {
  const spec = ensure(obj, 'spec');
  defaultJobSpec(spec);
  if (ctx.op === 'create') generateSelector(obj, spec);
  // The Job carries its template's labels when it has none of its own (SetDefaults_Job).
  const labels = rec(rec(rec(spec.template)?.metadata)?.labels);
  if (labels && Object.keys(obj.metadata.labels ?? {}).length === 0) obj.metadata.labels = { ...labels } as Record<string, string>;
}

/** ValidateJobSpec. */
function validateJobSpec(spec: Fields): FieldCause[] {
  const causes = validateNonNegative(spec, ['parallelism', 'completions', 'backoffLimit']);
  causes.push(...validateSelectorAndTemplate(spec, { kindWord: 'job', restartRule: jobRestart }));
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && !(typeof deadline === 'number' && deadline > 0)) {
    causes.push(invalidValue(FieldPath.root('spec').child('activeDeadlineSeconds'), deadline, 'must be greater than 0'));
  }
  causes.push(...validateCompletionMode(spec));
  return causes;
}

const COMPLETION_MODES = ['NonIndexed', 'Indexed'];

/** ValidateJobSpec's completion-mode rules: Indexed needs completions; per-index limits need Indexed. */
function validateCompletionMode(spec: Fields): FieldCause[] {
  const SPEC = FieldPath.root('spec');
  const causes = validateNonNegative(spec, ['backoffLimitPerIndex', 'maxFailedIndexes']);
  const mode = spec.completionMode;
  if (mode !== undefined && !COMPLETION_MODES.includes(mode)) causes.push(notSupported(SPEC.child('completionMode'), mode, COMPLETION_MODES));
  if (mode === 'Indexed' && spec.completions === undefined) causes.push(required(SPEC.child('completions'), 'when completion mode is Indexed'));
  if (spec.backoffLimitPerIndex !== undefined && mode !== 'Indexed') {
    causes.push(required(SPEC.child('completionMode'), 'when backoffLimitPerIndex is specified, the completion mode must be Indexed'));
  }
  if (spec.maxFailedIndexes !== undefined && spec.backoffLimitPerIndex === undefined) causes.push(required(SPEC.child('backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  return causes;
}

/** ValidateJobSpecUpdate: selector, completions (for NonIndexed jobs) and template are fixed. */
function validateUpdate(obj: KObject, old: KObject): FieldCause[] {
  const [spec, prev] = [rec(obj.spec) ?? {}, rec(old.spec) ?? {}];
  const causes = validateSelectorImmutable(obj, old);
  const SPEC = FieldPath.root('spec');
  if (spec.completionMode !== 'Indexed' && spec.completions !== prev.completions) {
    causes.push(invalidValue(SPEC.child('completions'), spec.completions ?? null, 'field is immutable'));
  }
  if (!deepEqual(spec.template, prev.template)) causes.push(invalidValue(SPEC.child('template'), spec.template ?? null, 'field is immutable'));
  return causes;
}

export const jobRules: KindRules = { defaults, validate: (obj) => validateJobSpec(rec(obj.spec) ?? {}), validateUpdate };
