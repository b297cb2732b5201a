// kube-proxy's view of the network: where a TCP connection to an address and port lands.
//
//   a service's cluster IP (or external IP, or load-balancer ingress IP) and service port
//   a node's InternalIP and a service's nodePort (externalTrafficPolicy Local: only endpoints on
//     that node)
//     → one ready endpoint of the service, from its Endpoints object (so seed 001's external-service
//       with user-written addresses routes too); round-robin by the connection counter the caller
//       keeps, or sticky by client IP with sessionAffinity ClientIP (a hash of the client address
//       picks the endpoint — the same client always lands on the same pod while the set is stable).
//     → no ready endpoint: the connection is refused (kube-proxy's REJECT rule).
//   a pod IP: that pod, when it is running.
//   anything else: no route (the connection times out).
//
// Worked example: whoami at 10.96.10.20:80 with three ready pods; connections 0, 1, 2, 3 from the
// same client go to pods 0, 1, 2, 0 — with ClientIP affinity all four go to the same one.

import { fnv32a } from '../../core/hash.ts';
import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { ENDPOINTS, type EndpointSubset } from '../endpoints.ts';
import { PODS } from '../runtime/pods.ts';
import { SERVICES, serviceSpec, type ServicePort } from '../service-backends.ts';

export interface Connection {
  ip: string;
  port: number;
  protocol?: string;
  /** The connecting pod's IP (for ClientIP affinity). */
  clientIP: string;
  /** How many connections the caller has made before this one (drives round-robin). */
  counter: number;
}

export type Route =
  | { ok: true; ip: string; port: number; pod?: KObject; service?: KObject }
  | { ok: false; error: 'refused' | 'unreachable' };

interface Backend {
  ip: string;
  port: number;
  nodeName?: string;
  podName?: string;
}

/** The service and port a connection addresses, by cluster/external/ingress IP or node port. */
function findServicePort(view: ReadView, c: Connection): { svc: KObject; port: ServicePort; node?: string } | undefined {
  const proto = c.protocol ?? 'TCP';
  const node = nodeWithIP(view, c.ip);
  for (const svc of view.list(SERVICES).items) {
    const spec = serviceSpec(svc);
    const ingress = ((svc.status as { loadBalancer?: { ingress?: { ip?: string }[] } } | undefined)?.loadBalancer?.ingress ?? []).map((i) => i.ip);
    const ips = [...(spec.clusterIPs ?? [spec.clusterIP]), ...(spec.externalIPs ?? []), ...ingress].filter((ip) => ip && ip !== 'None');
    for (const port of spec.ports ?? []) {
      if ((port.protocol ?? 'TCP') !== proto) continue;
      if (ips.includes(c.ip) && port.port === c.port) return { svc, port };
      if (node && port.nodePort === c.port) return { svc, port, node };
    }
  }
  return undefined;
}

function nodeWithIP(view: ReadView, ip: string): string | undefined {
  const hit = view.list('v1/nodes').items.find((n) => ((n.status as { addresses?: { address: string }[] } | undefined)?.addresses ?? []).some((a) => a.address === ip));
  return hit?.metadata.name;
}

/** The ready endpoints of one service port (by port name, as kube-proxy matches them). */
function readyBackends(view: ReadView, svc: KObject, port: ServicePort): Backend[] {
  const subsets = (view.get(ENDPOINTS, svc.metadata.namespace ?? '', svc.metadata.name ?? '')?.subsets as EndpointSubset[] | undefined) ?? [];
  const out: Backend[] = [];
  for (const s of subsets) {
    const ep = (s.ports ?? []).find((p) => (p.name ?? '') === (port.name ?? '') && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP')) ?? (s.ports?.length === 1 && !port.name ? s.ports[0] : undefined);
    if (!ep) continue;
    for (const a of s.addresses ?? []) out.push({ ip: a.ip, port: ep.port, nodeName: a.nodeName, podName: a.targetRef?.name });
  }
  return out.sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0));
}

/** Round-robin by counter, or ClientIP affinity: a hash of the client address. */
function pickBackend(backends: Backend[], svc: KObject, c: Connection): Backend {
  const sticky = serviceSpec(svc).sessionAffinity === 'ClientIP';
  const n = sticky ? fnv32a(new TextEncoder().encode(c.clientIP)) : c.counter;
  return backends[n % backends.length];
}

function podWithIP(view: ReadView, ip: string): KObject | undefined {
  return view.list(PODS).items.find((p) => (p.status as { podIP?: string } | undefined)?.podIP === ip);
}

export function route(view: ReadView, c: Connection): Route {
  const target = findServicePort(view, c);
  if (!target) {
    const pod = podWithIP(view, c.ip);
    if (pod && (pod.status as { phase?: string }).phase === 'Running') return { ok: true, ip: c.ip, port: c.port, pod };
    return { ok: false, error: 'unreachable' };
  }
  const { svc, port, node } = target;
  let backends = readyBackends(view, svc, port);
  if (node && (svc.spec as { externalTrafficPolicy?: string }).externalTrafficPolicy === 'Local') backends = backends.filter((b) => b.nodeName === node);
  if (backends.length === 0) return { ok: false, error: 'refused' };
  const b = pickBackend(backends, svc, c);
  const pod = b.podName ? view.get(PODS, svc.metadata.namespace ?? '', b.podName) : undefined;
  return { ok: true, ip: b.ip, port: b.port, service: svc, ...(pod ? { pod } : {}) };
}
