// issue 3 acceptance: label (and --overwrite), annotate, edit with a scripted EDITOR, scale, delete by name,
// by -l and by -f, delete ns (Terminating), --cascade=orphan. Controllers are off, so what the API
// itself records (finalizers, Terminating) stays visible.
import t from 'tap';
import { chmodSync } from 'node:fs';
import { startRewind } from './harness.ts';

const rw = await startRewind(t, ['--controllers=']);

const cm = (name: string, labels = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  labels: {${labels}}\ndata:\n  k: v\n`;

t.test('label, label --overwrite, annotate', async (t) => {
  await rw.kubectl('apply', '-f', rw.file('l.yaml', cm('labelled')));
  t.equal((await rw.kubectl('label', 'cm', 'labelled', 'env=staging')).stdout.trim(), 'configmap/labelled labeled');
  const refused = await rw.kubectl('label', 'cm', 'labelled', 'env=prod');
  t.equal(refused.code, 1);
  t.match(refused.stderr, "'env' already has a value (staging), and --overwrite is false");
  t.equal((await rw.kubectl('label', 'cm', 'labelled', 'env=prod', '--overwrite')).stdout.trim(), 'configmap/labelled labeled');
  t.equal((await rw.kubectl('annotate', 'cm', 'labelled', 'owner=team-a')).stdout.trim(), 'configmap/labelled annotated');
  const got = await rw.kubectl('get', 'cm', 'labelled', '-o', 'jsonpath={.metadata.labels.env} {.metadata.annotations.owner}');
  t.equal(got.stdout, 'prod team-a');
  t.equal((await rw.kubectl('label', 'cm', 'labelled', 'env-')).stdout.trim(), 'configmap/labelled unlabeled');
});

t.test('edit with a scripted editor', async (t) => {
  await rw.kubectl('create', 'deployment', 'editme', '--image=nginx', '--replicas=1');
  const editor = rw.file('editor.sh', '#!/bin/sh\nsed -i "s/replicas: 1$/replicas: 4/" "$1"\n');
  chmodSync(editor, 0o755);
  const r = await rw.kubectl('edit', 'deployment', 'editme', { env: { EDITOR: editor, KUBE_EDITOR: editor } });
  t.equal(r.stdout.trim(), 'deployment.apps/editme edited', r.stderr);
  t.equal((await rw.kubectl('get', 'deploy', 'editme', '-o', 'jsonpath={.spec.replicas}')).stdout, '4');
  const noop = rw.file('noop.sh', '#!/bin/sh\ntrue\n');
  chmodSync(noop, 0o755);
  const cancelled = await rw.kubectl('edit', 'deployment', 'editme', { env: { EDITOR: noop, KUBE_EDITOR: noop } });
  t.match(cancelled.stderr + cancelled.stdout, 'Edit cancelled, no changes made.');
});

t.test('scale goes through the scale subresource', async (t) => {
  await rw.kubectl('create', 'deployment', 'scaled', '--image=nginx');
  const r = await rw.kubectl('scale', 'deployment', 'scaled', '--replicas=5');
  t.equal(r.stdout.trim(), 'deployment.apps/scaled scaled', r.stderr);
  t.equal((await rw.kubectl('get', 'deploy', 'scaled', '-o', 'jsonpath={.spec.replicas}')).stdout, '5');
});

t.test('delete by name, by -l and by -f', async (t) => {
  const file = rw.file('d.yaml', [cm('by-name'), cm('by-label-1', 'env: prod'), cm('by-label-2', 'env: prod'), cm('keep', 'env: dev')].join('---\n'));
  await rw.kubectl('apply', '-f', file);
  t.equal((await rw.kubectl('delete', 'cm', 'by-name')).stdout.trim(), 'configmap "by-name" deleted');
  const byLabel = await rw.kubectl('delete', 'cm', '-l', 'env=prod');
  t.equal(byLabel.stdout, 'configmap "by-label-1" deleted\nconfigmap "by-label-2" deleted\n', byLabel.stderr);
  t.equal((await rw.kubectl('get', 'cm', 'keep', '-o', 'name')).stdout.trim(), 'configmap/keep');
  const single = rw.file('keep.yaml', cm('keep', 'env: dev'));
  t.equal((await rw.kubectl('delete', '-f', single)).stdout.trim(), 'configmap "keep" deleted');
  const gone = await rw.kubectl('get', 'cm', 'keep');
  t.match(gone.stderr, 'Error from server (NotFound): configmaps "keep" not found');
});

t.test('delete ns marks it Terminating', async (t) => {
  await rw.kubectl('create', 'namespace', 'doomed');
  const r = await rw.kubectl('delete', 'ns', 'doomed', '--wait=false');
  t.equal(r.stdout.trim(), 'namespace "doomed" deleted', r.stderr);
  t.equal((await rw.kubectl('get', 'ns', 'doomed', '-o', 'jsonpath={.status.phase}')).stdout, 'Terminating');
  const late = await rw.kubectl('create', 'configmap', 'late', '-n', 'doomed');
  t.match(late.stderr, /because it is being terminated/);
});

t.test('--cascade=orphan records the orphan finalizer', async (t) => {
  const rc = `apiVersion: v1
kind: ReplicationController
metadata:
  name: kubia
spec:
  replicas: 1
  selector:
    app: kubia
  template:
    metadata:
      labels:
        app: kubia
    spec:
      containers:
      - name: kubia
        image: luksa/kubia
`;
  await rw.kubectl('create', '-f', rw.file('rc.yaml', rc));
  const r = await rw.kubectl('delete', 'rc', 'kubia', '--cascade=orphan', '--wait=false');
  t.equal(r.stdout.trim(), 'replicationcontroller "kubia" deleted', r.stderr);
  const fin = await rw.kubectl('get', 'rc', 'kubia', '-o', 'jsonpath={.metadata.finalizers}');
  t.equal(fin.stdout, '["orphan"]');
});
