// kube-scheduler's VolumeBinding plugin (pkg/scheduler/framework/plugins/volumebinding), for the
// claims a pod mounts:
// - PreFilter: a missing claim, or an unbound claim whose class binds Immediately, makes the pod
//   unschedulable everywhere — "0/3 nodes are available: pod has unbound immediate
//   PersistentVolumeClaims." (the binder must bind it first; the pod is retried when claims change);
// - Filter, per node: a bound claim's volume must admit the node ("node(s) had volume node affinity
//   conflict"); an unbound WaitForFirstConsumer claim needs a free matching volume admitting the
//   node, or a class with a provisioner (every class here has the simulated one);
// - PreBind: each unbound WaitForFirstConsumer claim gets the selected-node annotation, which is
//   what lets the binder bind or provision it on that node.

import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { ANN_SELECTED_NODE, PVCS, PVS, STORAGE_CLASSES, claimClass, claimSpec, podClaimNames } from '../volume/claims.ts';
import { findMatchingVolume, volumeAdmitsNode } from '../volume/match.ts';
import { bindingModeOf } from '../volume/provision.ts';
import type { FilterFailure, NodeInfo } from './filters.ts';

export interface VolumeBinding {
  /** Why no node can take the pod at all (PreFilter), if so. */
  unresolvable?: string;
  filter(info: NodeInfo): FilterFailure[];
  /** The PreBind writes once the pod is bound to `nodeName`. */
  preBind(nodeName: string): Mutation[];
}

const CONFLICT: FilterFailure = { reason: "node(s) had volume node affinity conflict", resolvable: false };
const NO_VOLUME: FilterFailure = { reason: "node(s) didn't find available persistent volumes to bind", resolvable: false };

export function volumeBinding(pod: KObject, view: ReadView): VolumeBinding {
  const ns = pod.metadata.namespace ?? '';
  const bound: KObject[] = [];
  const waiting: { claim: KObject; className: string; provisionable: boolean }[] = [];
  for (const name of podClaimNames(pod)) {
    const claim = view.get(PVCS, ns, name);
    if (!claim) return unresolvable(`persistentvolumeclaim "${name}" not found`);
    if (claim.metadata.deletionTimestamp) return unresolvable(`persistentvolumeclaim "${name}" is being deleted`);
    const volumeName = claimSpec(claim).volumeName;
    const volume = volumeName ? view.get(PVS, '', volumeName) : undefined;
    if (volume) {
      bound.push(volume);
      continue;
    }
    const className = claimClass(claim, view);
    const sc = className ? view.get(STORAGE_CLASSES, '', className) : undefined;
    if (!sc || bindingModeOf(sc) !== 'WaitForFirstConsumer') return unresolvable('pod has unbound immediate PersistentVolumeClaims');
    waiting.push({ claim, className, provisionable: !claimSpec(claim).selector });
  }
  if (bound.length === 0 && waiting.length === 0) return NO_CLAIMS;
  const volumes = waiting.length ? view.list(PVS).items : [];
  return {
    filter: (info) => {
      if (!bound.every((v) => volumeAdmitsNode(v, info.node))) return [CONFLICT];
      const fits = waiting.every((w) => w.provisionable || findMatchingVolume(w.claim, volumes, w.className, info.node));
      return fits ? [] : [NO_VOLUME];
    },
    preBind: (nodeName) =>
      waiting.map(({ claim }) => ({
        op: 'patch',
        res: PVCS,
        ns,
        name: claim.metadata.name!,
        apply: (cur: KObject) => ({ ...cur, metadata: { ...cur.metadata, annotations: { ...cur.metadata.annotations, [ANN_SELECTED_NODE]: nodeName } } }),
      })),
  };
}

/** A pod that mounts no claim: every node passes, nothing to pre-bind (shared: the common case, asked per node). */
const FITS: FilterFailure[] = [];
const NO_CLAIMS: VolumeBinding = { filter: () => FITS, preBind: () => [] };

function unresolvable(reason: string): VolumeBinding {
  return { unresolvable: reason, filter: () => [], preBind: () => [] };
}

/** A PreFilter rejection: the framework names the reason once, not per node, and preemption cannot help. */
export function preFilterMessage(total: number, reason: string): string {
  return `0/${total} nodes are available: ${reason}. preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}
