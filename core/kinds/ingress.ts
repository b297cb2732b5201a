// Ingress admission (networking/v1 ValidateIngress): every HTTP path names its pathType, Exact and
// Prefix paths are absolute, each path has a backend, and hosts are DNS names (a leading "*." is
// allowed).

import { FieldPath, invalidEach, invalidValue, notSupported, required, type FieldCause } from '../field-errors.ts';
import { isDNS1123Subdomain } from '../names.ts';
import type { KObject } from '../object.ts';
import { list, rec, type Fields, type KindRules } from './types.ts';

const SPEC = FieldPath.root('spec');
const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];

function validateBackend(b: Fields | undefined, at: FieldPath): FieldCause[] {
  if (!b || (!rec(b.service) && !rec(b.resource))) return [required(at, 'one backend (service or resource) must be specified')];
  const service = rec(b.service);
  if (!service) return [];
  const causes: FieldCause[] = [];
  if (!service.name) causes.push(required(at.child('service').child('name')));
  const port = rec(service.port);
  if (!port || (port.name === undefined && port.number === undefined)) causes.push(required(at.child('service').child('port'), 'port name or number is required'));
  return causes;
}

function validatePath(p: Fields, at: FieldPath): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!p.pathType) causes.push(required(at.child('pathType'), 'pathType must be specified'));
  else if (!PATH_TYPES.includes(p.pathType)) causes.push(notSupported(at.child('pathType'), p.pathType, PATH_TYPES));
  if ((p.pathType === 'Exact' || p.pathType === 'Prefix') && !String(p.path ?? '').startsWith('/')) {
    causes.push(invalidValue(at.child('path'), p.path ?? '', 'must be an absolute path'));
  }
  causes.push(...validateBackend(rec(p.backend), at.child('backend')));
  return causes;
}

function validate(obj: KObject): FieldCause[] {
  const spec = rec(obj.spec) ?? {};
  const causes: FieldCause[] = [];
  const rules = list(spec.rules);
  if (spec.defaultBackend !== undefined) causes.push(...validateBackend(rec(spec.defaultBackend), SPEC.child('defaultBackend')));
  else if (rules.length === 0) causes.push(required(SPEC.child('rules'), 'either `defaultBackend` or `rules` must be specified'));
  rules.forEach((raw, i) => {
    const rule = rec(raw) ?? {};
    const at = SPEC.child('rules').index(i);
    if (rule.host) causes.push(...invalidEach(at.child('host'), rule.host, isDNS1123Subdomain(String(rule.host).replace(/^\*\./, ''))));
    const http = rec(rule.http);
    if (!http) return;
    const paths = list(http.paths);
    if (paths.length === 0) causes.push(required(at.child('http').child('paths')));
    paths.forEach((p, j) => causes.push(...validatePath(rec(p) ?? {}, at.child('http').child('paths').index(j))));
  });
  return causes;
}

export const ingressRules: KindRules = { validate };
