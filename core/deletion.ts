// What a DELETE does to an object, decided purely from the object, the deletion options and the time
// (genericregistry Store.Delete with BeforeDelete and the pod strategy's graceful deletion). The API's
// DELETE (api/routes/delete.ts) and the controllers' deletes (controllers/runtime/delete.ts: the
// garbage collector, replica sets, jobs…) both follow it, so a pod removed by a controller
// terminates exactly as one removed by `kubectl delete`:
//
// - already terminating → nothing more to do (a pod may still be forced with gracePeriodSeconds=0);
// - a Namespace with spec.finalizers → status.phase Terminating + deletionTimestamp; the namespace
//   controller empties it and deletes it;
// - a Pod bound to a node, not finished, with a grace period > 0 → deletionTimestamp = now + grace and
//   deletionGracePeriodSeconds = grace; the node's (simulated) kubelet stops it and deletes it;
// - finalizers (the object's own, plus `orphan` for propagationPolicy=Orphan or `foregroundDeletion`
//   for Foreground) → deletionTimestamp = now, grace 0; the object stays until the last finalizer
//   is removed, which the store turns into the DELETED event;
// - otherwise the object is removed at once.
//
// Example: `kubectl delete rc kubia --cascade=orphan` on an RC without finalizers gives
// {deletionTimestamp: now, deletionGracePeriodSeconds: 0, finalizers: ["orphan"]}; the garbage
// collector strips the pods' ownerReferences, removes "orphan", and the RC is gone.

import { rfc3339 } from './clock.ts';
import type { KObject } from './object.ts';

/** The DeleteOptions fields that shape a deletion (preconditions and dryRun are the caller's). */
export interface DeletionOptions {
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  gracePeriodSeconds?: number;
}

export type DeletionPlan =
  | { action: 'remove' }
  | { action: 'none' }
  /** Mark the object terminating: `apply` turns the stored object into the marked one (unchanged if marked meanwhile). */
  | { action: 'mark'; apply: (obj: KObject) => KObject };

const POLICY_FINALIZER = { Orphan: 'orphan', Foreground: 'foregroundDeletion', Background: undefined } as const;
/** A pod's spec.terminationGracePeriodSeconds default. */
const DEFAULT_POD_GRACE_SECONDS = 30;

export function planDeletion(obj: KObject, opts: DeletionOptions, nowMs: number): DeletionPlan {
  const m = obj.metadata;
  const finalizer = opts.propagationPolicy ? POLICY_FINALIZER[opts.propagationPolicy] : undefined;
  const finalizers = [...(m.finalizers ?? [])];
  if (finalizer && !finalizers.includes(finalizer)) finalizers.push(finalizer);

  if (m.deletionTimestamp !== undefined) {
    const forced = obj.kind === 'Pod' && opts.gracePeriodSeconds === 0 && (m.finalizers?.length ?? 0) === 0;
    return forced ? { action: 'remove' } : { action: 'none' };
  }
  if (obj.kind === 'Namespace' && ((obj.spec as { finalizers?: string[] } | undefined)?.finalizers?.length ?? 0) > 0) {
    return mark(rfc3339(nowMs), undefined, finalizers, { phase: 'Terminating' });
  }
  const grace = podGracePeriod(obj, opts);
  if (grace > 0) return mark(rfc3339(nowMs + grace * 1000), grace, finalizers);
  if (finalizers.length > 0) return mark(rfc3339(nowMs), 0, finalizers);
  return { action: 'remove' };
}

/** The grace period a pod gets; 0 (delete at once) for unscheduled or finished pods and other kinds. */
function podGracePeriod(obj: KObject, opts: DeletionOptions): number {
  if (obj.kind !== 'Pod') return 0;
  const spec = (obj.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
  const phase = (obj.status as { phase?: string } | undefined)?.phase;
  if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
  return opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? DEFAULT_POD_GRACE_SECONDS;
}

function mark(deletionTimestamp: string, grace: number | undefined, finalizers: string[], status?: Record<string, unknown>): DeletionPlan {
  return {
    action: 'mark',
    apply: (obj) => {
      // Marked by another write since the plan was made (a controller's view may lag): leave it.
      if (obj.metadata.deletionTimestamp !== undefined) return obj;
      const metadata = { ...obj.metadata, deletionTimestamp };
      if (grace !== undefined) metadata.deletionGracePeriodSeconds = grace;
      if (finalizers.length > 0) metadata.finalizers = finalizers;
      const out: KObject = { ...obj, metadata };
      if (status) out.status = { ...((obj.status as object | undefined) ?? {}), ...status };
      return out;
    },
  };
}
