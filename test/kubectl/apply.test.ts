// issue 3 acceptance: client-side apply (create, change, remove a field, unchanged, multi-document,
// directory), server-side apply, create -f, and conflicts surfacing as kubectl's Conflict error.
import t from 'tap';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startRewind } from './harness.ts';

const rw = await startRewind(t, ['--controllers=']);

const deployment = (replicas: number, extraEnv: boolean) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: ${replicas}
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: c
        image: nginx:1.25
        env:
        - name: MODE
          value: prod
${extraEnv ? '        - name: DEBUG\n          value: "1"\n' : ''}`;

t.test('client-side apply: create, change a field, remove a field, unchanged', async (t) => {
  const file = rw.file('web.yaml', deployment(1, true));
  const created = await rw.kubectl('apply', '-f', file);
  t.equal(created.stdout.trim(), 'deployment.apps/web created', created.stderr);
  const envNames = '{range .spec.template.spec.containers[0].env[*]}{.name} {end}';
  t.equal((await rw.kubectl('get', 'deploy', 'web', '-o', `jsonpath=${envNames}`)).stdout, 'MODE DEBUG ');

  rw.file('web.yaml', deployment(3, true));
  const changed = await rw.kubectl('apply', '-f', file);
  t.equal(changed.stdout.trim(), 'deployment.apps/web configured', changed.stderr);
  t.equal((await rw.kubectl('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout, '3');

  rw.file('web.yaml', deployment(3, false));
  const removed = await rw.kubectl('apply', '-f', file);
  t.equal(removed.stdout.trim(), 'deployment.apps/web configured', removed.stderr);
  t.equal((await rw.kubectl('get', 'deploy', 'web', '-o', `jsonpath=${envNames}`)).stdout, 'MODE ', 'the removed env var is gone');

  const again = await rw.kubectl('apply', '-f', file);
  t.equal(again.stdout.trim(), 'deployment.apps/web unchanged', again.stderr);
});

t.test('multi-document files and directories', async (t) => {
  const multi = rw.file('multi.yaml', [
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\ndata:\n  k: v\n',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: two\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n',
  ].join('---\n'));
  const r = await rw.kubectl('apply', '-f', multi);
  t.equal(r.stdout, 'configmap/one created\nservice/two created\n', r.stderr);
  const dir = join(rw.dir, 'manifests');
  mkdirSync(dir);
  writeFileSync(join(dir, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dir-a\n');
  writeFileSync(join(dir, 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dir-b\n');
  const d = await rw.kubectl('apply', '-f', dir);
  t.equal(d.stdout, 'configmap/dir-a created\nconfigmap/dir-b created\n', d.stderr);
});

t.test('server-side apply creates and then updates', async (t) => {
  const file = rw.file('ssa.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "1"\n');
  const first = await rw.kubectl('apply', '--server-side', '-f', file);
  t.equal(first.stdout.trim(), 'configmap/ssa serverside-applied', first.stderr);
  rw.file('ssa.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\ndata:\n  a: "2"\n');
  const second = await rw.kubectl('apply', '--server-side', '-f', file);
  t.equal(second.stdout.trim(), 'configmap/ssa serverside-applied', second.stderr);
  t.equal((await rw.kubectl('get', 'cm', 'ssa', '-o', 'jsonpath={.data.a}')).stdout, '2');
});

t.test('create -f, then AlreadyExists', async (t) => {
  const file = rw.file('rc.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: created\n');
  const r = await rw.kubectl('create', '-f', file);
  t.equal(r.stdout.trim(), 'configmap/created created', r.stderr);
  const dup = await rw.kubectl('create', '-f', file);
  t.equal(dup.code, 1);
  t.match(dup.stderr, /Error from server \(AlreadyExists\): error when creating ".*rc\.yaml": configmaps "created" already exists/);
});

t.test('a stale resourceVersion is a Conflict', async (t) => {
  await rw.kubectl('create', 'configmap', 'shared', '--from-literal', 'v=1');
  const stale = (await rw.kubectl('get', 'cm', 'shared', '-o', 'yaml')).stdout;
  const other = await rw.kubectl('label', 'cm', 'shared', 'writer=other');
  t.equal(other.code, 0, other.stderr);
  const file = rw.file('stale.yaml', stale.replace('v: "1"', 'v: "2"'));
  const r = await rw.kubectl('replace', '-f', file);
  t.equal(r.code, 1);
  t.match(r.stderr, /Error from server \(Conflict\): error when replacing ".*stale\.yaml": Operation cannot be fulfilled on configmaps "shared": the object has been modified; please apply your changes to the latest version and try again/);
  t.equal((await rw.kubectl('get', 'cm', 'shared', '-o', 'jsonpath={.data.v}')).stdout, '1');
});

t.test('--dry-run=server answers as a write would and writes nothing', async (t) => {
  const file = rw.file('dry.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\ndata:\n  k: v\n');
  const r = await rw.kubectl('apply', '--dry-run=server', '-f', file);
  t.equal(r.stdout.trim(), 'configmap/dry created (server dry run)', r.stderr);
  const got = await rw.kubectl('get', 'cm', 'dry');
  t.match(got.stderr, 'Error from server (NotFound): configmaps "dry" not found');
  const del = await rw.kubectl('delete', 'cm', 'shared', '--dry-run=server');
  t.equal(del.stdout.trim(), 'configmap "shared" deleted (server dry run)', del.stderr);
  t.equal((await rw.kubectl('get', 'cm', 'shared', '-o', 'name')).stdout.trim(), 'configmap/shared');
});
