// The EndpointSlice controller (k8s.io/kubernetes pkg/controller/endpointslice, reconciler.go): the
// same pods as the Endpoints controller, as discovery.k8s.io/v1 EndpointSlices named
// `<service>-<suffix>`, labelled kubernetes.io/service-name and managed-by, owned by the Service.
// Unlike Endpoints, a slice keeps terminating pods, with conditions {ready: false, serving,
// terminating: true}, so a client can drain them.
//
// One slice per distinct set of resolved ports (the reconciler's "port mapping" grouping), holding
// up to 100 endpoints (--max-endpoints-per-slice). A service with no pods still gets a placeholder
// slice with no endpoints and no ports, as the reconciler creates one.

import type { Mutation } from '../core/events.ts';
import { deepEqual } from '../core/metadata.ts';
import type { KObject } from '../core/object.ts';
import { nameSuffix } from '../core/random.ts';
import type { ReadView } from '../store/store.ts';
import { serviceKeysForPod } from './endpoints.ts';
import { isPodReady, PODS } from './runtime/pods.ts';
import { objectKey, splitKey, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from './runtime/types.ts';
import { hasSelector, serviceBackends, SERVICES, type Backend, type BackendPort } from './service-backends.ts';

export const ENDPOINT_SLICES = 'discovery.k8s.io/v1/endpointslices';
const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
const MANAGED_BY = 'endpointslice-controller.k8s.io';
/** --max-endpoints-per-slice default. */
const MAX_ENDPOINTS_PER_SLICE = 100;

interface SliceEndpoint {
  addresses: string[];
  conditions: { ready: boolean; serving: boolean; terminating: boolean };
  hostname?: string;
  nodeName?: string;
  targetRef: { kind: 'Pod'; namespace: string; name: string; uid?: string };
}

/** A slice's ports always carry a name, "" for an unnamed service port (discovery.EndpointPort.Name is a pointer). */
const slicePorts = (ports: BackendPort[]) => ports.map((p) => ({ name: p.name ?? '', port: p.port, protocol: p.protocol, ...(p.appProtocol ? { appProtocol: p.appProtocol } : {}) }));

function endpointOf(b: Backend, publishNotReady: boolean): SliceEndpoint {
  const m = b.pod.metadata;
  return {
    addresses: [b.ip],
    conditions: { ready: b.ready, serving: publishNotReady || isPodReady(b.pod), terminating: b.terminating },
    ...(b.hostname ? { hostname: b.hostname } : {}),
    ...(b.nodeName ? { nodeName: b.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: m.namespace ?? '', name: m.name ?? '', uid: m.uid },
  };
}

/** Desired slices' content: ports and endpoints, grouped by port set, chunked to the slice limit. */
function desiredSlices(svc: KObject, view: ReadView): { ports: ReturnType<typeof slicePorts>; endpoints: SliceEndpoint[] }[] {
  const publishNotReady = (svc.spec as { publishNotReadyAddresses?: boolean } | undefined)?.publishNotReadyAddresses === true;
  const groups = new Map<string, SliceEndpoint[]>();
  for (const b of serviceBackends(svc, view, true)) {
    const key = JSON.stringify(slicePorts(b.ports));
    groups.set(key, [...(groups.get(key) ?? []), endpointOf(b, publishNotReady)]);
  }
  if (groups.size === 0) return [{ ports: [], endpoints: [] }];
  // By address, as Endpoints lists them: `kubectl describe svc` prints a slice's endpoints in order.
  for (const list of groups.values()) list.sort((a, b) => (a.addresses[0] < b.addresses[0] ? -1 : a.addresses[0] > b.addresses[0] ? 1 : 0));
  const out: { ports: ReturnType<typeof slicePorts>; endpoints: SliceEndpoint[] }[] = [];
  for (const [key, endpoints] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    for (let i = 0; i < endpoints.length; i += MAX_ENDPOINTS_PER_SLICE) out.push({ ports: JSON.parse(key), endpoints: endpoints.slice(i, i + MAX_ENDPOINTS_PER_SLICE) });
  }
  return out;
}

function sliceLabels(svc: KObject): Record<string, string> {
  return { ...(svc.metadata.labels ?? {}), [SERVICE_NAME_LABEL]: svc.metadata.name ?? '', [MANAGED_BY_LABEL]: MANAGED_BY };
}

/** The slices this controller manages for a service (a user's own slices for the same service are left alone). */
function managedSlices(view: ReadView, ns: string, service: string): KObject[] {
  return view
    .list(ENDPOINT_SLICES, { namespace: ns })
    .items.filter((s) => s.metadata.labels?.[SERVICE_NAME_LABEL] === service && s.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY);
}

function freshName(view: ReadView, ns: string, service: string, index: number): string {
  for (let salt = index; ; salt += 1_000_000) {
    const name = `${service}-${nameSuffix(0, view.rev, `${ENDPOINT_SLICES}|${ns}|${service}|${salt}`)}`;
    if (!view.get(ENDPOINT_SLICES, ns, name)) return name;
  }
}

export function reconcileEndpointSlices(key: Key, { view }: ReconcileContext): ReconcileResult {
  const { ns, name } = splitKey(key);
  const svc = view.get(SERVICES, ns, name);
  const existing = managedSlices(view, ns, name);
  // A deleted service's slices go with it (the garbage collector would too, through the owner reference).
  if (!svc || !hasSelector(svc)) return { writes: existing.map((s) => ({ op: 'delete', res: ENDPOINT_SLICES, ns, name: s.metadata.name!, expectedRV: s.metadata.resourceVersion })) };
  const labels = sliceLabels(svc);
  const owner = { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata.uid!, controller: true, blockOwnerDeletion: true };
  const writes: Mutation[] = [];
  const desired = desiredSlices(svc, view);
  desired.forEach((want, i) => {
    const current = existing[i];
    const object: KObject = {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: { ...(current?.metadata ?? { name: freshName(view, ns, name, i), generateName: `${name}-`, namespace: ns }), labels, ownerReferences: [owner] },
      addressType: 'IPv4',
      endpoints: want.endpoints,
      ports: want.ports,
    };
    if (!current) writes.push({ op: 'create', res: ENDPOINT_SLICES, object });
    else if (!deepEqual(current, { ...current, ...object })) writes.push({ op: 'update', res: ENDPOINT_SLICES, object, expectedRV: current.metadata.resourceVersion });
  });
  for (const extra of existing.slice(desired.length)) {
    writes.push({ op: 'delete', res: ENDPOINT_SLICES, ns, name: extra.metadata.name!, expectedRV: extra.metadata.resourceVersion });
  }
  return { writes };
}

export const endpointSliceController: ControllerFactory = (): Controller => ({
  name: 'endpointslice',
  watches: [
    { res: SERVICES, keys: (e) => [objectKey(e.ns, e.name)] },
    { res: PODS, keys: (e, view) => serviceKeysForPod(e, view, ENDPOINT_SLICES) },
    { res: ENDPOINT_SLICES, keys: (e) => (e.object.metadata.labels?.[MANAGED_BY_LABEL] === MANAGED_BY ? [objectKey(e.ns, e.object.metadata.labels[SERVICE_NAME_LABEL] ?? '')] : []) },
  ],
  reconcile: reconcileEndpointSlices,
});
