// The PersistentVolume controllers on constructed views: which volume a claim binds (per access
// mode, class, selector, node), the exact binding writes, WaitForFirstConsumer, provisioning, and
// the phases and reclaim policies of volumes whose claims are gone.

import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { reconcileClaim } from '../../controllers/volume/binder.ts';
import { findMatchingVolume } from '../../controllers/volume/match.ts';
import { reconcileVolume } from '../../controllers/volume/reclaim.ts';
import { renderWrites, viewOf } from '../../controllers/runtime/testing.ts';
import { volumeBinding } from '../../controllers/scheduler/volume-binding.ts';

const pv = (name: string, storage: string, modes: string[], spec: Record<string, unknown> = {}, labels?: Record<string, string>): KObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name, uid: `uid-${name}`, ...(labels ? { labels } : {}) },
  spec: { capacity: { storage }, accessModes: modes, persistentVolumeReclaimPolicy: 'Retain', hostPath: { path: `/data/${name}` }, ...spec },
  status: { phase: 'Available' },
});

const pvc = (name: string, storage: string, modes: string[], spec: Record<string, unknown> = {}, annotations?: Record<string, string>): KObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '7', ...(annotations ? { annotations } : {}) },
  spec: { accessModes: modes, resources: { requests: { storage } }, volumeMode: 'Filesystem', ...spec },
  status: { phase: 'Pending' },
});

const storageClass = (name: string, mode: string, isDefault = false): KObject => ({
  apiVersion: 'storage.k8s.io/v1',
  kind: 'StorageClass',
  metadata: { name, creationTimestamp: '2026-01-01T00:00:00Z', ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
  provisioner: 'rancher.io/local-path',
  reclaimPolicy: 'Delete',
  volumeBindingMode: mode,
});

const node = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name, labels: { 'kubernetes.io/hostname': name } } });

const localTo = (nodeName: string) => ({
  nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [nodeName] }] }] } },
});

const seed001 = [pv('pv1', '1Gi', ['ReadWriteOnce']), pv('pv2', '2Gi', ['ReadWriteMany']), pv('pv3', '5Gi', ['ReadWriteOnce']), pv('pv4', '3Gi', ['ReadOnlyMany'])];

t.test('which volume a claim binds', async (t) => {
  const rows: [string, KObject, KObject[], string, KObject | undefined, string | undefined][] = [
    ['RWO 2Gi: pv1 too small, pv2 lacks RWO → pv3', pvc('c', '2Gi', ['ReadWriteOnce']), seed001, '', undefined, 'pv3'],
    ['RWO 1Gi: the smallest that fits', pvc('c', '1Gi', ['ReadWriteOnce']), seed001, '', undefined, 'pv1'],
    ['RWX 1Gi: only pv2 offers RWX', pvc('c', '1Gi', ['ReadWriteMany']), seed001, '', undefined, 'pv2'],
    ['ROX 1Gi: pv4', pvc('c', '1Gi', ['ReadOnlyMany']), seed001, '', undefined, 'pv4'],
    ['RWX 3Gi: nothing big enough offers RWX', pvc('c', '3Gi', ['ReadWriteMany']), seed001, '', undefined, undefined],
    ['a volume bound to another claim is taken', pvc('c', '1Gi', ['ReadWriteOnce']), [pv('pv1', '1Gi', ['ReadWriteOnce'], { claimRef: { namespace: 'default', name: 'other', uid: 'u' } })], '', undefined, undefined],
    ['class must match', pvc('c', '1Gi', ['ReadWriteOnce']), [pv('pv1', '1Gi', ['ReadWriteOnce'], { storageClassName: 'fast' })], '', undefined, undefined],
    ['same class binds', pvc('c', '1Gi', ['ReadWriteOnce']), [pv('pv1', '1Gi', ['ReadWriteOnce'], { storageClassName: 'fast' })], 'fast', undefined, 'pv1'],
    ['selector filters by label', pvc('c', '1Gi', ['ReadWriteOnce'], { selector: { matchLabels: { tier: 'db' } } }), [pv('pv1', '1Gi', ['ReadWriteOnce']), pv('pv9', '9Gi', ['ReadWriteOnce'], {}, { tier: 'db' })], '', undefined, 'pv9'],
    ['Block claim needs a Block volume', pvc('c', '1Gi', ['ReadWriteOnce'], { volumeMode: 'Block' }), [pv('pv1', '1Gi', ['ReadWriteOnce'])], '', undefined, undefined],
    ['local volume on another node is skipped', pvc('c', '1Gi', ['ReadWriteOnce']), [pv('pv1', '1Gi', ['ReadWriteOnce'], localTo('node-2'))], '', node('node-1'), undefined],
    ['local volume on the selected node', pvc('c', '1Gi', ['ReadWriteOnce']), [pv('pv1', '1Gi', ['ReadWriteOnce'], localTo('node-1'))], '', node('node-1'), 'pv1'],
    ['pre-bound volume wins even when larger', pvc('c', '1Gi', ['ReadWriteOnce']), [pv('pv1', '1Gi', ['ReadWriteOnce']), pv('big', '9Gi', ['ReadWriteOnce'], { claimRef: { namespace: 'default', name: 'c' } })], '', undefined, 'big'],
  ];
  for (const [name, claim, volumes, className, n, want] of rows) t.equal(findMatchingVolume(claim, volumes, className, n)?.metadata.name, want, name);
});

t.test('binding writes both sides in one reconcile', async (t) => {
  const view = viewOf([...seed001, pvc('data', '2Gi', ['ReadWriteOnce'])]);
  const writes = renderWrites(reconcileClaim('default/data', { view, now: 0 }).writes, view);
  t.same(
    writes.map((w) => [w.op, w.res, w.name]),
    [
      ['patch', 'v1/persistentvolumes', 'pv3'],
      ['patch', 'v1/persistentvolumeclaims', 'data'],
    ],
  );
  const [volume, claim] = writes.map((w) => w.object!);
  t.same((volume.spec as Record<string, unknown>).claimRef, { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'uid-data', apiVersion: 'v1', resourceVersion: '7' });
  t.same(volume.status, { phase: 'Bound' });
  t.same(volume.metadata.annotations, { 'pv.kubernetes.io/bound-by-controller': 'yes' });
  t.equal((claim.spec as Record<string, unknown>).volumeName, 'pv3');
  t.same(claim.status, { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '5Gi' } });
  t.same(claim.metadata.annotations, { 'pv.kubernetes.io/bound-by-controller': 'yes', 'pv.kubernetes.io/bind-completed': 'yes' });
});

t.test('no volume and no class: Pending with FailedBinding', async (t) => {
  const view = viewOf([pvc('data', '9Gi', ['ReadWriteMany'])]);
  const writes = renderWrites(reconcileClaim('default/data', { view, now: 0 }).writes, view);
  t.equal(writes.length, 1);
  t.equal(writes[0].object!.reason, 'FailedBinding');
  t.equal(writes[0].object!.message, 'no persistent volumes available for this claim and no storage class is set');
});

t.test('WaitForFirstConsumer: waits, then the scheduler selects a node and the claim is provisioned there', async (t) => {
  const sc = storageClass('local-path', 'WaitForFirstConsumer', true);
  const claim = pvc('data', '128Mi', ['ReadWriteOnce']); // no class: the default one
  const waiting = viewOf([sc, claim, node('node-1')]);
  const first = renderWrites(reconcileClaim('default/data', { view: waiting, now: 0 }).writes, waiting);
  t.same(first.map((w) => w.object!.reason), ['WaitForFirstConsumer']);

  const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] } };
  const binding = volumeBinding(pod, waiting);
  t.equal(binding.unresolvable, undefined);
  const selected = renderWrites(binding.preBind('node-1'), waiting);
  t.equal(selected[0].object!.metadata.annotations!['volume.kubernetes.io/selected-node'], 'node-1');

  const ready = viewOf([sc, selected[0].object!, node('node-1')]);
  const writes = renderWrites(reconcileClaim('default/data', { view: ready, now: 0 }).writes, ready);
  t.same(
    writes.map((w) => [w.op, w.res, w.op === 'patch' && w.res === 'v1/events' ? w.object!.reason : w.name]),
    [
      ['patch', 'v1/events', 'ExternalProvisioning'],
      ['patch', 'v1/persistentvolumeclaims', 'data'],
      ['create', 'v1/persistentvolumes', 'pvc-uid-data'],
      ['patch', 'v1/events', 'Provisioning'],
      ['patch', 'v1/events', 'ProvisioningSucceeded'],
      ['patch', 'v1/persistentvolumes', 'pvc-uid-data'],
      ['patch', 'v1/persistentvolumeclaims', 'data'],
    ],
  );
  const created = writes[2].object!;
  t.same(created.spec, {
    capacity: { storage: '128Mi' },
    accessModes: ['ReadWriteOnce'],
    volumeMode: 'Filesystem',
    persistentVolumeReclaimPolicy: 'Delete',
    storageClassName: 'local-path',
    claimRef: { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'uid-data', apiVersion: 'v1', resourceVersion: '7' },
    hostPath: { path: '/var/local-path-provisioner/pvc-uid-data_default_data', type: 'DirectoryOrCreate' },
    ...localTo('node-1'),
  });
});

t.test('the scheduler: unbound Immediate claims block every node; a local volume pins the pod', async (t) => {
  const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { volumes: [{ name: 'v', persistentVolumeClaim: { claimName: 'data' } }] } };
  t.equal(volumeBinding(pod, viewOf([pvc('data', '1Gi', ['ReadWriteOnce'])])).unresolvable, 'pod has unbound immediate PersistentVolumeClaims');
  t.equal(volumeBinding(pod, viewOf([])).unresolvable, 'persistentvolumeclaim "data" not found');
  const bound = pvc('data', '1Gi', ['ReadWriteOnce'], { volumeName: 'pv1' });
  const binding = volumeBinding(pod, viewOf([bound, pv('pv1', '1Gi', ['ReadWriteOnce'], localTo('node-2'))]));
  const info = (name: string) => ({ node: node(name), requested: { cpu: 0, memory: 0, pods: 0 }, nonZeroRequested: { cpu: 0, memory: 0, pods: 0 }, hostPorts: new Set<string>() });
  t.same(binding.filter(info('node-1')), [{ reason: 'node(s) had volume node affinity conflict', resolvable: false }]);
  t.same(binding.filter(info('node-2')), []);
});

t.test('volume phases and reclaim policies', async (t) => {
  const claimed = (policy: string) => pv('pv1', '1Gi', ['ReadWriteOnce'], { persistentVolumeReclaimPolicy: policy, claimRef: { namespace: 'default', name: 'data', uid: 'uid-data' } });
  const boundClaim = pvc('data', '1Gi', ['ReadWriteOnce'], { volumeName: 'pv1' });
  const rows: [string, KObject[], unknown][] = [
    ['claim alive and bound → Bound', [claimed('Retain'), boundClaim], [{ op: 'patch', res: 'v1/persistentvolumes', ns: '', name: 'pv1', object: { ...claimed('Retain'), status: { phase: 'Bound' } } }]],
    ['Retain, claim gone → Released', [claimed('Retain')], [{ op: 'patch', res: 'v1/persistentvolumes', ns: '', name: 'pv1', object: { ...claimed('Retain'), status: { phase: 'Released' } } }]],
    ['Delete, claim gone → deleted', [claimed('Delete')], [{ op: 'delete', res: 'v1/persistentvolumes', ns: '', name: 'pv1' }]],
    ['claim recreated with another uid → Released', [claimed('Retain'), { ...boundClaim, metadata: { ...boundClaim.metadata, uid: 'new' } }], [{ op: 'patch', res: 'v1/persistentvolumes', ns: '', name: 'pv1', object: { ...claimed('Retain'), status: { phase: 'Released' } } }]],
    ['free and Available → nothing', [pv('pv1', '1Gi', ['ReadWriteOnce'])], []],
  ];
  for (const [name, objects, want] of rows) {
    const view = viewOf(objects);
    t.same(renderWrites(reconcileVolume('pv1', { view, now: 0 }).writes, view), want, name);
  }
});
