// Reading PersistentVolumes, PersistentVolumeClaims and StorageClasses the way the binder
// (pkg/controller/volume/persistentvolume) and the scheduler's VolumeBinding plugin do: the class a
// claim asks for (nil → the default class), the claims a pod mounts, whether a claim is bound.

import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { PVCS } from '../statefulset.ts';

export { PVCS };
export const PVS = 'v1/persistentvolumes';
export const STORAGE_CLASSES = 'storage.k8s.io/v1/storageclasses';

export const ANN_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
const ANN_DEFAULT_CLASS_BETA = 'storageclass.beta.kubernetes.io/is-default-class';
/** Set by the scheduler on a WaitForFirstConsumer claim: the node its first consumer landed on. */
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';

export interface ClaimRef {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
}

export interface ClaimSpec {
  accessModes?: string[];
  resources?: { requests?: { storage?: unknown } };
  storageClassName?: string | null;
  selector?: import('../../core/selectors.ts').LabelSelector;
  volumeMode?: string;
  volumeName?: string;
}

export interface VolumeSpec {
  accessModes?: string[];
  capacity?: { storage?: unknown };
  storageClassName?: string;
  volumeMode?: string;
  claimRef?: ClaimRef;
  persistentVolumeReclaimPolicy?: string;
  nodeAffinity?: { required?: { nodeSelectorTerms?: unknown[] } };
}

export const claimSpec = (c: KObject) => (c.spec ?? {}) as ClaimSpec;
export const volumeSpec = (v: KObject) => (v.spec ?? {}) as VolumeSpec;
export const phaseOf = (o: KObject) => (o.status as { phase?: string } | undefined)?.phase;
export const annotation = (o: KObject, key: string) => o.metadata.annotations?.[key];

export function isDefaultClass(sc: KObject): boolean {
  return annotation(sc, ANN_DEFAULT_CLASS) === 'true' || annotation(sc, ANN_DEFAULT_CLASS_BETA) === 'true';
}

/**
 * The class a claim asks for. An explicit "" means "no class" (static volumes without a class only);
 * a claim that names none gets the default class, as the DefaultStorageClass admission plugin and
 * (since 1.28) the binder's retroactive assignment give it; with several defaults, the newest wins.
 */
export function claimClass(claim: KObject, view: ReadView): string {
  const named = claimSpec(claim).storageClassName;
  if (named !== undefined && named !== null) return named;
  const defaults = view.list(STORAGE_CLASSES).items.filter(isDefaultClass);
  defaults.sort((a, b) => String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)));
  return defaults[0]?.metadata.name ?? '';
}

/** The claim names a pod mounts (volumes[].persistentVolumeClaim.claimName). */
export function podClaimNames(pod: KObject): string[] {
  const volumes = (pod.spec as { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] } | undefined)?.volumes ?? [];
  return volumes.map((v) => v.persistentVolumeClaim?.claimName).filter((n): n is string => !!n);
}

/** A claim the binder has finished: it names its volume and says Bound. */
export function isClaimBound(claim: KObject | undefined): boolean {
  return !!claim && !!claimSpec(claim).volumeName && phaseOf(claim) === 'Bound';
}

/** The kubelet mounts a pod's volumes only once each claim exists and is bound. */
export function podVolumesReady(pod: KObject, view: ReadView): boolean {
  const ns = pod.metadata.namespace ?? '';
  return podClaimNames(pod).every((name) => isClaimBound(view.get(PVCS, ns, name)));
}

/** Keys of the scheduled pods mounting the claim an event is about: they wait on it to start. */
export function podKeysMountingClaim(e: { ns: string; name: string }, view: ReadView): string[] {
  return view
    .list('v1/pods', { namespace: e.ns, filter: (p) => !!(p.spec as { nodeName?: string } | undefined)?.nodeName && podClaimNames(p).includes(e.name) })
    .items.map((p) => `${e.ns}/${p.metadata.name}`);
}
