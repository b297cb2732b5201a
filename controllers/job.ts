// Job (k8s.io/kubernetes pkg/controller/job): run pods until
// spec.completions of them have succeeded, at most spec.parallelism at a time; a failed pod is
// replaced until more than spec.backoffLimit have failed, when the Job fails (FailureTarget, then
// Failed, reason BackoffLimitExceeded) and its running pods are deleted; activeDeadlineSeconds fails
// it likewise (DeadlineExceeded). Success adds SuccessCriteriaMet, then Complete, and
// completionTime. Without completions (a work queue) the Job is done once a pod has succeeded and
// none is left running. Pods carry the job-name and controller-uid labels admission put on the
// template, and the Job's controller reference. In completionMode Indexed each index must succeed
// once, and the pods carry their index (job-indexed.ts).
//
// Pods succeed or fail by the simulated kubelet's behaviour model: a Job's pod exits 0 after the
// simulation's jobRunMs unless sim.rewind.dev/exit-after and sim.rewind.dev/exit-code say otherwise.
// Example: completions 3, parallelism 2 → 2 pods; one succeeds → 1 more; 3 succeeded → Complete.

import { rfc3339 } from '../core/clock.ts';
import type { Mutation } from '../core/events.ts';
import { deepEqual } from '../core/metadata.ts';
import type { KObject } from '../core/object.ts';
import { selectorFromSpec, type LabelSelector } from '../core/selectors.ts';
import type { ReadView } from '../store/store.ts';
import { recordEvent, type EventRecord } from './events.ts';
import { reportPodFailure } from './pod-failures.ts';
import { formatIndexes, indexedFailure, indexedPod, indexState, isIndexed, pendingIndexes, type IndexState } from './job-indexed.ts';
import { deleteObject } from './runtime/delete.ts';
import { claim, controllerKeys } from './runtime/ownership.ts';
import { isPodActive, isPodReady, PODS, podFromTemplate, podPhase, type PodTemplate } from './runtime/pods.ts';
import { objectKey, splitKey, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from './runtime/types.ts';

export const JOBS = 'batch/v1/jobs';
const COMPONENT = 'job-controller';

interface JobSpec {
  completions?: number;
  parallelism?: number;
  backoffLimit?: number;
  backoffLimitPerIndex?: number;
  activeDeadlineSeconds?: number;
  suspend?: boolean;
  selector?: LabelSelector;
  template?: PodTemplate;
}

interface JobCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastProbeTime: string;
  lastTransitionTime: string;
}

interface JobStatus {
  startTime?: string;
  completionTime?: string;
  conditions?: JobCondition[];
  [field: string]: unknown;
}

const specOf = (j: KObject) => (j.spec ?? {}) as JobSpec;
const statusOf = (j: KObject) => (j.status ?? {}) as JobStatus;

/** The Job's finished verdict, if it has one: the type of its Complete or Failed condition. */
export function finishedAs(job: KObject): 'Complete' | 'Failed' | undefined {
  const c = statusOf(job).conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
  return c?.type as 'Complete' | 'Failed' | undefined;
}

interface Counts {
  active: KObject[];
  /** Succeeded pods; for an Indexed Job, completed indexes. */
  succeeded: number;
  failed: number;
  /** An Indexed Job's indexes. */
  indexes?: IndexState;
}

function count(job: KObject, owned: KObject[]): Counts {
  const active = owned.filter(isPodActive);
  const failed = owned.filter((p) => podPhase(p) === 'Failed').length;
  if (!isIndexed(job)) return { active, succeeded: owned.filter((p) => podPhase(p) === 'Succeeded').length, failed };
  const indexes = indexState(job, owned, active);
  return { active, succeeded: indexes.completed.size, failed, indexes };
}

export function reconcileJob(key: Key, { view, now }: ReconcileContext): ReconcileResult {
  const { ns, name } = splitKey(key);
  const job = view.get(JOBS, ns, name);
  if (!job) return { writes: [] };
  const selects = selectorFromSpec(specOf(job).selector);
  const { owned, writes } = claim(job, PODS, view.list(PODS, { namespace: ns }).items, (p) => selects(p.metadata.labels));
  const counts = count(job, owned);
  const events: EventRecord[] = [];
  const startTime = statusOf(job).startTime ?? rfc3339(now);
  const finished = finishedAs(job);
  const verdict = finished || job.metadata.deletionTimestamp ? undefined : judge(job, counts, Date.parse(startTime), now);
  const done = finished ?? verdict?.type;
  let conditions = statusOf(job).conditions ?? [];
  if (verdict) {
    conditions = [...conditions, ...verdictConditions(verdict, now)];
    events.push(verdict.type === 'Complete' ? { object: job, type: 'Normal', reason: 'Completed', message: 'Job completed' } : { object: job, type: 'Warning', reason: verdict.reason, message: verdict.message });
  }
  const created = !done && !job.metadata.deletionTimestamp && !specOf(job).suspend ? createPods(job, counts, view, events) : [];
  if (done) writes.push(...deletePods(job, counts.active, now, events));
  writes.push(...created.map((object): Mutation => ({ op: 'create', res: PODS, object })));
  writes.push(...events.map((e) => recordEvent(COMPONENT, e, now)));
  const status = jobStatus(job, owned, { ...counts, active: [...counts.active, ...created] }, startTime, conditions, verdict?.type === 'Complete' ? now : undefined);
  if (!deepEqual(status, job.status)) writes.push({ op: 'update', res: JOBS, object: { ...job, status } });
  return { writes, ...deadlineRequeue(job, Date.parse(startTime), now, done !== undefined) };
}

interface Verdict {
  type: 'Complete' | 'Failed';
  reason: string;
  message: string;
}

/** Whether the Job is done: enough successes, too many failures, or past its deadline. */
function judge(job: KObject, c: Counts, start: number, now: number): Verdict | undefined {
  const spec = specOf(job);
  if (c.failed > (spec.backoffLimit ?? 6)) return { type: 'Failed', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
  const indexFailure = c.indexes && indexedFailure(job, c.indexes);
  if (indexFailure) return { type: 'Failed', ...indexFailure };
  const deadline = spec.activeDeadlineSeconds;
  if (deadline !== undefined && now >= start + deadline * 1000) return { type: 'Failed', reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };
  const done = spec.completions === undefined ? c.succeeded > 0 && c.active.length === 0 : c.succeeded >= spec.completions;
  return done ? { type: 'Complete', reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' } : undefined;
}

/** The interim condition (SuccessCriteriaMet / FailureTarget) and the final one, as 1.31+ controllers write them. */
function verdictConditions(v: Verdict, now: number): JobCondition[] {
  const t = rfc3339(now);
  const interim = v.type === 'Complete' ? 'SuccessCriteriaMet' : 'FailureTarget';
  const c = (type: string): JobCondition => ({ type, status: 'True', reason: v.reason, message: v.message, lastProbeTime: t, lastTransitionTime: t });
  return [c(interim), c(v.type)];
}

/** Pods to start now: up to parallelism running, and no more than the completions still needed (lowest pending indexes first). */
function createPods(job: KObject, c: Counts, view: ReadView, events: EventRecord[]): KObject[] {
  const spec = specOf(job);
  const parallelism = spec.parallelism ?? 1;
  const remaining = (spec.completions ?? 0) - c.succeeded - (c.indexes?.failed.size ?? 0);
  const wanted = spec.completions === undefined ? (c.succeeded > 0 ? 0 : parallelism) : Math.min(parallelism, remaining);
  const missing = Math.max(0, wanted - c.active.length);
  const pods = c.indexes
    ? pendingIndexes(job, c.indexes, missing).map((index, i) => indexedPod(job, index, c.indexes!, view, i))
    : Array.from({ length: missing }, (_, i) => podFromTemplate(spec.template ?? {}, job, view, i));
  for (const pod of pods) events.push({ object: job, type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}` });
  return pods;
}

function deletePods(job: KObject, pods: KObject[], now: number, events: EventRecord[]): Mutation[] {
  return pods.map((p) => {
    events.push({ object: job, type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${p.metadata.name}` });
    return deleteObject(PODS, p, now);
  });
}

/** JobStatus: zero counts omitted as the API's omitempty does; ready and terminating always present. */
function jobStatus(job: KObject, owned: KObject[], c: Counts, startTime: string, conditions: JobCondition[], completedAt?: number): JobStatus {
  const old = statusOf(job);
  const status: JobStatus = { startTime };
  if (conditions.length > 0) status.conditions = conditions;
  if (old.completionTime || completedAt !== undefined) status.completionTime = old.completionTime ?? rfc3339(completedAt!);
  if (c.active.length) status.active = c.active.length;
  if (c.succeeded) status.succeeded = c.succeeded;
  if (c.failed) status.failed = c.failed;
  status.terminating = owned.filter((p) => p.metadata.deletionTimestamp !== undefined && podPhase(p) !== 'Succeeded' && podPhase(p) !== 'Failed').length;
  if (c.indexes && c.indexes.completed.size > 0) status.completedIndexes = formatIndexes(c.indexes.completed);
  if (c.indexes && specOf(job).backoffLimitPerIndex !== undefined) status.failedIndexes = formatIndexes(c.indexes.failed);
  status.uncountedTerminatedPods = {};
  status.ready = c.active.filter(isPodReady).length;
  return status;
}

/** Come back when activeDeadlineSeconds runs out. */
function deadlineRequeue(job: KObject, start: number, now: number, finished: boolean): { requeueAfter?: number } {
  const deadline = specOf(job).activeDeadlineSeconds;
  if (finished || deadline === undefined) return {};
  return { requeueAfter: Math.max(0, start + deadline * 1000 - now) };
}

export const jobController: ControllerFactory = (): Controller => ({
  name: 'job',
  watches: [
    { res: JOBS, keys: (e) => [objectKey(e.ns, e.name)] },
    { res: PODS, keys: controllerKeys('Job') },
  ],
  reconcile: reconcileJob,
  onCommitError: reportPodFailure(COMPONENT, JOBS),
});
