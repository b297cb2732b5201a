// PersistentVolume admission: SetDefaults_PersistentVolume (phase Pending, reclaim policy Retain
// for a statically created volume, volumeMode Filesystem) and ValidatePersistentVolume's required
// access modes, storage capacity and exactly one volume source.

import { FieldPath, notSupported, required, type FieldCause } from '../field-errors.ts';
import type { KObject } from '../object.ts';
import { validateAccessModes } from './storage.ts';
import { ensure, fill, rec, type KindRules } from './types.ts';

const SPEC = FieldPath.root('spec');
const RECLAIM_POLICIES = ['Delete', 'Recycle', 'Retain'];
const PV_SOURCES = [
  'hostPath', 'local', 'nfs', 'csi', 'gcePersistentDisk', 'awsElasticBlockStore', 'iscsi', 'glusterfs', 'rbd', 'cinder', 'cephfs',
  'fc', 'flocker', 'flexVolume', 'azureFile', 'azureDisk', 'vsphereVolume', 'quobyte', 'photonPersistentDisk', 'portworxVolume',
  'scaleIO', 'storageos',
];

function defaults(obj: KObject): void {
  const spec = ensure(obj, 'spec');
  fill(spec, 'persistentVolumeReclaimPolicy', 'Retain');
  fill(spec, 'volumeMode', 'Filesystem');
  fill(ensure(obj, 'status'), 'phase', 'Pending');
}

function validate(obj: KObject): FieldCause[] {
  const spec = rec(obj.spec) ?? {};
  const causes = validateAccessModes(spec.accessModes, SPEC.child('accessModes'));
  const capacity = rec(spec.capacity) ?? {};
  if (Object.keys(capacity).length === 0) causes.push(required(SPEC.child('capacity')));
  else if (!('storage' in capacity) || Object.keys(capacity).length > 1) causes.push(notSupported(SPEC.child('capacity'), Object.keys(capacity), ['storage']));
  if (!PV_SOURCES.some((s) => spec[s] !== undefined)) causes.push(required(SPEC, 'must specify a volume type'));
  if (!RECLAIM_POLICIES.includes(spec.persistentVolumeReclaimPolicy)) {
    causes.push(notSupported(SPEC.child('persistentVolumeReclaimPolicy'), spec.persistentVolumeReclaimPolicy ?? '', RECLAIM_POLICIES));
  }
  return causes;
}

export const persistentVolumeRules: KindRules = { defaults, validate };
