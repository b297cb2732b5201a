// Admission as the store's admit hook: what a commit stores is the admitted object, stamped first
// (a Job's generated selector uses the uid the store gives it), and a rejected write leaves the log
// as it was.
import t from 'tap';
import { admit } from '../../core/admission.ts';
import { isStatusError } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { openStore } from '../../store/index.ts';

const actor = { kind: 'user' as const, name: 'test' };

/** The Status a rejected commit carries (fails the test when the commit succeeds). */
async function rejection(commit: Promise<unknown>) {
  try {
    await commit;
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  throw new Error('the commit was not rejected');
}

t.test('commits store admitted objects, and rejected ones change nothing', async (t) => {
  const store = await openStore({ admit, sync: 'none' });
  t.teardown(() => store.close());
  const job: KObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
  };
  const [created] = await store.commit([{ op: 'create', res: 'batch/v1/jobs', object: job }], { actor });
  const uid = created.object.metadata.uid!;
  t.ok(uid, 'the store gave the job a uid');
  t.same((created.object.spec as { selector: unknown }).selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } }, 'selected by that uid');
  t.equal(created.object.metadata.labels?.['job-name'], 'pi');

  const rev = store.rev;
  const bad: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'Bad_Name', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'x' }] } };
  const refused = await rejection(store.commit([{ op: 'create', res: 'v1/pods', object: bad }], { actor }));
  t.same([refused.code, refused.reason], [422, 'Invalid']);
  t.equal(store.rev, rev, 'nothing was written');

  const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  await store.commit([{ op: 'create', res: 'v1/pods', object: pod }], { actor });
  const stored = store.get('v1/pods', 'default', 'web')!;
  t.same([(stored.status as { phase: string }).phase, (stored.spec as { schedulerName: string }).schedulerName], ['Pending', 'default-scheduler']);
  const moved = structuredClone(stored);
  (moved.spec as { containers: { name: string }[] }).containers[0].name = 'renamed';
  const immutable = await rejection(store.commit([{ op: 'update', res: 'v1/pods', object: moved }], { actor }));
  t.equal(immutable.details?.causes?.[0].field, 'spec', 'pod spec changes are refused on update');
  t.equal(store.get('v1/pods', 'default', 'web')!.metadata.resourceVersion, stored.metadata.resourceVersion, 'the pod is unchanged');
});
