// Indexed Jobs (k8s.io/kubernetes pkg/controller/job/indexed_job_utils.go): with
// spec.completionMode Indexed, each of the indexes 0…completions-1 must succeed once. A pod for index
// i carries the annotation and label batch.kubernetes.io/job-completion-index=i, the hostname
// <job>-<i>, the generateName <job>-<i>- and the env variable JOB_COMPLETION_INDEX (read from that
// annotation); status.completedIndexes lists the succeeded indexes as intervals ("0-2,4").
//
// backoffLimitPerIndex: a failed pod's replacement for the same index carries
// batch.kubernetes.io/job-index-failure-count = failures so far; once an index has failed more than
// backoffLimitPerIndex times it is given up (status.failedIndexes) and the others go on. The Job
// fails when every index is done and some failed (FailedIndexes), or at once when more than
// maxFailedIndexes failed (MaxFailedIndexesExceeded).
//
// Example: completions 5, parallelism 2 → pods for 0 and 1; 0 succeeds → a pod for 2; 1, 2 and 4
// succeed out of order → completedIndexes "0-2,4", one pod still to come for 3.

import type { KObject } from '../core/object.ts';
import type { ReadView } from '../store/store.ts';
import { controllerRef, podFromTemplate, podPhase, type PodTemplate } from './runtime/pods.ts';

const COMPLETION_INDEX = 'batch.kubernetes.io/job-completion-index';
const FAILURE_COUNT = 'batch.kubernetes.io/job-index-failure-count';
const INDEX_ENV = 'JOB_COMPLETION_INDEX';

interface IndexedSpec {
  completions?: number;
  completionMode?: string;
  backoffLimitPerIndex?: number;
  maxFailedIndexes?: number;
  template?: PodTemplate;
}

const specOf = (job: KObject) => (job.spec ?? {}) as IndexedSpec;

export const isIndexed = (job: KObject) => specOf(job).completionMode === 'Indexed';

/** "0-2,4" → {0,1,2,4} (parseIndexesFromString); malformed parts are ignored. */
export function parseIndexes(s: string | undefined): Set<number> {
  const out = new Set<number>();
  for (const part of (s ?? '').split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    for (let i = Number(m[1]); i <= Number(m[2] ?? m[1]); i++) out.add(i);
  }
  return out;
}

/** {0,1,2,4} → "0-2,4": sorted, consecutive runs as intervals. */
export function formatIndexes(indexes: Iterable<number>): string {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    runs.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return runs.join(',');
}

/** The completion index of a pod (its annotation), or undefined when absent or out of range. */
export function indexOf(pod: KObject, completions: number): number | undefined {
  const raw = pod.metadata.annotations?.[COMPLETION_INDEX];
  const i = raw !== undefined && /^\d+$/.test(raw) ? Number(raw) : NaN;
  return i >= 0 && i < completions ? i : undefined;
}

/** A pod's failure count for its index: the annotation it was created with, plus one when it failed. */
const failuresOf = (pod: KObject) => Number(pod.metadata.annotations?.[FAILURE_COUNT] ?? 0) + (podPhase(pod) === 'Failed' ? 1 : 0);

export interface IndexState {
  completed: Set<number>;
  failed: Set<number>;
  /** Indexes with an active pod. */
  active: Set<number>;
  /** Failures so far per index (for the next pod's annotation). */
  failures: Map<number, number>;
}

/** Which indexes succeeded (also those recorded in status, whose pods may be gone), failed, or run now. */
export function indexState(job: KObject, owned: KObject[], active: KObject[]): IndexState {
  const completions = specOf(job).completions ?? 1;
  const status = (job.status ?? {}) as { completedIndexes?: string; failedIndexes?: string };
  const completed = new Set([...parseIndexes(status.completedIndexes)].filter((i) => i < completions));
  const failures = new Map<number, number>();
  for (const p of owned) {
    const i = indexOf(p, completions);
    if (i === undefined) continue;
    if (podPhase(p) === 'Succeeded') completed.add(i);
    failures.set(i, Math.max(failures.get(i) ?? 0, failuresOf(p)));
  }
  const limit = specOf(job).backoffLimitPerIndex;
  const failed = new Set([...parseIndexes(status.failedIndexes)].filter((i) => !completed.has(i)));
  if (limit !== undefined) for (const [i, n] of failures) if (n > limit && !completed.has(i)) failed.add(i);
  const activeIdx = new Set(active.map((p) => indexOf(p, completions)).filter((i): i is number => i !== undefined));
  return { completed, failed, active: activeIdx, failures };
}

/** The failed verdict of per-index backoff, if any. */
export function indexedFailure(job: KObject, s: IndexState): { reason: string; message: string } | undefined {
  const { completions = 1, maxFailedIndexes } = specOf(job);
  if (maxFailedIndexes !== undefined && s.failed.size > maxFailedIndexes) {
    return { reason: 'MaxFailedIndexesExceeded', message: 'Job has exceeded the specified maximal number of failed indexes' };
  }
  if (s.failed.size > 0 && s.failed.size + s.completed.size >= completions) return { reason: 'FailedIndexes', message: 'Job has failed indexes' };
  return undefined;
}

/** The lowest indexes that still need a pod (firstPendingIndexes), at most `count`. */
export function pendingIndexes(job: KObject, s: IndexState, count: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < (specOf(job).completions ?? 1) && out.length < count; i++) {
    if (!s.completed.has(i) && !s.failed.has(i) && !s.active.has(i)) out.push(i);
  }
  return out;
}

/** The pod for `index`: the template's pod, named and labelled for its index. */
export function indexedPod(job: KObject, index: number, s: IndexState, view: ReadView, salt: number): KObject {
  const template = withIndexEnv(specOf(job).template ?? {});
  // podFromTemplate names pods "<owner>-<suffix>"; an indexed pod is "<job>-<index>-<suffix>".
  const pod = podFromTemplate(template, { ...job, metadata: { ...job.metadata, name: `${job.metadata.name}-${index}` } }, view, salt);
  const failures = s.failures.get(index) ?? 0;
  const annotations: Record<string, string> = { ...pod.metadata.annotations, [COMPLETION_INDEX]: String(index) };
  if (specOf(job).backoffLimitPerIndex !== undefined) annotations[FAILURE_COUNT] = String(failures);
  pod.metadata = { ...pod.metadata, ownerReferences: [controllerRef(job)], annotations, labels: { ...pod.metadata.labels, [COMPLETION_INDEX]: String(index) } };
  pod.spec = { ...(pod.spec as object), hostname: ((pod.spec as { hostname?: string }).hostname ?? `${job.metadata.name}-${index}`) };
  return pod;
}

interface Container {
  env?: { name: string; valueFrom?: unknown; value?: string }[];
  [field: string]: unknown;
}

/** addCompletionIndexEnvVariables: every container and init container reads its index from the annotation. */
function withIndexEnv(template: PodTemplate): PodTemplate {
  const spec = structuredClone(template.spec ?? {}) as { containers?: Container[]; initContainers?: Container[] };
  const env = { name: INDEX_ENV, valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: `metadata.annotations['${COMPLETION_INDEX}']` } } };
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    if (!(c.env ?? []).some((e) => e.name === INDEX_ENV)) c.env = [...(c.env ?? []), env];
  }
  return { ...template, spec };
}
