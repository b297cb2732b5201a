// Indexed Jobs: index intervals (table-driven), the pods of each index, completedIndexes as pods
// succeed out of order, per-index backoff, and the admission rules of completionMode.
import t from 'tap';
import { admit } from '../../core/admission.ts';
import { isStatusError } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { formatIndexes, parseIndexes } from '../../controllers/job-indexed.ts';
import { reconcileJob } from '../../controllers/job.ts';
import { viewOf } from '../../controllers/runtime/testing.ts';
import { at, objectWrites, simPod, T0 } from './sim-fixtures.ts';

const INDEX = 'batch.kubernetes.io/job-completion-index';

const job = (spec: Record<string, unknown>, status?: Record<string, unknown>): KObject => ({
  apiVersion: 'batch/v1',
  kind: 'Job',
  metadata: { name: 'sum', namespace: 'default', uid: 'uid-sum' },
  spec: {
    completionMode: 'Indexed',
    completions: 5,
    parallelism: 2,
    backoffLimit: 6,
    selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'uid-sum' } },
    template: { metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'uid-sum' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
    ...spec,
  },
  status: { startTime: at(0), ...status },
});

/** A pod of index `i` in `phase`, created with `failures` earlier failures of its index. */
const indexPod = (j: KObject, i: number, phase: string, failures?: number): KObject => {
  const p = simPod(`sum-${i}-${phase.toLowerCase()}`, { owner: j, phase, labels: { 'batch.kubernetes.io/controller-uid': 'uid-sum' } });
  p.metadata.annotations = { [INDEX]: String(i), ...(failures !== undefined ? { 'batch.kubernetes.io/job-index-failure-count': String(failures) } : {}) };
  return p;
};

function step(objects: KObject[]) {
  const view = viewOf(objects);
  const out = objectWrites(reconcileJob('default/sum', { view, now: T0 + 5000 }).writes, view);
  return { created: out.filter((w) => w.op === 'create').map((w) => w.object!), status: out.find((w) => w.res === 'batch/v1/jobs')?.object?.status as Record<string, unknown> | undefined };
}

t.test('index intervals: parse and format', async (t) => {
  const rows: [string, number[]][] = [
    ['', []],
    ['3', [3]],
    ['0-2,4', [0, 1, 2, 4]], // a run and a single
    ['1,3-4,6-8', [1, 3, 4, 6, 7, 8]],
  ];
  for (const [text, set] of rows) {
    t.same([...parseIndexes(text)], set, `parse ${JSON.stringify(text)}`);
    t.equal(formatIndexes(set), text, `format ${JSON.stringify(set)}`);
  }
  t.equal(formatIndexes([4, 0, 2, 1, 2]), '0-2,4', 'unsorted, duplicated');
});

t.test('each pod is made for its index: annotation, label, hostname, generateName, JOB_COMPLETION_INDEX', async (t) => {
  const { created, status } = step([job({})]);
  t.same(created.map((p) => p.metadata.annotations?.[INDEX]), ['0', '1'], 'the two lowest indexes, parallelism 2');
  const [p0] = created;
  t.match(p0.metadata, { generateName: 'sum-0-', name: /^sum-0-[a-z0-9]{5}$/, labels: { [INDEX]: '0' }, ownerReferences: [{ kind: 'Job', name: 'sum', uid: 'uid-sum' }] });
  t.match(p0.spec, { hostname: 'sum-0', containers: [{ env: [{ name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: `metadata.annotations['${INDEX}']` } } }] }] });
  t.notOk(status?.completedIndexes, 'nothing completed yet');
});

t.test('completedIndexes follows pods succeeding out of order; the lowest pending index comes next', async (t) => {
  const j = job({});
  const { created, status } = step([j, indexPod(j, 1, 'Succeeded'), indexPod(j, 2, 'Succeeded'), indexPod(j, 4, 'Succeeded'), indexPod(j, 0, 'Running')]);
  t.equal(status?.completedIndexes, '1-2,4');
  t.equal(status?.succeeded, 3);
  t.same(created.map((p) => p.metadata.annotations?.[INDEX]), ['3']);
  const done = step([job({}, { completedIndexes: '0-2,4' }), indexPod(j, 3, 'Succeeded')]).status;
  t.match(done, { completedIndexes: '0-4', succeeded: 5, conditions: [{ type: 'SuccessCriteriaMet' }, { type: 'Complete', status: 'True' }] }, 'indexes recorded in status count even when their pods are gone');
});

t.test('backoffLimitPerIndex: a failing index is retried with its count, then given up; the Job fails with FailedIndexes', async (t) => {
  const j = job({ completions: 2, backoffLimitPerIndex: 1, backoffLimit: 2147483647 });
  const retry = step([j, indexPod(j, 0, 'Failed', 0), indexPod(j, 1, 'Running', 0)]);
  t.match(retry.created.map((p) => p.metadata.annotations), [{ [INDEX]: '0', 'batch.kubernetes.io/job-index-failure-count': '1' }]);
  t.equal(retry.status?.failedIndexes, '', 'no index given up yet');
  const failed = step([j, indexPod(j, 0, 'Failed', 0), indexPod(j, 0, 'Failed', 1), indexPod(j, 1, 'Succeeded', 0)]);
  t.same(failed.created, [], 'index 0 is not retried again');
  t.match(failed.status, { failedIndexes: '0', completedIndexes: '1', conditions: [{ type: 'FailureTarget', reason: 'FailedIndexes' }, { type: 'Failed', reason: 'FailedIndexes' }] });
  const max = step([job({ completions: 3, backoffLimitPerIndex: 0, maxFailedIndexes: 0 }), indexPod(j, 0, 'Failed', 0), indexPod(j, 1, 'Running', 0)]);
  t.match(max.status?.conditions, [{ type: 'FailureTarget', reason: 'MaxFailedIndexesExceeded' }, { type: 'Failed' }]);
});

t.test('admission: Indexed needs completions; per-index limits need Indexed', async (t) => {
  const refusal = (spec: Record<string, unknown>) => {
    try {
      admit({ op: 'create', res: 'batch/v1/jobs', object: { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'x', namespace: 'default', uid: 'u' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'i' }] } }, ...spec } } });
      return undefined;
    } catch (e) {
      return isStatusError(e) ? e.message : String(e);
    }
  };
  t.equal(refusal({ completionMode: 'Indexed', completions: 3 }), undefined);
  t.match(refusal({ completionMode: 'Indexed', parallelism: 2 }), /spec\.completions: Required value: when completion mode is Indexed/);
  t.match(refusal({ completionMode: 'Sometimes' }), /spec\.completionMode: Unsupported value: "Sometimes": supported values: "NonIndexed", "Indexed"/);
  t.match(refusal({ backoffLimitPerIndex: 1 }), /spec\.completionMode: Required value: when backoffLimitPerIndex is specified, the completion mode must be Indexed/);
  t.match(refusal({ completionMode: 'Indexed', completions: 2, maxFailedIndexes: 1 }), /spec\.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified/);
});
