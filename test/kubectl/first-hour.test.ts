// A new user's first hour with the real kubectl: commands a learner types after the seed tutorials,
// each checked against what a real v1.32 cluster prints. One server for the file; every case uses
// its own objects.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { startRewind } from './harness.ts';

const rw = await startRewind(t);
const fixture = (name: string) => readFileSync(new URL(`./first-hour/${name}`, import.meta.url), 'utf8');
const json = async (...args: string[]) => JSON.parse((await rw.kubectl('get', ...args, '-o', 'json')).stdout);

t.test('create job --from=cronjob copies a rich pod template through protobuf', async (t) => {
  t.equal((await rw.kubectl('apply', '-f', rw.file('nightly.yaml', fixture('rich-cronjob.yaml')))).code, 0);
  const r = await rw.kubectl('create', 'job', 'manual', '--from=cronjob/nightly');
  t.same(r, { code: 0, stdout: 'job.batch/manual created\n', stderr: '' });
  const cronjob = await json('cronjob', 'nightly');
  const job = await json('job', 'manual');
  t.same(job.spec.template.spec, cronjob.spec.jobTemplate.spec.template.spec, 'the pod spec arrives whole');
  t.same(job.metadata.labels, { team: 'data' });
  t.same(job.metadata.annotations, { 'cronjob.kubernetes.io/instantiate': 'manual' });
  t.match(job.metadata.ownerReferences, [{ kind: 'CronJob', name: 'nightly', uid: cronjob.metadata.uid, controller: true }]);
});
