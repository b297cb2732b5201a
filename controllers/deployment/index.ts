// The Deployment controller (pkg/controller/deployment/deployment_controller.go syncDeployment): a
// short decision ladder over one deployment and the replica sets it owns.
//
//   not found                      → nothing
//   selector selects everything    → warn, observe the generation, stop
//   replica sets to adopt/release  → do only that now (the resulting events bring us back)
//   being deleted                  → status only
//   paused, or a resize            → sync: proportional scaling, status (sync.ts)
//   strategy Recreate              → rolloutRecreate (recreate.ts)
//   strategy RollingUpdate         → rolloutRolling (rolling.ts)
//
// Watches: deployments (itself), replica sets (their controller, or for an orphan every deployment
// selecting it), pods of a Recreate deployment (it waits for the old pods to be gone).

import type { Event } from '../../core/events.ts';
import { selectorFromSpec } from '../../core/selectors.ts';
import type { ReadView } from '../../store/store.ts';
import { claim } from '../runtime/ownership.ts';
import { controllerOf, PODS } from '../runtime/pods.ts';
import { objectKey, splitKey, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from '../runtime/types.ts';
import { Halt, Plan } from './plan.ts';
import { checkPausedConditions } from './progress.ts';
import { rolloutRecreate } from './recreate.ts';
import { rolloutRolling } from './rolling.ts';
import { isScalingEvent, sync, syncStatusOnly } from './sync.ts';
import { DEPLOYMENTS, REPLICASETS, isRollingUpdate, type Deployment, type ReplicaSet } from './util.ts';

export function reconcileDeployment(key: Key, { view, now }: ReconcileContext): ReconcileResult {
  const { ns, name } = splitKey(key);
  const d = view.get(DEPLOYMENTS, ns, name) as Deployment | undefined;
  if (!d) return { writes: [] };
  const sel = d.spec.selector;
  if (!sel || (Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0)) return selectingAll(d, view, now);
  const selects = selectorFromSpec(sel);
  const candidates = view.list(REPLICASETS, { namespace: ns }).items;
  const { owned, writes } = claim(d, REPLICASETS, candidates, (rs) => selects(rs.metadata.labels));
  if (writes.length > 0) return { writes };
  const plan = new Plan(d, owned as ReplicaSet[], now, view);
  try {
    ladder(plan);
  } catch (e) {
    if (!(e instanceof Halt)) throw e;
  }
  return { writes: plan.writes(), ...(plan.requeueAfter !== undefined ? { requeueAfter: plan.requeueAfter } : {}) };
}

function ladder(plan: Plan): void {
  if (plan.d.metadata.deletionTimestamp !== undefined) return syncStatusOnly(plan);
  checkPausedConditions(plan);
  if (plan.d.spec.paused || isScalingEvent(plan)) return sync(plan);
  if (!isRollingUpdate(plan.d)) return rolloutRecreate(plan);
  rolloutRolling(plan);
}

/** An empty selector would adopt every pod in the namespace: Kubernetes refuses to act on it. */
function selectingAll(d: Deployment, view: ReadView, now: number): ReconcileResult {
  const plan = new Plan(d, [], now, view);
  plan.event('Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
  if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 1)) plan.d.status = { ...(d.status ?? {}), observedGeneration: d.metadata.generation ?? 1 };
  return { writes: plan.writes() };
}

/** A replica set event goes to its controlling deployment, or, for an orphan, to every deployment selecting it. */
function replicaSetKeys(e: Event, view: ReadView): Key[] {
  const ref = controllerOf(e.object);
  if (ref) return ref.kind === 'Deployment' ? [objectKey(e.ns, ref.name)] : [];
  if (e.type === 'DELETED') return [];
  return view
    .list(DEPLOYMENTS, { namespace: e.ns })
    .items.filter((d) => selectorFromSpec((d as Deployment).spec.selector)(e.object.metadata.labels))
    .map((d) => objectKey(e.ns, d.metadata.name!));
}

/** A Recreate rollout waits for old pods to go: a pod's deletion wakes its deployment. */
function podKeys(e: Event, view: ReadView): Key[] {
  if (e.type !== 'DELETED') return [];
  const rsRef = controllerOf(e.object);
  if (rsRef?.kind !== 'ReplicaSet') return [];
  const rs = view.get(REPLICASETS, e.ns, rsRef.name);
  const dRef = rs && controllerOf(rs);
  if (dRef?.kind !== 'Deployment') return [];
  const d = view.get(DEPLOYMENTS, e.ns, dRef.name) as Deployment | undefined;
  return d && !isRollingUpdate(d) ? [objectKey(e.ns, d.metadata.name!)] : [];
}

export const deploymentController: ControllerFactory = (): Controller => ({
  name: 'deployment',
  watches: [
    { res: DEPLOYMENTS, keys: (e) => [objectKey(e.ns, e.name)] },
    { res: REPLICASETS, keys: replicaSetKeys },
    { res: PODS, keys: podKeys },
  ],
  reconcile: reconcileDeployment,
});
