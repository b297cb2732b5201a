// Secret admission. As the v1 conversion does, `stringData` is a write-only convenience: each entry
// is base64-encoded into `data` (overriding a same-named key) and the field is dropped. `data` values
// must be base64, or the request cannot even be decoded — a 400, not a 422. Type defaults to
// Opaque, may not change, and the well-known types require their keys (ValidateSecret).

import { badRequest } from '../errors.ts';
import { FieldPath, invalidValue, required, type FieldCause } from '../field-errors.ts';
import type { KObject } from '../object.ts';
import { validateDataKeys, validateImmutableData } from './configmap.ts';
import { rec, type KindRules } from './types.ts';

/** Keys each well-known secret type must carry in data. */
const REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

/** Where Go's strict base64 decoder stops: the first byte outside the alphabet, or the bad tail. */
function base64Error(value: string): number | undefined {
  const bad = value.search(/[^A-Za-z0-9+/=]/);
  if (bad >= 0) return bad;
  const pad = value.indexOf('=');
  if (pad >= 0 && (!/^=*$/.test(value.slice(pad)) || value.length % 4 !== 0)) return pad;
  if (value.length % 4 !== 0) return value.length - (value.length % 4);
  return undefined;
}

function defaults(obj: KObject): void {
  if (!obj.type) obj.type = 'Opaque';
  const data = rec(obj.data) ?? {};
  for (const v of Object.values(data)) {
    const at = typeof v === 'string' ? base64Error(v) : 0;
    if (at !== undefined) throw badRequest(`Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte ${at}`);
  }
  const merged = withStringData(obj);
  if (merged === obj) return;
  delete obj.stringData;
  if (merged.data !== undefined) obj.data = merged.data;
}

/**
 * The Secret as Convert_v1_Secret_To_core_Secret decodes it: each stringData entry base64-encoded into
 * data (overriding a same-named key), stringData gone. A new object; `obj` is left as it is.
 */
export function withStringData(obj: KObject): KObject {
  const stringData = rec(obj.stringData);
  if (!stringData) return obj;
  const data: Record<string, unknown> = { ...rec(obj.data) };
  for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v), 'utf8').toString('base64');
  const { stringData: _written, ...rest } = obj;
  return Object.keys(data).length > 0 ? { ...rest, data } : rest;
}

function validate(obj: KObject): FieldCause[] {
  const causes = validateDataKeys(obj, ['data']);
  const data = rec(obj.data) ?? {};
  for (const key of REQUIRED_KEYS[String(obj.type)] ?? []) {
    if (!(key in data)) causes.push(required(FieldPath.root('data').key(key)));
  }
  if (obj.type === 'kubernetes.io/service-account-token' && !obj.metadata.annotations?.['kubernetes.io/service-account.name']) {
    causes.push(required(FieldPath.root('metadata').child('annotations').key('kubernetes.io/service-account.name')));
  }
  return causes;
}

function validateUpdate(obj: KObject, old: KObject): FieldCause[] {
  const causes = validateImmutableData(obj, old, ['data']);
  if (obj.type !== old.type) causes.push(invalidValue(FieldPath.root('type'), obj.type, 'field is immutable'));
  return causes;
}

export const secretRules: KindRules = { defaults, validate, validateUpdate };
