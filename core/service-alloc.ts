// A Service's addresses, allocated at create/update time as kube-apiserver's service registry does
// (pkg/registry/core/service/storage, ipallocator, portallocator), so the create response already
// carries them: a cluster IP from the service CIDR, node ports from the node-port range.
//
// Deterministic: a dynamic choice is a function of (namespace/name, what is taken) — the FNV-32a hash
// of the key picks a starting offset, then the next free address wins, wrapping around.
//
// Like kube-apiserver's ipallocator, dynamic IPs come from above the "static band" (the first
// min(max(16, size/16), 256) addresses), leaving the low addresses to services that ask for one —
// the `kubernetes` service (10.96.0.1) and kube-dns (10.96.0.10) in the default 10.96.0.0/12.
//
// Worked example: `web` in `default`, nothing taken: hash("default/web") mod (2^20 - 2 - 256) gives
// an offset o; the IP is 10.96.0.0 + 256 + o, e.g. 10.96.x.y. A second create asking for that exact
// clusterIP gets 422 `spec.clusterIPs: Invalid value: []string{"10.96.x.y"}: failed to allocate IP
// 10.96.x.y: provided IP is already allocated`.

import { invalid, type StatusCause } from './errors.ts';
import { FieldPath, invalidValue } from './field-errors.ts';
import { fnv32a } from './hash.ts';
import { NODE_PORT_RANGE } from './kinds/service.ts';
import { clone, type KObject } from './object.ts';

export const DEFAULT_SERVICE_CIDR = '10.96.0.0/12';

export interface TakenAddresses {
  clusterIPs: Set<string>;
  nodePorts: Set<number>;
}

export interface AllocationConfig {
  serviceCIDR?: string;
  nodePortRange?: [number, number];
}

interface ServicePort {
  name?: string;
  port?: number;
  protocol?: string;
  nodePort?: number;
}

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
  allocateLoadBalancerNodePorts?: boolean;
  ipFamilies?: string[];
  ipFamilyPolicy?: string;
  [field: string]: unknown;
}

/** An IPv4 CIDR as a base address (a 32-bit number) and its size. */
interface Cidr {
  base: number;
  size: number;
  text: string;
}

export function parseIPv4(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function parseCidr(text: string): Cidr {
  const [ip, bits] = text.split('/');
  const base = parseIPv4(ip);
  const prefix = Number(bits);
  if (base === undefined || !Number.isInteger(prefix) || prefix < 8 || prefix > 30) throw new Error(`bad service CIDR ${text}`);
  const size = 2 ** (32 - prefix);
  return { base: base - (base % size), size, text };
}

/** The nth address of the CIDR (0 is the network address, size-1 the broadcast). */
export function nthAddress(cidr: string, n: number): string {
  const c = parseCidr(cidr);
  return formatIPv4(c.base + n);
}

const hashOf = (s: string) => fnv32a(new TextEncoder().encode(s));

const keyOfService = (svc: KObject) => `${svc.metadata.namespace ?? ''}/${svc.metadata.name ?? ''}`;

const usesNodePorts = (spec: ServiceSpec) =>
  spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);

const hasClusterIP = (spec: ServiceSpec) => spec.type !== 'ExternalName';

/** Every cluster IP and node port held by the given services, except the one with key "ns/name". */
export function takenAddresses(services: KObject[], exceptKey?: string): TakenAddresses {
  const taken: TakenAddresses = { clusterIPs: new Set(), nodePorts: new Set() };
  for (const svc of services) {
    if (exceptKey !== undefined && keyOfService(svc) === exceptKey) continue;
    const spec = (svc.spec ?? {}) as ServiceSpec;
    const ips = Array.isArray(spec.clusterIPs) && spec.clusterIPs.length ? spec.clusterIPs : [spec.clusterIP];
    for (const ip of ips) if (typeof ip === 'string' && ip && ip !== 'None') taken.clusterIPs.add(ip);
    for (const p of Array.isArray(spec.ports) ? spec.ports : []) if (typeof p?.nodePort === 'number' && p.nodePort) taken.nodePorts.add(p.nodePort);
  }
  return taken;
}

/**
 * The service as it would be stored: cluster IP and node ports filled in, or refused with 422
 * Invalid when a requested one is taken or out of range. `old` is the stored service on update
 * (its own addresses must not be in `taken`: compute it with `takenAddresses(all, "ns/name")`).
 */
export function allocateService(svc: KObject, old: KObject | undefined, taken: TakenAddresses, cfg: AllocationConfig = {}): KObject {
  const out = withoutTypeDependentFields(svc, old);
  const spec = out.spec as ServiceSpec;
  const causes = [
    ...allocateClusterIP(spec, keyOfService(svc), taken, parseCidr(cfg.serviceCIDR ?? DEFAULT_SERVICE_CIDR)),
    ...allocateNodePorts(spec, keyOfService(svc), taken, cfg.nodePortRange ?? [NODE_PORT_RANGE.min, NODE_PORT_RANGE.max]),
  ];
  if (causes.length) throw invalid('Service', '', svc.metadata.name ?? '', causes);
  return out;
}

/**
 * The registry's dropTypeDependentFields (PrepareForUpdate, before validation): when the type changes
 * to one that does not use a field and the user left the old value in place, clear it — node ports
 * when leaving NodePort/LoadBalancer, the cluster IP and IP families when becoming ExternalName.
 * Returns a copy.
 */
function withoutTypeDependentFields(svc: KObject, old: KObject | undefined): KObject {
  const out = clone(svc);
  out.spec = (out.spec ?? {}) as ServiceSpec;
  dropTypeDependentFields(out.spec as ServiceSpec, (old?.spec ?? {}) as ServiceSpec);
  return out;
}

function dropTypeDependentFields(spec: ServiceSpec, old: ServiceSpec): void {
  if (!old.type || old.type === spec.type) return;
  if (!usesNodePorts(spec)) {
    for (const p of spec.ports ?? []) {
      const before = (old.ports ?? []).find((o) => o.port === p.port && (o.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
      if (p.nodePort && p.nodePort === before?.nodePort) delete p.nodePort;
    }
  }
  if (!hasClusterIP(spec)) {
    if (spec.clusterIP === old.clusterIP) delete spec.clusterIP;
    delete spec.clusterIPs;
    delete spec.ipFamilies;
    delete spec.ipFamilyPolicy;
  }
}

function allocateClusterIP(spec: ServiceSpec, key: string, taken: TakenAddresses, cidr: Cidr): StatusCause[] {
  if (!hasClusterIP(spec)) return [];
  const requested = spec.clusterIPs?.[0] || spec.clusterIP;
  if (requested === 'None') {
    spec.clusterIP = 'None';
    spec.clusterIPs = ['None'];
    return [];
  }
  if (requested) {
    const problem = ipProblem(requested, taken, cidr);
    if (problem) return [clusterIPCause(requested, problem)];
    setClusterIP(spec, requested);
    return [];
  }
  const ip = freeIP(key, taken, cidr);
  if (!ip) return [clusterIPCause('', 'range is full')];
  setClusterIP(spec, ip);
  return [];
}

function setClusterIP(spec: ServiceSpec, ip: string): void {
  spec.clusterIP = ip;
  spec.clusterIPs = [ip];
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
}

/** ipallocator's errors for a requested address, as the registry words them. */
function ipProblem(ip: string, taken: TakenAddresses, cidr: Cidr): string | undefined {
  const n = parseIPv4(ip);
  if (n === undefined || n <= cidr.base || n >= cidr.base + cidr.size - 1) {
    return `the provided IP (${ip}) is not in the valid range. The range of valid IPs is ${cidr.text}`;
  }
  return taken.clusterIPs.has(ip) ? 'provided IP is already allocated' : undefined;
}

/** `spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: failed to allocate IP 10.96.0.5: …` (Go's %#v of the list). */
function clusterIPCause(ip: string, problem: string): StatusCause {
  return {
    reason: 'FieldValueInvalid',
    field: 'spec.clusterIPs',
    message: `Invalid value: []string{${ip ? JSON.stringify(ip) : ''}}: failed to allocate IP ${ip}: ${problem}`,
  };
}

function freeIP(key: string, taken: TakenAddresses, cidr: Cidr): string | undefined {
  const usable = cidr.size - 2;
  const staticBand = Math.min(Math.max(16, Math.floor(usable / 16)), 256);
  const dynamic = usable - staticBand;
  const start = hashOf(key) % dynamic;
  for (let i = 0; i < usable; i++) {
    // First the dynamic band from the hashed offset, then (only when it is full) the static band.
    const offset = i < dynamic ? staticBand + ((start + i) % dynamic) : i - dynamic;
    const ip = formatIPv4(cidr.base + 1 + offset);
    if (!taken.clusterIPs.has(ip)) return ip;
  }
  return undefined;
}

function allocateNodePorts(spec: ServiceSpec, key: string, taken: TakenAddresses, [min, max]: [number, number]): StatusCause[] {
  if (!usesNodePorts(spec)) return [];
  const used = new Set(taken.nodePorts);
  const causes: StatusCause[] = [];
  (spec.ports ?? []).forEach((p, i) => {
    if (!p.nodePort) return;
    if (used.has(p.nodePort)) causes.push(invalidValue(FieldPath.root('spec').child('ports').index(i).child('nodePort'), p.nodePort, 'provided port is already allocated'));
    used.add(p.nodePort);
  });
  (spec.ports ?? []).forEach((p, i) => {
    if (p.nodePort) return;
    const port = freePort(`${key}#${i}`, used, min, max);
    if (port === undefined) {
      causes.push(invalidValue(FieldPath.root('spec').child('ports').index(i).child('nodePort'), 0, 'range is full'));
      return;
    }
    p.nodePort = port;
    used.add(port);
  });
  return causes;
}

function freePort(seed: string, used: Set<number>, min: number, max: number): number | undefined {
  const size = max - min + 1;
  const start = hashOf(seed) % size;
  for (let i = 0; i < size; i++) {
    const port = min + ((start + i) % size);
    if (!used.has(port)) return port;
  }
  return undefined;
}

/**
 * The service registry's order around validation: drop the fields the new type does not use
 * (update), then `admitted` runs defaults and validation, then the cluster IP and node ports are
 * allocated against `services` (every other service this write sees).
 */
export function admitServiceAddresses(
  object: KObject,
  old: KObject | undefined,
  admitted: (object: KObject) => KObject,
  services: KObject[] | undefined,
  cfg: AllocationConfig = {},
): KObject {
  const valid = admitted(old ? withoutTypeDependentFields(object, old) : object);
  return services ? allocateService(valid, old, takenAddresses(services, keyOfService(valid)), cfg) : valid;
}
