// issue 5 acceptance, storage (seeds 001 and 003), driven by the real kubectl: static volumes bound
// per access mode, reclaim policies, a WaitForFirstConsumer class provisioning for a pod's node,
// and a pod held Pending by a claim nothing can bind.
import t from 'tap';
import { eventually } from './eventually.ts';
import { startRewind } from './harness.ts';

const rw = await startRewind(t);

const volume = (name: string, size: string, mode: string, policy = 'Retain') => `apiVersion: v1
kind: PersistentVolume
metadata:
  name: ${name}
spec:
  capacity:
    storage: ${size}
  accessModes: [${mode}]
  persistentVolumeReclaimPolicy: ${policy}
  hostPath:
    path: /data/${name}
`;

const claim = (name: string, size: string, mode: string, className: string | undefined = '') => `apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: ${name}
spec:
${className === undefined ? '' : `  storageClassName: "${className}"\n`}  accessModes: [${mode}]
  resources:
    requests:
      storage: ${size}
`;

const jsonpath = async (what: string, path: string) => (await rw.kubectl('get', what, '-o', `jsonpath=${path}`)).stdout;

t.test('seed 001: each claim binds the smallest volume with its access mode', async (t) => {
  const volumes = [volume('pv-rwo-1g', '1Gi', 'ReadWriteOnce'), volume('pv-rwo-5g', '5Gi', 'ReadWriteOnce'), volume('pv-rwx', '2Gi', 'ReadWriteMany'), volume('pv-rox', '2Gi', 'ReadOnlyMany')];
  t.equal((await rw.kubectl('apply', '-f', rw.file('pvs.yaml', volumes.join('---\n')))).code, 0);
  const claims = [claim('c-rwo', '2Gi', 'ReadWriteOnce'), claim('c-rwx', '1Gi', 'ReadWriteMany'), claim('c-rox', '1Gi', 'ReadOnlyMany'), claim('c-none', '1Gi', 'ReadWriteMany')];
  t.equal((await rw.kubectl('apply', '-f', rw.file('pvcs.yaml', claims.join('---\n')))).code, 0);
  const bound = await eventually(
    () => rw.kubectl('get', 'pvc', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.spec.volumeName}:{.status.phase} {end}'),
    (r) => (r.stdout.match(/:Bound/g) ?? []).length === 3,
  );
  t.equal(bound.stdout.trim(), 'c-none=:Pending c-rox=pv-rox:Bound c-rwo=pv-rwo-5g:Bound c-rwx=pv-rwx:Bound');
  const pvs = await rw.kubectl('get', 'pv', 'pv-rwo-5g');
  t.match(pvs.stdout, /pv-rwo-5g\s+5Gi\s+RWO\s+Retain\s+Bound\s+default\/c-rwo/);
  const describe = await rw.kubectl('describe', 'pvc', 'c-none');
  t.match(describe.stdout, /FailedBinding\s+.*no persistent volumes available for this claim and no storage class is set/);

  t.equal((await rw.kubectl('delete', 'pvc', 'c-rwo')).code, 0);
  const released = await eventually(() => rw.kubectl('get', 'pv/pv-rwo-5g', '-o', 'jsonpath={.status.phase}'), (r) => r.stdout === 'Released');
  t.equal(released.stdout, 'Released', 'a Retain volume stays, Released');
});

t.test('seed 003: a WaitForFirstConsumer class provisions on the node of the pod that uses the claim', async (t) => {
  const sc = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata:
  annotations:
    storageclass.kubernetes.io/is-default-class: "true"
  name: local-path
provisioner: rancher.io/local-path
reclaimPolicy: Delete
volumeBindingMode: WaitForFirstConsumer
allowVolumeExpansion: false
`;
  t.equal((await rw.kubectl('apply', '-f', rw.file('sc.yaml', sc))).code, 0);
  const classes = await rw.kubectl('get', 'sc');
  t.match(classes.stdout, /local-path \(default\)\s+rancher.io\/local-path\s+Delete\s+WaitForFirstConsumer\s+false/);
  t.match(classes.stdout, /standard \(default\)\s+rewind.dev\/local-path\s+Delete\s+WaitForFirstConsumer/);
  t.equal((await rw.kubectl('apply', '-f', rw.file('data.yaml', claim('data', '128Mi', 'ReadWriteOnce', 'local-path')))).code, 0);
  const waiting = await eventually(() => rw.kubectl('describe', 'pvc', 'data'), (r) => r.stdout.includes('WaitForFirstConsumer'));
  t.match(waiting.stdout, /waiting for first consumer to be created before binding/);
  t.equal(await jsonpath('pvc/data', '{.status.phase}'), 'Pending');

  const pod = `apiVersion: v1
kind: Pod
metadata:
  name: writer
spec:
  containers:
  - name: app
    image: busybox
    command: ["sleep", "3600"]
    volumeMounts:
    - name: data
      mountPath: /data
  volumes:
  - name: data
    persistentVolumeClaim:
      claimName: data
`;
  t.equal((await rw.kubectl('apply', '-f', rw.file('writer.yaml', pod))).code, 0);
  t.equal((await rw.kubectl('wait', '--for=condition=Ready', 'pod/writer', '--timeout=60s')).code, 0);
  const uid = await jsonpath('pvc/data', '{.metadata.uid}');
  t.equal(await jsonpath('pvc/data', '{.status.phase}:{.spec.volumeName}'), `Bound:pvc-${uid}`);
  const node = await jsonpath('pod/writer', '{.spec.nodeName}');
  t.equal(await jsonpath('pvc/data', "{.metadata.annotations['volume\\.kubernetes\\.io/selected-node']}"), node);
  t.equal(await jsonpath(`pv/pvc-${uid}`, '{.spec.storageClassName} {.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values[0]}'), `local-path ${node}`);
  const events = await rw.kubectl('describe', 'pvc', 'data');
  t.match(events.stdout, /ProvisioningSucceeded\s+.*Successfully provisioned volume pvc-/);

  t.equal((await rw.kubectl('delete', 'pod', 'writer', '--wait=true')).code, 0);
  t.equal((await rw.kubectl('delete', 'pvc', 'data')).code, 0);
  const gone = await eventually(() => rw.kubectl('get', 'pv', `pvc-${uid}`), (r) => r.code !== 0);
  t.match(gone.stderr, /NotFound/, 'reclaim policy Delete removes the provisioned volume');
});

t.test('a pod whose claim cannot bind stays Pending with the scheduler\'s reason', async (t) => {
  t.equal((await rw.kubectl('apply', '-f', rw.file('lonely.yaml', claim('lonely', '50Gi', 'ReadWriteOnce')))).code, 0);
  const pod = `apiVersion: v1
kind: Pod
metadata:
  name: stuck
spec:
  containers:
  - name: app
    image: nginx
  volumes:
  - name: v
    persistentVolumeClaim:
      claimName: lonely
`;
  t.equal((await rw.kubectl('apply', '-f', rw.file('stuck.yaml', pod))).code, 0);
  const described = await eventually(() => rw.kubectl('describe', 'pod', 'stuck'), (r) => r.stdout.includes('FailedScheduling'));
  t.match(described.stdout, /0\/3 nodes are available: pod has unbound immediate PersistentVolumeClaims\. preemption: 0\/3 nodes are available: 3 Preemption is not helpful for scheduling\./);
  t.equal(await jsonpath('pod/stuck', '{.status.phase}'), 'Pending');
});
