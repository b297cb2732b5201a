// The simulated ingress controller (in the manner of ingress-nginx on a kind cluster): it serves the
// Ingresses of its IngressClass `rewind` (controller rewind.dev/ingress-controller, created at start
// and marked default, so an Ingress without ingressClassName is ours too) and writes their
// status.loadBalancer.ingress — the one address the controller listens on, as every Ingress of one
// ingress-nginx shares its Service's address. That address is the last of the load-balancer pool
// of controllers/service-lb.ts (which hands out addresses from the first up, so they meet only when
// the pool is full). Requests are routed by rules.ts; http.ts here fetches them.

import type { KObject } from '../../core/object.ts';
import { deepEqual } from '../../core/metadata.ts';
import type { ReadView } from '../../store/store.ts';
import { DEFAULT_LB_POOL } from '../service-lb.ts';
import { objectKey, splitKey, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from '../runtime/types.ts';
import { ingressSpec } from './rules.ts';

export const INGRESSES = 'networking.k8s.io/v1/ingresses';
export const INGRESS_CLASSES = 'networking.k8s.io/v1/ingressclasses';
export const INGRESS_CLASS = 'rewind';
export const INGRESS_CONTROLLER = 'rewind.dev/ingress-controller';
export const INGRESS_ADDRESS = DEFAULT_LB_POOL[1];
const ANN_DEFAULT_CLASS = 'ingressclass.kubernetes.io/is-default-class';
const ANN_LEGACY_CLASS = 'kubernetes.io/ingress.class';

export function rewindIngressClass(): KObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name: INGRESS_CLASS, annotations: { [ANN_DEFAULT_CLASS]: 'true' } },
    spec: { controller: INGRESS_CONTROLLER },
  };
}

/** Whether our controller serves the ingress: its class (field, else legacy annotation, else the default class) is one of ours. */
export function isServed(ingress: KObject, view: ReadView): boolean {
  const named = ingressSpec(ingress).ingressClassName ?? ingress.metadata.annotations?.[ANN_LEGACY_CLASS];
  const classes = view.list(INGRESS_CLASSES).items;
  const cls = named ? classes.find((c) => c.metadata.name === named) : classes.find((c) => c.metadata.annotations?.[ANN_DEFAULT_CLASS] === 'true');
  if (!cls) return named === INGRESS_CLASS;
  return (cls.spec as { controller?: string } | undefined)?.controller === INGRESS_CONTROLLER;
}

/** The Ingresses our controller serves. */
export function servedIngresses(view: ReadView): KObject[] {
  return view.list(INGRESSES, { filter: (i) => !i.metadata.deletionTimestamp && isServed(i, view) }).items;
}

export function reconcileIngress(key: Key, { view }: ReconcileContext): ReconcileResult {
  if (key === '') return view.get(INGRESS_CLASSES, '', INGRESS_CLASS) ? { writes: [] } : { writes: [{ op: 'create', res: INGRESS_CLASSES, object: rewindIngressClass() }] };
  const { ns, name } = splitKey(key);
  const ingress = view.get(INGRESSES, ns, name);
  if (!ingress) return { writes: [] };
  const loadBalancer = isServed(ingress, view) ? { ingress: [{ ip: INGRESS_ADDRESS }] } : {};
  const current = (ingress.status as { loadBalancer?: unknown } | undefined)?.loadBalancer ?? {};
  if (deepEqual(current, loadBalancer)) return { writes: [] };
  return { writes: [{ op: 'patch', res: INGRESSES, ns, name, apply: (cur) => ({ ...cur, status: { ...(cur.status as object), loadBalancer } }) }] };
}

const allIngressKeys = (view: ReadView) => view.list(INGRESSES).items.map((i) => objectKey(i.metadata.namespace ?? '', i.metadata.name!));

/** Key "" stands for the IngressClass: created at start when the cluster has no IngressClass at all. */
export const ingressController: ControllerFactory = (): Controller => ({
  name: 'ingress-controller',
  watches: [
    { res: INGRESSES, keys: (e) => (e.type === 'DELETED' ? [] : [objectKey(e.ns, e.name)]) },
    { res: INGRESS_CLASSES, keys: (_e, view) => allIngressKeys(view) },
  ],
  initialKeys: (view) => [...(view.list(INGRESS_CLASSES).items.length === 0 ? [''] : []), ...allIngressKeys(view)],
  reconcile: reconcileIngress,
});
