// Endpoints admission (core v1): SetDefaults_EndpointPort (protocol TCP) and ValidateEndpoints —
// addresses are IPs, ports are valid numbers with names when there are several.

import { isIP } from 'node:net';
import { FieldPath, invalidEach, invalidValue, notSupported, required, type FieldCause } from '../field-errors.ts';
import { isDNS1123Label, isValidPortNum } from '../names.ts';
import type { KObject } from '../object.ts';
import { fill, list, rec, type Fields, type KindRules } from './types.ts';

const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const SUBSETS = FieldPath.root('subsets');

function defaults(obj: KObject): void {
  for (const subset of list(obj.subsets)) {
    for (const port of list(rec(subset)?.ports)) if (rec(port)) fill(port as Fields, 'protocol', 'TCP');
  }
}

function validatePort(p: Fields, at: FieldPath, nameRequired: boolean): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!p.name && nameRequired) causes.push(required(at.child('name')));
  else if (p.name) causes.push(...invalidEach(at.child('name'), p.name, isDNS1123Label(String(p.name))));
  causes.push(...invalidEach(at.child('port'), p.port ?? 0, isValidPortNum(Number(p.port ?? 0))));
  if (!PROTOCOLS.includes(p.protocol)) causes.push(notSupported(at.child('protocol'), p.protocol ?? '', PROTOCOLS));
  return causes;
}

function validate(obj: KObject): FieldCause[] {
  const causes: FieldCause[] = [];
  list(obj.subsets).forEach((raw, i) => {
    const subset = rec(raw) ?? {};
    const at = SUBSETS.index(i);
    for (const key of ['addresses', 'notReadyAddresses']) {
      list(subset[key]).forEach((a, j) => {
        const ip = rec(a)?.ip;
        if (!isIP(String(ip ?? ''))) causes.push(invalidValue(at.child(key).index(j).child('ip'), ip ?? '', 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
      });
    }
    const ports = list(subset.ports);
    ports.forEach((p, j) => causes.push(...validatePort(rec(p) ?? {}, at.child('ports').index(j), ports.length > 1)));
  });
  return causes;
}

export const endpointsRules: KindRules = { defaults, validate };
