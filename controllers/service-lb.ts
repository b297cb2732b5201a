// The simulated cloud load balancer (the service controller of cloud-controller-manager, here in the
// manner of MetalLB on a kind cluster): a LoadBalancer Service gets status.loadBalancer.ingress —
// its requested spec.loadBalancerIP, else the first free address of a pool (default
// 172.18.255.200–172.18.255.250, beside the kind nodes' 172.18.0.x). A service given
// spec.externalIPs (`kubectl expose … --type=LoadBalancer --external-ip X`, seed 000) is reached at
// those and gets no pool address: `kubectl get svc` prints externalIPs and ingress together under
// EXTERNAL-IP, so it shows X alone, as the seed expects. A service that stops being a LoadBalancer
// loses its ingress.

import { formatIPv4, parseIPv4 } from '../core/service-alloc.ts';
import type { KObject } from '../core/object.ts';
import { deepEqual } from '../core/metadata.ts';
import type { ReadView } from '../store/store.ts';
import { objectKey, splitKey, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from './runtime/types.ts';
import { SERVICES } from './service-backends.ts';

export const DEFAULT_LB_POOL: [string, string] = ['172.18.255.200', '172.18.255.250'];

interface LoadBalancerStatus {
  ingress?: { ip: string; ipMode?: string }[];
}

const lbStatus = (svc: KObject) => ((svc.status as { loadBalancer?: LoadBalancerStatus } | undefined)?.loadBalancer ?? {}) as LoadBalancerStatus;
const lbSpec = (svc: KObject) => (svc.spec ?? {}) as { type?: string; externalIPs?: string[]; loadBalancerIP?: string };

/** Pool addresses held by other LoadBalancer services. */
function poolInUse(view: ReadView, except: KObject): Set<string> {
  const used = new Set<string>();
  for (const s of view.list(SERVICES).items) {
    if (s.metadata.uid === except.metadata.uid) continue;
    for (const i of lbStatus(s).ingress ?? []) used.add(i.ip);
  }
  return used;
}

function firstFree(pool: [string, string], used: Set<string>): string | undefined {
  const [from, to] = pool.map((ip) => parseIPv4(ip) ?? 0);
  for (let n = from; n <= to; n++) if (!used.has(formatIPv4(n))) return formatIPv4(n);
  return undefined;
}

/** The addresses the service should advertise: [] when it is not a LoadBalancer or the pool is exhausted. */
function desiredIngress(svc: KObject, view: ReadView, pool: [string, string]): string[] {
  const spec = lbSpec(svc);
  if (spec.type !== 'LoadBalancer') return [];
  if (spec.externalIPs?.length) return [];
  if (spec.loadBalancerIP) return [spec.loadBalancerIP];
  const current = (lbStatus(svc).ingress ?? []).map((i) => i.ip);
  if (current.length) return current;
  const ip = firstFree(pool, poolInUse(view, svc));
  return ip ? [ip] : [];
}

function reconcileLoadBalancer(pool: [string, string]) {
  return (key: Key, { view }: ReconcileContext): ReconcileResult => {
    const { ns, name } = splitKey(key);
    const svc = view.get(SERVICES, ns, name);
    if (!svc) return { writes: [] };
    const ips = desiredIngress(svc, view, pool);
    const loadBalancer: LoadBalancerStatus = ips.length ? { ingress: ips.map((ip) => ({ ip, ipMode: 'VIP' })) } : {};
    if (deepEqual(lbStatus(svc), loadBalancer)) return { writes: [] };
    const apply = (cur: KObject): KObject => ({ ...cur, status: { ...((cur.status as object | undefined) ?? {}), loadBalancer } });
    return { writes: [{ op: 'patch', res: SERVICES, ns, name, apply }] };
  };
}

export function loadBalancerController(pool: [string, string]): Controller {
  return {
    name: 'service-lb-controller',
    watches: [{ res: SERVICES, keys: (e) => (e.type === 'DELETED' ? [] : [objectKey(e.ns, e.name)]) }],
    reconcile: reconcileLoadBalancer(pool),
  };
}

export const serviceLoadBalancerController: ControllerFactory = () => loadBalancerController(DEFAULT_LB_POOL);
