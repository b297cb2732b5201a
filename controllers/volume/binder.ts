// The claim side of the PersistentVolume controller (pkg/controller/volume/persistentvolume,
// syncUnboundClaim / syncBoundClaim), one claim per key. The decision ladder:
//   1. bound already (volumeName set): finish the binding on both sides if a write was lost;
//   2. a matching volume exists (match.ts): bind it;
//   3. the class waits for the first consumer and no pod has been scheduled with the claim yet:
//      event WaitForFirstConsumer, stay Pending (the scheduler sets the selected-node annotation);
//   4. the class has a provisioner: provision `pvc-<uid>` (provision.ts) and bind it at once;
//   5. otherwise stay Pending with FailedBinding.
// Binding writes both objects in one commit: the volume's claimRef, bound-by-controller and phase
// Bound; the claim's volumeName, bind-completed, bound-by-controller and status (phase, capacity,
// access modes) — what `kubectl get pv,pvc` shows.

import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { recordEvent } from '../events.ts';
import { NODES } from '../nodes/node.ts';
import { splitKey, type Key, type ReconcileContext, type ReconcileResult } from '../runtime/types.ts';
import {
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_SELECTED_NODE,
  ANN_STORAGE_PROVISIONER,
  PVCS,
  PVS,
  STORAGE_CLASSES,
  annotation,
  claimClass,
  claimSpec,
  isClaimBound,
  volumeSpec,
} from './claims.ts';
import { findMatchingVolume, refersTo } from './match.ts';
import { bindingModeOf, claimRefOf, provisionedVolume, provisionerOf } from './provision.ts';

export const BINDER = 'persistentvolume-controller';

export function reconcileClaim(key: Key, { view, now }: ReconcileContext): ReconcileResult {
  const { ns, name } = splitKey(key);
  const claim = view.get(PVCS, ns, name);
  if (!claim || claim.metadata.deletionTimestamp || isClaimBound(claim)) return { writes: [] };
  const bound = claimSpec(claim).volumeName;
  if (bound) return { writes: finishBinding(claim, view.get(PVS, '', bound)) };
  const className = claimClass(claim, view);
  const sc = className ? view.get(STORAGE_CLASSES, '', className) : undefined;
  const selected = annotation(claim, ANN_SELECTED_NODE);
  const waits = sc !== undefined && bindingModeOf(sc) === 'WaitForFirstConsumer';
  const node = waits && selected ? view.get(NODES, '', selected) : undefined;
  if (waits && !node) return { writes: [event(claim, 'WaitForFirstConsumer', 'waiting for first consumer to be created before binding', now)] };
  const volume = findMatchingVolume(claim, view.list(PVS).items, className, node);
  if (volume) return { writes: bind(volume, claim) };
  if (sc && !claimSpec(claim).selector) return { writes: provision(claim, sc, now) };
  const why = className ? `storageclass.storage.k8s.io "${className}" not found` : 'no persistent volumes available for this claim and no storage class is set';
  return { writes: [event(claim, 'FailedBinding', why, now)] };
}

/** The claim names a volume but is not Bound: bind it if the volume is free or already ours. */
function finishBinding(claim: KObject, volume: KObject | undefined): Mutation[] {
  if (!volume) return [];
  const ref = volumeSpec(volume).claimRef;
  if (ref && !refersTo(ref, claim)) return [];
  return bindWrites(volume, claim, annotation(claim, ANN_BOUND_BY_CONTROLLER) === 'yes');
}

function bind(volume: KObject, claim: KObject): Mutation[] {
  // A volume the administrator pre-bound (claimRef set by hand) is not marked bound-by-controller.
  return bindWrites(volume, claim, !refersTo(volumeSpec(volume).claimRef, claim));
}

function bindWrites(volume: KObject, claim: KObject, byController: boolean): Mutation[] {
  const v = volumeSpec(volume);
  const marks = (cur: KObject, extra: Record<string, string>) => ({
    ...cur.metadata,
    annotations: { ...cur.metadata.annotations, ...(byController ? { [ANN_BOUND_BY_CONTROLLER]: 'yes' } : {}), ...extra },
  });
  return [
    {
      op: 'patch',
      res: PVS,
      ns: '',
      name: volume.metadata.name!,
      apply: (cur) => ({ ...cur, metadata: marks(cur, {}), spec: { ...(cur.spec as object), claimRef: claimRefOf(claim) }, status: { ...(cur.status as object), phase: 'Bound' } }),
    },
    {
      op: 'patch',
      res: PVCS,
      ns: claim.metadata.namespace ?? '',
      name: claim.metadata.name!,
      apply: (cur) => ({
        ...cur,
        metadata: marks(cur, { [ANN_BIND_COMPLETED]: 'yes' }),
        spec: { ...(cur.spec as object), volumeName: volume.metadata.name },
        status: { ...(cur.status as object), phase: 'Bound', accessModes: v.accessModes ?? [], capacity: v.capacity ?? {} },
      }),
    },
  ];
}

/** Provision a volume for the claim and bind it in the same commit (the provisioner's and the binder's work). */
function provision(claim: KObject, sc: KObject, now: number): Mutation[] {
  const provisioner = provisionerOf(sc);
  const volume = provisionedVolume(claim, sc);
  const ns = claim.metadata.namespace ?? '';
  return [
    event(
      claim,
      'ExternalProvisioning',
      `Waiting for a volume to be created either by the external provisioner '${provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
      now,
    ),
    {
      op: 'patch',
      res: PVCS,
      ns,
      name: claim.metadata.name!,
      apply: (cur) => ({ ...cur, metadata: { ...cur.metadata, annotations: { ...cur.metadata.annotations, [ANN_STORAGE_PROVISIONER]: provisioner } } }),
    },
    { op: 'create', res: PVS, object: volume },
    recordEvent(provisioner, { object: claim, type: 'Normal', reason: 'Provisioning', message: `External provisioner is provisioning volume for claim "${ns}/${claim.metadata.name}"` }, now),
    recordEvent(provisioner, { object: claim, type: 'Normal', reason: 'ProvisioningSucceeded', message: `Successfully provisioned volume ${volume.metadata.name}` }, now),
    ...bindWrites(volume, claim, true),
  ];
}

function event(claim: KObject, reason: string, message: string, now: number): Mutation {
  return recordEvent(BINDER, { object: claim, type: 'Normal', reason, message }, now);
}

/** Claims still waiting for a volume: the keys to try again when volumes or classes change. */
export function pendingClaimKeys(view: ReadView): Key[] {
  return view
    .list(PVCS, { filter: (c) => !isClaimBound(c) && !c.metadata.deletionTimestamp })
    .items.map((c) => `${c.metadata.namespace}/${c.metadata.name}`);
}
