// Service admission: SetDefaults_Service, the IP-family defaults the service registry fills, and
// ValidateService(Update). Allocating the cluster IP and node ports is the services controller's job;
// here an update that omits them keeps the allocated ones (the registry's patchAllocatedValues), and
// a set cluster IP may not change (except to or from type ExternalName).
//
// Worked example — {type omitted, ports: [{port: 80}]} becomes {type: ClusterIP, sessionAffinity:
// None, ports: [{port: 80, protocol: TCP, targetPort: 80}], internalTrafficPolicy: Cluster,
// ipFamilyPolicy: SingleStack, ipFamilies: [IPv4]} with status {loadBalancer: {}}.

import { duplicate, FieldPath, invalidEach, invalidValue, notSupported, required, type FieldCause } from '../field-errors.ts';
import { isDNS1123Label, isValidPortName, isValidPortNum } from '../names.ts';
import { deepEqual } from '../metadata.ts';
import type { KObject } from '../object.ts';
import { validateLabels } from './meta.ts';
import { ensure, fill, list, rec, type Fields, type KindRules } from './types.ts';

const SPEC = FieldPath.root('spec');
const TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const AFFINITIES = ['ClientIP', 'None'];
/** The default --service-node-port-range; the services controller allocates node ports from it. */
export const NODE_PORT_RANGE = { min: 30000, max: 32767 };

const usesNodePorts = (type: unknown) => type === 'NodePort' || type === 'LoadBalancer';

function defaultPorts(spec: Fields): void {
  for (const raw of list(spec.ports)) {
    const p = rec(raw);
    if (!p) continue;
    fill(p, 'protocol', 'TCP');
    if (p.targetPort === undefined || p.targetPort === 0 || p.targetPort === '') p.targetPort = p.port;
  }
}

/** The registry's patchAllocatedValues: an update without cluster IPs or node ports keeps the old ones. */
function keepAllocated(spec: Fields, old: Fields): void {
  if (spec.type === 'ExternalName' || old.type === 'ExternalName') return;
  fill(spec, 'clusterIP', old.clusterIP);
  if (list(spec.clusterIPs).length === 0 && old.clusterIPs !== undefined) spec.clusterIPs = old.clusterIPs;
  normalizeClusterIPs(spec, old);
  if (!usesNodePorts(spec.type) || !usesNodePorts(old.type)) return;
  for (const p of list(spec.ports).map(rec)) {
    const before = list(old.ports).map(rec).find((o) => o?.port === p?.port && (o?.protocol ?? 'TCP') === (p?.protocol ?? 'TCP'));
    if (p && !p.nodePort && before?.nodePort) p.nodePort = before.nodePort;
  }
}

/**
 * The registry's normalizeClusterIPs on update: a client that changes only the singular clusterIP
 * (a merge patch of spec.clusterIP, an old manifest) means the plural too, so validation sees the
 * change — `kubectl patch svc web -p '{"spec":{"clusterIP":"10.96.99.99"}}'` is refused with
 * "spec.clusterIPs[0] … may not change once set" instead of storing clusterIP and clusterIPs apart.
 */
function normalizeClusterIPs(spec: Fields, old: Fields): void {
  if (!spec.clusterIP || spec.clusterIP === old.clusterIP || !deepEqual(spec.clusterIPs, old.clusterIPs)) return;
  spec.clusterIPs = [spec.clusterIP];
}

function defaults(obj: KObject, ctx: { op: 'create' | 'update'; old?: KObject }): void {
  const spec = ensure(obj, 'spec');
  fill(spec, 'type', 'ClusterIP');
  fill(spec, 'sessionAffinity', 'None');
  if (spec.sessionAffinity === 'ClientIP') fill(ensure(ensure(spec, 'sessionAffinityConfig'), 'clientIP'), 'timeoutSeconds', 10800);
  defaultPorts(spec);
  if (ctx.op === 'update' && ctx.old) keepAllocated(spec, rec(ctx.old.spec) ?? {});
  if (usesNodePorts(spec.type)) fill(spec, 'externalTrafficPolicy', 'Cluster');
  if (spec.type === 'LoadBalancer') fill(spec, 'allocateLoadBalancerNodePorts', true);
  if (spec.type !== 'ExternalName') {
    fill(spec, 'internalTrafficPolicy', 'Cluster');
    if (spec.clusterIP && list(spec.clusterIPs).length === 0) spec.clusterIPs = [spec.clusterIP];
    fill(spec, 'ipFamilyPolicy', 'SingleStack');
    if (list(spec.ipFamilies).length === 0) spec.ipFamilies = ['IPv4'];
  }
  if (ctx.op === 'create') fill(ensure(obj, 'status'), 'loadBalancer', {});
}

function validatePort(p: Fields, at: FieldPath, many: boolean, type: unknown): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!p.name && many) causes.push(required(at.child('name')));
  else if (p.name) causes.push(...invalidEach(at.child('name'), p.name, isDNS1123Label(String(p.name))));
  causes.push(...invalidEach(at.child('port'), p.port ?? 0, isValidPortNum(Number(p.port ?? 0))));
  if (!PROTOCOLS.includes(p.protocol)) causes.push(notSupported(at.child('protocol'), p.protocol ?? '', PROTOCOLS));
  const target = p.targetPort;
  if (typeof target === 'string') causes.push(...invalidEach(at.child('targetPort'), target, isValidPortName(target)));
  else causes.push(...invalidEach(at.child('targetPort'), target, isValidPortNum(Number(target))));
  if (p.nodePort !== undefined && p.nodePort !== 0) {
    if (!usesNodePorts(type)) causes.push(invalidValue(at.child('nodePort'), p.nodePort, `may not be used when \`type\` is '${type}'`));
    else if (!(p.nodePort >= NODE_PORT_RANGE.min && p.nodePort <= NODE_PORT_RANGE.max)) {
      causes.push(
        invalidValue(at.child('nodePort'), p.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`),
      );
    }
  }
  return causes;
}

function validate(obj: KObject): FieldCause[] {
  const spec = rec(obj.spec) ?? {};
  const causes: FieldCause[] = [];
  if (!TYPES.includes(spec.type)) causes.push(notSupported(SPEC.child('type'), spec.type ?? '', TYPES));
  if (!AFFINITIES.includes(spec.sessionAffinity)) causes.push(notSupported(SPEC.child('sessionAffinity'), spec.sessionAffinity ?? '', AFFINITIES));
  causes.push(...validateLabels(spec.selector, SPEC.child('selector')));
  const ports = list(spec.ports);
  const headless = spec.clusterIP === 'None';
  if (spec.type === 'ExternalName') {
    if (!spec.externalName) causes.push(required(SPEC.child('externalName')));
  } else if (ports.length === 0 && !headless) {
    causes.push(required(SPEC.child('ports')));
  }
  const names = new Set<string>();
  // A port number may appear once per protocol (80/TCP and 80/UDP may share a service).
  const numbers = new Set<string>();
  ports.forEach((raw, i) => {
    const p = rec(raw) ?? {};
    const at = SPEC.child('ports').index(i);
    causes.push(...validatePort(p, at, ports.length > 1, spec.type));
    if (p.name && names.has(p.name)) causes.push(duplicate(at.child('name'), p.name));
    if (p.name) names.add(p.name);
    const number = `${p.port}/${p.protocol}`;
    if (numbers.has(number)) causes.push(duplicate(at, { protocol: p.protocol, port: p.port }));
    numbers.add(number);
  });
  return causes;
}

/** The primary cluster IP may not change once set, unless the service moves to or from ExternalName. */
function validateUpdate(obj: KObject, old: KObject): FieldCause[] {
  const [spec, prev] = [rec(obj.spec) ?? {}, rec(old.spec) ?? {}];
  if (spec.type === 'ExternalName' || prev.type === 'ExternalName' || !prev.clusterIP) return [];
  const now = list(spec.clusterIPs)[0] ?? spec.clusterIP ?? '';
  return now === prev.clusterIP ? [] : [invalidValue(SPEC.child('clusterIPs').index(0), now, 'may not change once set')];
}

export const serviceRules: KindRules = { defaults, validate, validateUpdate };
