// The system Services every real cluster has, created once their namespace exists and recreated if
// deleted (kube-apiserver's "kubernetes" service reconciler, and the kube-dns Service a kubeadm or
// kind cluster installs with CoreDNS):
// - `kubernetes` in default: 10.96.0.1:443 → the API server at 172.18.0.1:6443 (the simulated
//   network's first address), with the Endpoints and EndpointSlice kube-apiserver writes itself,
//   since the service has no selector;
// - `kube-dns` in kube-system: 10.96.0.10, ports dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP, so
//   `kubectl get svc -n kube-system -l k8s-app=kube-dns` shows it as seed 000 does, and pods'
//   /etc/resolv.conf names it (controllers/container/dns.ts).

import type { Mutation } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import { DEFAULT_SERVICE_CIDR, nthAddress } from '../core/service-alloc.ts';
import type { ReadView } from '../store/store.ts';
import { ENDPOINTS } from './endpoints.ts';
import { ENDPOINT_SLICES } from './endpointslice.ts';
import { internalAddress } from './nodes/registration.ts';
import { objectKey, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from './runtime/types.ts';
import { SERVICES } from './service-backends.ts';

const NAMESPACES = 'v1/namespaces';
/** The first address of the service CIDR is the `kubernetes` service's; kubeadm puts kube-dns at the tenth. */
const KUBERNETES_SERVICE_IP = nthAddress(DEFAULT_SERVICE_CIDR, 1);
export const KUBE_DNS_IP = nthAddress(DEFAULT_SERVICE_CIDR, 10);
const API_SERVER_ENDPOINT = { ip: internalAddress(0), port: 6443 };

const KUBERNETES_KEY = objectKey('default', 'kubernetes');
const KUBE_DNS_KEY = objectKey('kube-system', 'kube-dns');

function service(ns: string, name: string, labels: Record<string, string>, spec: Record<string, unknown>): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns, labels }, spec: { type: 'ClusterIP', sessionAffinity: 'None', ...spec } };
}

function kubernetesService(): KObject {
  return service('default', 'kubernetes', { component: 'apiserver', provider: 'kubernetes' }, {
    clusterIP: KUBERNETES_SERVICE_IP,
    ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: API_SERVER_ENDPOINT.port }],
  });
}

function kubernetesEndpoints(): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: API_SERVER_ENDPOINT.ip }], ports: [{ name: 'https', port: API_SERVER_ENDPOINT.port, protocol: 'TCP' }] }],
  };
}

/** The EndpointSlice kube-apiserver writes beside its Endpoints (what `kubectl describe svc kubernetes` reads). */
function kubernetesEndpointSlice(): KObject {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [API_SERVER_ENDPOINT.ip], conditions: { ready: true } }],
    ports: [{ name: 'https', port: API_SERVER_ENDPOINT.port, protocol: 'TCP' }],
  };
}

function kubeDnsService(): KObject {
  const svc = service('kube-system', 'kube-dns', { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' }, {
    clusterIP: KUBE_DNS_IP,
    selector: { 'k8s-app': 'kube-dns' },
    ports: [
      { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
      { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
      { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
    ],
  });
  svc.metadata.annotations = { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' };
  return svc;
}

const namespaceReady = (view: ReadView, ns: string) => {
  const n = view.get(NAMESPACES, '', ns);
  return n !== undefined && n.metadata.deletionTimestamp === undefined;
};

export function reconcileSystemService(key: Key, { view }: ReconcileContext): ReconcileResult {
  const writes: Mutation[] = [];
  if (key === KUBERNETES_KEY && namespaceReady(view, 'default')) {
    if (!view.get(SERVICES, 'default', 'kubernetes')) writes.push({ op: 'create', res: SERVICES, object: kubernetesService() });
    if (!view.get(ENDPOINTS, 'default', 'kubernetes')) writes.push({ op: 'create', res: ENDPOINTS, object: kubernetesEndpoints() });
    if (!view.get(ENDPOINT_SLICES, 'default', 'kubernetes')) writes.push({ op: 'create', res: ENDPOINT_SLICES, object: kubernetesEndpointSlice() });
  }
  if (key === KUBE_DNS_KEY && namespaceReady(view, 'kube-system') && !view.get(SERVICES, 'kube-system', 'kube-dns')) {
    writes.push({ op: 'create', res: SERVICES, object: kubeDnsService() });
  }
  return { writes };
}

const SYSTEM_KEYS: Record<string, Key> = { default: KUBERNETES_KEY, 'kube-system': KUBE_DNS_KEY };

export const systemServicesController: ControllerFactory = (): Controller => ({
  name: 'system-services',
  watches: [
    { res: NAMESPACES, keys: (e) => (SYSTEM_KEYS[e.name] ? [SYSTEM_KEYS[e.name]] : []) },
    { res: SERVICES, keys: (e) => (e.type === 'DELETED' && Object.values(SYSTEM_KEYS).includes(objectKey(e.ns, e.name)) ? [objectKey(e.ns, e.name)] : []) },
    { res: ENDPOINTS, keys: (e) => (e.type === 'DELETED' && objectKey(e.ns, e.name) === KUBERNETES_KEY ? [KUBERNETES_KEY] : []) },
    { res: ENDPOINT_SLICES, keys: (e) => (e.type === 'DELETED' && objectKey(e.ns, e.name) === KUBERNETES_KEY ? [KUBERNETES_KEY] : []) },
  ],
  initialKeys: () => Object.values(SYSTEM_KEYS),
  reconcile: reconcileSystemService,
});
