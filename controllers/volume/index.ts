// The PersistentVolume controllers `rewind serve` runs: the binder (claims, binder.ts), the reclaimer
// (volumes, reclaim.ts) and the default StorageClass a kind cluster comes with (default-class.ts).

import type { Event } from '../../core/events.ts';
import type { ReadView } from '../../store/store.ts';
import { objectKey, type Controller, type ControllerFactory, type Key } from '../runtime/types.ts';
import { BINDER, pendingClaimKeys, reconcileClaim } from './binder.ts';
import { PVCS, PVS, STORAGE_CLASSES, claimSpec, volumeSpec } from './claims.ts';
import { reconcileVolume } from './reclaim.ts';

/** A volume change may free or complete a claim: the claims still pending, and the one it names. */
function claimKeysOfVolume(e: Event, view: ReadView): Key[] {
  const ref = volumeSpec(e.object).claimRef;
  const named = ref?.name ? [objectKey(ref.namespace ?? '', ref.name)] : [];
  return [...new Set([...named, ...pendingClaimKeys(view)])];
}

export const volumeBinderController: ControllerFactory = (): Controller => ({
  name: BINDER,
  watches: [
    { res: PVCS, keys: (e) => (e.type === 'DELETED' ? [] : [objectKey(e.ns, e.name)]) },
    { res: PVS, keys: claimKeysOfVolume },
    { res: STORAGE_CLASSES, keys: (_e, view) => pendingClaimKeys(view) },
  ],
  reconcile: reconcileClaim,
});

export const volumeReclaimController: ControllerFactory = (): Controller => ({
  name: 'persistentvolume-reclaimer',
  watches: [
    { res: PVS, keys: (e) => (e.type === 'DELETED' ? [] : [e.name]) },
    { res: PVCS, keys: (e) => (claimSpec(e.object).volumeName ? [claimSpec(e.object).volumeName!] : []) },
  ],
  reconcile: reconcileVolume,
});
