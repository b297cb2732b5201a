// NetworkPolicy admission (networking.k8s.io/v1): SetDefaults_NetworkPolicy (policyTypes Ingress,
// plus Egress when egress rules are given; each port's protocol TCP) and ValidateNetworkPolicySpec —
// selectors, ports (numbers in range or port names, endPort after port), peers (exactly one kind when
// ipBlock is used; ipBlock a CIDR whose excepts are strict subsets) and the two policy types.
//
// Worked example — {podSelector: {}, ingress: [{ports: [{port: 70000}], from: [{ipBlock: {cidr:
// "10.0.0.0/33"}}]}], policyTypes: [Ingress, Sideways]} is refused with spec.ingress[0].ports[0].port
// "must be between 1 and 65535, inclusive", spec.ingress[0].from[0].ipBlock.cidr "must be a valid
// CIDR value", and spec.policyTypes[1] Unsupported value "Sideways".

import { isIP } from 'node:net';
import { FieldPath, forbidden, invalidEach, invalidValue, notSupported, required, type FieldCause } from '../field-errors.ts';
import { isValidPortName, isValidPortNum } from '../names.ts';
import type { KObject } from '../object.ts';
import { parseIPv4 } from '../service-alloc.ts';
import { ensure, fill, list, rec, type Fields, type KindRules } from './types.ts';
import { validateLabelSelector } from './workload.ts';

const SPEC = FieldPath.root('spec');
const POLICY_TYPES = ['Ingress', 'Egress'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const CIDR_MESSAGE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

const RULES = [
  { key: 'ingress', peers: 'from' },
  { key: 'egress', peers: 'to' },
] as const;

function defaults(obj: KObject): void {
  const spec = ensure(obj, 'spec');
  for (const { key } of RULES) {
    for (const rule of list(spec[key])) for (const port of list(rec(rule)?.ports)) if (rec(port)) fill(port as Fields, 'protocol', 'TCP');
  }
  if (list(spec.policyTypes).length === 0) spec.policyTypes = list(spec.egress).length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
}

function validate(obj: KObject): FieldCause[] {
  const spec = rec(obj.spec) ?? {};
  const causes = validateLabelSelector(rec(spec.podSelector) ?? {}, SPEC.child('podSelector'));
  for (const { key, peers } of RULES) {
    list(spec[key]).forEach((raw, i) => {
      const rule = rec(raw) ?? {};
      const at = SPEC.child(key).index(i);
      list(rule.ports).forEach((p, j) => causes.push(...validatePort(rec(p) ?? {}, at.child('ports').index(j))));
      list(rule[peers]).forEach((p, j) => causes.push(...validatePeer(rec(p) ?? {}, at.child(peers).index(j))));
    });
  }
  causes.push(...validatePolicyTypes(list(spec.policyTypes)));
  return causes;
}

function validatePolicyTypes(types: unknown[]): FieldCause[] {
  if (types.length > POLICY_TYPES.length) return [invalidValue(SPEC.child('policyTypes'), types, 'may not specify more than two policyTypes')];
  return types.flatMap((type, i) => (POLICY_TYPES.includes(type as string) ? [] : [notSupported(SPEC.child('policyTypes').index(i), type, POLICY_TYPES)]));
}

/** ValidateNetworkPolicyPort: a numeric port (and endPort ≥ it) or a port name. */
function validatePort(p: Fields, at: FieldPath): FieldCause[] {
  const causes: FieldCause[] = [];
  if (p.protocol !== undefined && !PROTOCOLS.includes(p.protocol)) causes.push(notSupported(at.child('protocol'), p.protocol, PROTOCOLS));
  const endPort = p.endPort;
  if (p.port === undefined || p.port === null) {
    if (endPort !== undefined) causes.push(invalidValue(at.child('endPort'), endPort, 'may not be specified when `port` is not specified'));
  } else if (typeof p.port === 'number') {
    causes.push(...invalidEach(at.child('port'), p.port, isValidPortNum(p.port)));
    if (endPort !== undefined) {
      if (Number(endPort) < p.port) causes.push(invalidValue(at.child('endPort'), p.port, 'must be greater than or equal to `port`'));
      causes.push(...invalidEach(at.child('endPort'), endPort, isValidPortNum(Number(endPort))));
    }
  } else {
    if (endPort !== undefined) causes.push(invalidValue(at.child('endPort'), endPort, 'may not be specified when `port` is non-numeric'));
    causes.push(...invalidEach(at.child('port'), p.port, isValidPortName(String(p.port))));
  }
  return causes;
}

/** ValidateNetworkPolicyPeer: at least one of podSelector, namespaceSelector and ipBlock; ipBlock alone. */
function validatePeer(peer: Fields, at: FieldPath): FieldCause[] {
  const causes: FieldCause[] = [];
  let kinds = 0;
  for (const key of ['podSelector', 'namespaceSelector']) {
    const sel = rec(peer[key]);
    if (!sel) continue;
    kinds++;
    causes.push(...validateLabelSelector(sel, at.child(key)));
  }
  const block = rec(peer.ipBlock);
  if (block) {
    kinds++;
    causes.push(...validateIPBlock(block, at.child('ipBlock')));
  }
  if (kinds === 0) causes.push(required(at, 'must specify a peer'));
  else if (kinds > 1 && block) causes.push(forbidden(at, 'may not specify both ipBlock and another peer'));
  return causes;
}

interface Cidr {
  ip: string;
  prefix: number;
}

/** netutils.ParseCIDRSloppy: an IP, a slash and a prefix length within the address's bits. */
function parseCidr(text: string): Cidr | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  const family = m ? isIP(m[1]) : 0;
  if (!m || family === 0) return undefined;
  const prefix = Number(m[2]);
  return prefix <= (family === 4 ? 32 : 128) ? { ip: m[1], prefix } : undefined;
}

/** Whether IPv4 `inner` lies within `outer` with a longer prefix (IPv6 blocks are not compared). */
function strictSubset(inner: Cidr, outer: Cidr): boolean {
  const [a, b] = [parseIPv4(inner.ip), parseIPv4(outer.ip)];
  if (a === undefined || b === undefined) return true;
  const mask = outer.prefix === 0 ? 0 : (~0 << (32 - outer.prefix)) >>> 0;
  return ((a & mask) >>> 0) === ((b & mask) >>> 0) && inner.prefix > outer.prefix;
}

function validateIPBlock(block: Fields, at: FieldPath): FieldCause[] {
  if (!block.cidr) return [required(at.child('cidr'))];
  const cidr = parseCidr(String(block.cidr));
  if (!cidr) return [invalidValue(at.child('cidr'), block.cidr, CIDR_MESSAGE)];
  return list(block.except).flatMap((text, i) => {
    const path = at.child('except').index(i);
    const except = parseCidr(String(text));
    if (!except) return [invalidValue(path, text, CIDR_MESSAGE)];
    return strictSubset(except, cidr) ? [] : [invalidValue(path, text, 'must be a strict subset of `cidr`')];
  });
}

export const networkPolicyRules: KindRules = { defaults, validate };
