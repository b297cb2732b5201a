// The workload controllers through the real kubectl (seeds 000, 001, 003): rollout status, set
// image, history with change causes, undo --to-revision=1 back to the first replica set, scale;
// RC relabelling, delete --cascade=orphan, delete ns. Waits on cluster state, never on timing.
import t from 'tap';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.ts';
import { startRewind } from './harness.ts';

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello-deploy
spec:
  replicas: 4
  selector:
    matchLabels:
      app: hello-world
  template:
    metadata:
      labels:
        app: hello-world
    spec:
      containers:
      - name: hello-pod
        image: nginx:1.26
        ports:
        - containerPort: 8080
`;

// seed 001's ReplicationController, as the seed writes it (one replica).
const seedRc = fileURLToPath(new URL('./seed-manifests/001-kubia-rc.yaml', import.meta.url));

t.test('seed 000: rollout status, set image, history, undo --to-revision=1, scale', async (t) => {
  const rw = await startRewind(t);
  t.equal((await rw.kubectl('apply', '-f', rw.file('d.yaml', deployment))).code, 0);
  const status = await rw.kubectl('rollout', 'status', 'deployment', 'hello-deploy', '--timeout=60s');
  t.match(status.stdout, /deployment "hello-deploy" successfully rolled out/);
  const rs1 = (await rw.kubectl('get', 'rs', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
  t.match(rs1, /^hello-deploy-[bcdfghjklmnpqrstvwxz2456789]+$/, 'replica set = deployment + template hash');

  await rw.kubectl('set', 'image', 'deployment/hello-deploy', 'hello-pod=nginx:1.27');
  await rw.kubectl('annotate', 'deployment/hello-deploy', 'kubernetes.io/change-cause=image 1.27');
  t.match((await rw.kubectl('rollout', 'status', 'deployment', 'hello-deploy', '--timeout=60s')).stdout, /successfully rolled out/);
  const history = await rw.kubectl('rollout', 'history', 'deployment', 'hello-deploy');
  t.match(history.stdout, /1\s+<none>\s*\n2\s+image 1\.27/);

  t.equal((await rw.kubectl('rollout', 'undo', 'deployment', 'hello-deploy', '--to-revision=1')).code, 0);
  t.match((await rw.kubectl('rollout', 'status', 'deployment', 'hello-deploy', '--timeout=60s')).stdout, /successfully rolled out/);
  const rss = await rw.kubectl('get', 'rs', '--no-headers', '-o', 'custom-columns=NAME:.metadata.name,DESIRED:.spec.replicas');
  t.equal(rss.stdout.trim().split('\n').length, 2, 'no third replica set');
  t.match(rss.stdout, new RegExp(`${rs1}\\s+4`), 'the first replica set is back at 4');
  t.match((await rw.kubectl('rollout', 'history', 'deployment', 'hello-deploy')).stdout, /2\s+image 1\.27\s*\n3\s/);

  await rw.kubectl('scale', 'deployment', 'hello-deploy', '--replicas=2');
  const pods = await eventually(
    () => rw.kubectl('get', 'po', '-l', 'app=hello-world', '--no-headers'),
    (r) => r.stdout.trim().split('\n').filter((l) => /Running/.test(l)).length === 2 && !/Terminating/.test(r.stdout),
  );
  t.equal(pods.stdout.trim().split('\n').length, 2);
});

t.test('seed 001: scale rc, relabelling, delete --cascade=orphan, delete ns', async (t) => {
  const rw = await startRewind(t);
  await rw.kubectl('create', 'ns', 'czm');
  await rw.kubectl('apply', '-f', seedRc);
  await rw.kubectl('scale', 'rc', 'kubia', '--replicas=3');
  const running = (r: { stdout: string }, n: number) => r.stdout.trim().split('\n').filter((l) => /Running/.test(l)).length === n;
  const three = await eventually(() => rw.kubectl('get', 'po', '-l', 'app=kubia', '--no-headers'), (r) => running(r, 3));
  const moved = three.stdout.trim().split('\n')[0].split(/\s+/)[0];
  await rw.kubectl('label', 'po', moved, 'app=foo', '--overwrite');
  const replaced = await eventually(() => rw.kubectl('get', 'po', '-l', 'app=kubia', '--no-headers'), (r) => running(r, 3) && !r.stdout.includes(moved));
  t.notMatch(replaced.stdout, moved, 'the relabelled pod left the RC');
  t.match((await rw.kubectl('get', 'po', moved, '--show-labels')).stdout, /app=foo/, 'and keeps running');

  const before = (await rw.kubectl('get', 'po', '-l', 'app=kubia', '-o', 'name')).stdout.trim().split('\n').sort();
  t.equal((await rw.kubectl('delete', 'rc', 'kubia', '--cascade=orphan')).code, 0);
  await eventually(() => rw.kubectl('get', 'rc'), (r) => !r.stdout.includes('kubia'));
  const after = (await rw.kubectl('get', 'po', '-l', 'app=kubia', '-o', 'name')).stdout.trim().split('\n').sort();
  t.same(after, before, 'orphaned pods keep running');
  t.equal((await rw.kubectl('get', 'po', '-l', 'app=kubia', '-o', 'jsonpath={.items[*].metadata.ownerReferences}')).stdout, '');

  await rw.kubectl('create', '-f', seedRc, '-n', 'czm');
  await eventually(() => rw.kubectl('get', 'po', '-n', 'czm', '--no-headers'), (r) => running(r, 1));
  t.match((await rw.kubectl('get', 'sa', '-n', 'czm')).stdout, /default/);
  t.equal((await rw.kubectl('delete', 'ns', 'czm')).code, 0);
  const gone = await eventually(() => rw.kubectl('get', 'ns', 'czm'), (r) => r.code !== 0);
  t.match(gone.stderr, /namespaces "czm" not found/);
});
