// The simulated dynamic provisioner. Every StorageClass provisioner is served by it: rewind.dev/local-path
// (the default class `standard`), rancher.io/local-path (seed 003) and any other name alike, since
// a simulated cluster has no real storage backend to wait for. It makes what local-path-provisioner
// makes: a PersistentVolume `pvc-<claim uid>` of the class, with the claim's request as capacity,
// its access modes and volumeMode, the class's reclaim policy (default Delete), a hostPath under
// /var/local-path-provisioner, and — when the claim waited for its first consumer — node affinity
// pinning it to the node that consumer was scheduled on.

import type { KObject } from '../../core/object.ts';
import { ANN_PROVISIONED_BY, ANN_SELECTED_NODE, annotation, claimSpec, type ClaimRef } from './claims.ts';

export const provisionerOf = (sc: KObject) => String((sc as { provisioner?: unknown }).provisioner ?? '');
export const bindingModeOf = (sc: KObject) => String((sc as { volumeBindingMode?: unknown }).volumeBindingMode ?? 'Immediate');
const reclaimPolicyOf = (sc: KObject) => String((sc as { reclaimPolicy?: unknown }).reclaimPolicy ?? 'Delete');

export function claimRefOf(claim: KObject): ClaimRef {
  const m = claim.metadata;
  return { kind: 'PersistentVolumeClaim', namespace: m.namespace, name: m.name, uid: m.uid, apiVersion: 'v1', resourceVersion: m.resourceVersion };
}

/** The volume the provisioner creates for `claim` of class `sc`, already pointing at the claim. */
export function provisionedVolume(claim: KObject, sc: KObject): KObject {
  const c = claimSpec(claim);
  const name = `pvc-${claim.metadata.uid}`;
  const node = annotation(claim, ANN_SELECTED_NODE);
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { [ANN_PROVISIONED_BY]: provisionerOf(sc) } },
    spec: {
      capacity: { storage: c.resources?.requests?.storage },
      accessModes: c.accessModes ?? [],
      volumeMode: c.volumeMode ?? 'Filesystem',
      persistentVolumeReclaimPolicy: reclaimPolicyOf(sc),
      storageClassName: sc.metadata.name,
      claimRef: claimRefOf(claim),
      hostPath: { path: `/var/local-path-provisioner/${name}_${claim.metadata.namespace}_${claim.metadata.name}`, type: 'DirectoryOrCreate' },
      ...(node
        ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } } }
        : {}),
    },
  };
}
