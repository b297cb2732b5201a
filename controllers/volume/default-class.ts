// The StorageClass a kind cluster starts with: `standard`, marked default, served by the simulated
// local-path provisioner and binding when the first consumer is scheduled (kind's
// rancher.io/local-path class, under our provisioner's name). Created once, when the cluster has no
// StorageClass at all — an administrator who deletes or replaces it is not overruled.

import type { KObject } from '../../core/object.ts';
import { type Controller, type ControllerFactory, type ReconcileResult } from '../runtime/types.ts';
import { ANN_DEFAULT_CLASS, STORAGE_CLASSES } from './claims.ts';

export const DEFAULT_STORAGE_CLASS = 'standard';
export const LOCAL_PATH_PROVISIONER = 'rewind.dev/local-path';

export function standardStorageClass(): KObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { [ANN_DEFAULT_CLASS]: 'true' } },
    provisioner: LOCAL_PATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

export const defaultStorageClassController: ControllerFactory = (): Controller => ({
  name: 'default-storage-class',
  watches: [{ res: STORAGE_CLASSES, keys: () => [] }],
  initialKeys: (view) => (view.list(STORAGE_CLASSES).items.length === 0 ? [DEFAULT_STORAGE_CLASS] : []),
  reconcile: (_key, { view }): ReconcileResult =>
    view.list(STORAGE_CLASSES).items.length === 0 ? { writes: [{ op: 'create', res: STORAGE_CLASSES, object: standardStorageClass() }] } : { writes: [] },
});
