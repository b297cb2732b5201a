// Jobs through the real kubectl: a NonIndexed Job to `kubectl wait --for=condition=complete`, and an
// Indexed Job whose pods carry their index (annotation, label, hostname, JOB_COMPLETION_INDEX) and
// whose status lists completedIndexes. Waits on cluster state, never on timing.
import t from 'tap';
import { startRewind } from './harness.ts';

const indexed = `apiVersion: batch/v1
kind: Job
metadata:
  name: sum
spec:
  completionMode: Indexed
  completions: 3
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: worker
        image: busybox
        command: ["sh", "-c", "echo index $JOB_COMPLETION_INDEX"]
`;

t.test('NonIndexed and Indexed jobs run to completion', async (t) => {
  const rw = await startRewind(t, ['--nodes', '2']);
  t.equal((await rw.kubectl('create', 'job', 'hello', '--image=busybox', '--', 'echo', 'hi')).code, 0);
  t.match((await rw.kubectl('wait', '--for=condition=complete', 'job/hello', '--timeout=60s')).stdout, /job.batch\/hello condition met/);
  t.match((await rw.kubectl('get', 'job', 'hello', '--no-headers')).stdout, /^hello\s+Complete\s+1\/1\s/);

  t.equal((await rw.kubectl('apply', '-f', rw.file('sum.yaml', indexed))).code, 0);
  t.match((await rw.kubectl('wait', '--for=condition=complete', 'job/sum', '--timeout=60s')).stdout, /job.batch\/sum condition met/);
  t.equal((await rw.kubectl('get', 'job', 'sum', '-o', 'jsonpath={.status.completedIndexes} {.status.succeeded}')).stdout, '0-2 3');
  const pods = await rw.kubectl(
    'get', 'pods', '-l', 'job-name=sum', '--sort-by=.metadata.name', '-o',
    'jsonpath={range .items[*]}{.metadata.labels.batch\\.kubernetes\\.io/job-completion-index}:{.spec.hostname}:{.metadata.name} {end}',
  );
  t.match(pods.stdout, /^0:sum-0:sum-0-\w{5} 1:sum-1:sum-1-\w{5} 2:sum-2:sum-2-\w{5} $/, 'one pod per index, named and hostnamed for it');
  const first = pods.stdout.split(' ')[0].split(':')[2];
  t.match((await rw.kubectl('logs', first)).stdout, /^index 0\n?$/, 'the container sees JOB_COMPLETION_INDEX');
  t.match((await rw.kubectl('describe', 'job', 'sum')).stdout, /Completion Mode:\s+Indexed[\s\S]*Completed Indexes:\s+0-2/);
});
