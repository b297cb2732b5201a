// Taints and tolerations as k8s.io/api/core/v1 toleration.go and taint.go define them: the
// scheduler, the DaemonSet controller and the node lifecycle controller (taint-based eviction) all
// ask the same question — does this pod tolerate that taint?

import type { KObject } from '../../core/object.ts';

export type TaintEffect = 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';

export interface Taint {
  key: string;
  value?: string;
  effect: TaintEffect;
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

/** The node lifecycle controller's taint for a node whose kubelet stopped posting status. */
export const UNREACHABLE = 'node.kubernetes.io/unreachable';
/** The taint `kubectl cordon` (spec.unschedulable) stands for. */
export const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export const taintsOf = (node: KObject): Taint[] => ((node.spec as { taints?: Taint[] } | undefined)?.taints ?? []);
export const tolerationsOf = (pod: KObject): Toleration[] => ((pod.spec as { tolerations?: Toleration[] } | undefined)?.tolerations ?? []);

/**
 * Toleration.ToleratesTaint: an empty effect matches every effect, an empty key with operator
 * Exists matches every key, Exists ignores the value, Equal (the default) compares it.
 */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  return (t.value ?? '') === (taint.value ?? '');
}

/** The first taint with one of `effects` that no toleration tolerates (FindMatchingUntoleratedTaint). */
export function untoleratedTaint(taints: Taint[], tolerations: Toleration[], effects: TaintEffect[]): Taint | undefined {
  return taints.find((taint) => effects.includes(taint.effect) && !tolerations.some((t) => toleratesTaint(t, taint)));
}

/** "{key: value}" as the scheduler's TaintToleration plugin prints a taint. */
export function taintText(taint: Taint): string {
  return `{${taint.key}: ${taint.value ?? ''}}`;
}
