// The Endpoints controller (k8s.io/kubernetes pkg/controller/endpoint/endpoints_controller.go
// syncService): for each Service with a selector, an Endpoints object of the same name listing the
// selected pods — ready ones under `addresses`, the others under `notReadyAddresses` (readiness
// drives membership, seed 001) — with the ports each pod resolves (service-backends.ts).
//
// Services without a selector keep the Endpoints their user wrote (seed 001's external-service with
// 11.11.11.11 and 22.22.22.22): this controller never touches those. When a service is deleted, its
// Endpoints go with it, as in kube-controller-manager.
//
// Worked example (seed 000): `whoami` selects app=whoami, port 80 → targetPort 80, five ready pods:
//   subsets: [{addresses: [{ip: 10.244.0.5, nodeName: n1, targetRef: {kind: Pod, …}}, …×5],
//              ports: [{port: 80, protocol: TCP}]}]
// which `kubectl describe endpoints whoami` prints as `Addresses: 10.244.0.5,…` and `<unset> 80 TCP`.

import type { Event, Mutation } from '../core/events.ts';
import { deepEqual } from '../core/metadata.ts';
import type { KObject } from '../core/object.ts';
import { rfc3339 } from '../core/clock.ts';
import type { ReadView } from '../store/store.ts';
import { PODS } from './runtime/pods.ts';
import { objectKey, splitKey, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from './runtime/types.ts';
import { hasSelector, isHeadless, lastChangeTriggerTime, serviceBackends, servicesSelecting, SERVICES, serviceSpec, type Backend, type BackendPort } from './service-backends.ts';

export const ENDPOINTS = 'v1/endpoints';
const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
/** The label kube-controller-manager puts on the Endpoints of a headless service. */
const HEADLESS_LABEL = 'service.kubernetes.io/headless';

interface EndpointAddress {
  ip: string;
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid?: string };
}

export interface EndpointSubset {
  addresses?: EndpointAddress[];
  notReadyAddresses?: EndpointAddress[];
  ports?: BackendPort[];
}

function addressOf(b: Backend): EndpointAddress {
  const targetRef = { kind: 'Pod' as const, namespace: b.pod.metadata.namespace ?? '', name: b.pod.metadata.name ?? '', uid: b.pod.metadata.uid };
  return { ip: b.ip, ...(b.hostname ? { hostname: b.hostname } : {}), ...(b.nodeName ? { nodeName: b.nodeName } : {}), targetRef };
}

/** endpoints.LessEndpointAddress: by IP as a string, then by pod uid. */
const byIP = (a: EndpointAddress, b: EndpointAddress) =>
  a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : (a.targetRef.uid ?? '') < (b.targetRef.uid ?? '') ? -1 : 1;

const portKey = (ports: BackendPort[]) => JSON.stringify([...ports].sort((a, b) => `${a.name ?? ''}/${a.port}`.localeCompare(`${b.name ?? ''}/${b.port}`)));

/**
 * endpoints.RepackSubsets: pods that resolve the same set of ports share one subset. A pod that
 * resolves none of the service's ports is left out — except for a headless service without ports,
 * whose pods are listed bare (for DNS).
 */
function packSubsets(svc: KObject, backends: Backend[]): EndpointSubset[] {
  const portless = (serviceSpec(svc).ports ?? []).length === 0 && isHeadless(svc);
  const groups = new Map<string, EndpointSubset>();
  for (const b of backends) {
    if (b.ports.length === 0 && !portless) continue;
    const key = portKey(b.ports);
    const subset = groups.get(key) ?? (b.ports.length ? { ports: JSON.parse(key) as BackendPort[] } : {});
    groups.set(key, subset);
    const list = b.ready ? (subset.addresses ??= []) : (subset.notReadyAddresses ??= []);
    list.push(addressOf(b));
  }
  const subsets = [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, s]) => s);
  for (const s of subsets) {
    s.addresses?.sort(byIP);
    s.notReadyAddresses?.sort(byIP);
  }
  return subsets.map(({ addresses, notReadyAddresses, ports }) => ({
    ...(addresses ? { addresses } : {}),
    ...(notReadyAddresses ? { notReadyAddresses } : {}),
    ...(ports ? { ports } : {}),
  }));
}

/** The service's labels, plus the headless marker (endpoints_controller.go syncService). */
function endpointLabels(svc: KObject): Record<string, string> {
  const labels = { ...(svc.metadata.labels ?? {}) };
  if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
  return labels;
}

export function reconcileEndpoints(key: Key, { view, now }: ReconcileContext): ReconcileResult {
  const { ns, name } = splitKey(key);
  const svc = view.get(SERVICES, ns, name);
  const current = view.get(ENDPOINTS, ns, name);
  if (!svc) {
    return { writes: current ? [{ op: 'delete', res: ENDPOINTS, ns, name, expectedRV: current.metadata.resourceVersion }] : [] };
  }
  if (!hasSelector(svc)) return { writes: [] };
  const backends = serviceBackends(svc, view);
  const subsets = packSubsets(svc, backends);
  const labels = endpointLabels(svc);
  if (current && deepEqual(current.subsets ?? [], subsets) && deepEqual(current.metadata.labels ?? {}, labels)) return { writes: [] };
  const annotations = { ...(current?.metadata.annotations ?? {}), [TRIGGER_TIME]: lastChangeTriggerTime(svc, backends) ?? rfc3339(now) };
  const object: KObject = {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { ...(current?.metadata ?? { name, namespace: ns }), labels, annotations },
    ...(subsets.length ? { subsets } : {}),
  };
  const write: Mutation = current ? { op: 'update', res: ENDPOINTS, object, expectedRV: current.metadata.resourceVersion } : { op: 'create', res: ENDPOINTS, object };
  return { writes: [write] };
}

/**
 * A pod event concerns the services that select it now, and those whose `listing` objects (v1
 * endpoints or endpoint slices) still list it — a relabelled pod must leave the service it no
 * longer matches (seed 001's `kubectl label`).
 */
export function serviceKeysForPod(e: Event, view: ReadView, listing: string): Key[] {
  const keys = new Set(servicesSelecting(e.object, view).map((s) => objectKey(s.metadata.namespace ?? '', s.metadata.name!)));
  for (const obj of view.list(listing, { namespace: e.ns }).items) {
    if (listsPod(obj, e.name)) keys.add(objectKey(e.ns, ownerServiceName(obj)));
  }
  return [...keys];
}

/** The service an Endpoints or EndpointSlice object belongs to. */
function ownerServiceName(obj: KObject): string {
  return obj.metadata.labels?.['kubernetes.io/service-name'] ?? obj.metadata.name ?? '';
}

function listsPod(obj: KObject, pod: string): boolean {
  const refs: { targetRef?: { name?: string } }[] = [
    ...((obj.subsets as EndpointSubset[] | undefined) ?? []).flatMap((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])]),
    ...((obj.endpoints as { targetRef?: { name?: string } }[] | undefined) ?? []),
  ];
  return refs.some((r) => r.targetRef?.name === pod);
}

export const endpointsController: ControllerFactory = (): Controller => ({
  name: 'endpoint',
  watches: [
    { res: SERVICES, keys: (e) => [objectKey(e.ns, e.name)] },
    { res: PODS, keys: (e, view) => serviceKeysForPod(e, view, ENDPOINTS) },
    // A managed Endpoints edited or deleted by hand is put back (the controller's onEndpointsDelete).
    { res: ENDPOINTS, keys: (e, view) => (view.get(SERVICES, e.ns, e.name) ? [objectKey(e.ns, e.name)] : []) },
  ],
  reconcile: reconcileEndpoints,
});
