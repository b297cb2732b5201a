// issue 3 acceptance: stop the server (SIGTERM) and start it on the same data dir: objects and their
// resourceVersions are as they were, and new writes continue after the old revisions.
import t from 'tap';
import { startRewind } from './harness.ts';

const rw = await startRewind(t);

t.test('state and resourceVersions survive a restart', async (t) => {
  await rw.kubectl('create', 'configmap', 'durable', '--from-literal', 'k=v');
  const before = (await rw.kubectl('get', 'cm', 'durable', '-o', 'jsonpath={.metadata.resourceVersion} {.metadata.uid} {.data.k}')).stdout;
  await rw.restart();
  const after = (await rw.kubectl('get', 'cm', 'durable', '-o', 'jsonpath={.metadata.resourceVersion} {.metadata.uid} {.data.k}')).stdout;
  t.equal(after, before);
  t.match((await rw.kubectl('get', 'ns')).stdout, /^kube-system\s+Active/m);
  await rw.kubectl('create', 'configmap', 'newer');
  const rv = Number((await rw.kubectl('get', 'cm', 'newer', '-o', 'jsonpath={.metadata.resourceVersion}')).stdout);
  t.ok(rv > Number(before.split(' ')[0]), 'revisions continue after the restart');
});
