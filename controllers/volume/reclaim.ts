// The volume side of the PersistentVolume controller (syncVolume), one volume per key: its phase
// follows its claimRef — none: Available; a live claim bound to it: Bound; a claim that is gone (or
// was recreated with another uid): Released, and then the reclaim policy decides — Delete removes
// the volume (the provisioner's deleter), Retain leaves it Released for the administrator (seed
// 001: a released Retain volume is not bound again until its claimRef is cleared).

import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { type Key, type ReconcileContext, type ReconcileResult } from '../runtime/types.ts';
import { PVCS, PVS, claimSpec, phaseOf, volumeSpec } from './claims.ts';

/** The phase the volume should show, and whether its reclaim policy deletes it now. */
export function volumePhase(volume: KObject, view: ReadView): { phase: string; remove: boolean } {
  const ref = volumeSpec(volume).claimRef;
  if (!ref?.name) return { phase: 'Available', remove: false };
  const claim = view.get(PVCS, ref.namespace ?? '', ref.name);
  const gone = !claim || (!!ref.uid && claim.metadata.uid !== ref.uid);
  if (!gone) return { phase: claimSpec(claim).volumeName === volume.metadata.name ? 'Bound' : 'Available', remove: false };
  if (!ref.uid) return { phase: 'Available', remove: false }; // pre-bound to a claim not created yet
  return { phase: 'Released', remove: volumeSpec(volume).persistentVolumeReclaimPolicy === 'Delete' };
}

export function reconcileVolume(key: Key, { view }: ReconcileContext): ReconcileResult {
  const volume = view.get(PVS, '', key);
  if (!volume || volume.metadata.deletionTimestamp) return { writes: [] };
  const { phase, remove } = volumePhase(volume, view);
  if (remove) return { writes: [{ op: 'delete', res: PVS, ns: '', name: key, expectedUid: volume.metadata.uid }] };
  if (phaseOf(volume) === phase) return { writes: [] };
  const write: Mutation = { op: 'patch', res: PVS, ns: '', name: key, apply: (cur) => ({ ...cur, status: { ...(cur.status as object), phase } }) };
  return { writes: [write] };
}
