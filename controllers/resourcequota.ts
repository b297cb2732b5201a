// ResourceQuota status (kube-controller-manager's resourcequota controller): status.hard mirrors
// spec.hard and status.used is what the namespace uses of each resource, so `kubectl get quota`
// shows "pods: 2/2" and `kubectl describe quota` the Used column. Enforcement is admission's
// (core/quota.ts), which measures usage the same way at the moment of each create.
//
// A quota is recomputed when it changes and when an object of a kind it can count changes in its
// namespace (pods, services, config maps, secrets, replication controllers, claims); it writes only
// when the numbers differ. Example: hard {pods: "2"}, a deployment of 4 → status.used {pods: "2"}.

import { deepEqual } from '../core/metadata.ts';
import type { Event } from '../core/events.ts';
import { quotaStatus, RESOURCE_QUOTAS } from '../core/quota.ts';
import type { ReadView } from '../store/store.ts';
import { objectKey, splitKey, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from './runtime/types.ts';

/**
 * The resources whose objects quotas most often count. A `count/<other>` quota refreshes when the
 * quota itself changes (the real controller also resyncs every 5 minutes; a periodic timer here
 * would keep a virtual clock from ever settling).
 */
const COUNTED = ['v1/pods', 'v1/services', 'v1/configmaps', 'v1/secrets', 'v1/replicationcontrollers', 'v1/persistentvolumeclaims'];

function reconcileQuota(key: Key, { view }: ReconcileContext): ReconcileResult {
  const { ns, name } = splitKey(key);
  const quota = view.get(RESOURCE_QUOTAS, ns, name);
  if (!quota || quota.metadata.deletionTimestamp !== undefined) return { writes: [] };
  const status = quotaStatus(quota, (res) => view.list(res, { namespace: ns }).items);
  if (deepEqual(status, quota.status)) return { writes: [] };
  return { writes: [{ op: 'update', res: RESOURCE_QUOTAS, object: { ...quota, status } }] };
}

/** An object's change refreshes the quotas of its namespace. */
const quotasOf = (e: Event, view: ReadView): Key[] =>
  view.list(RESOURCE_QUOTAS, { namespace: e.ns }).items.map((q) => objectKey(e.ns, q.metadata.name!));

export const resourceQuotaController: ControllerFactory = (): Controller => ({
  name: 'resourcequota',
  watches: [{ res: RESOURCE_QUOTAS, keys: (e) => [objectKey(e.ns, e.name)] }, ...COUNTED.map((res) => ({ res, keys: quotasOf }))],
  reconcile: reconcileQuota,
});
