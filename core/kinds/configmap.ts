// ConfigMap admission (ValidateConfigMap): keys become file names and env var names, so each must
// be a valid config key, unique across data and binaryData; an immutable ConfigMap keeps its data.

import { FieldPath, forbidden, invalidEach, invalidValue, type FieldCause } from '../field-errors.ts';
import { deepEqual } from '../metadata.ts';
import { isConfigMapKey } from '../names.ts';
import type { KObject } from '../object.ts';
import { rec, type KindRules } from './types.ts';

/** Every key of the given maps is a valid config key. */
export function validateDataKeys(obj: KObject, fields: string[]): FieldCause[] {
  return fields.flatMap((f) =>
    Object.keys(rec(obj[f]) ?? {}).flatMap((k) => invalidEach(FieldPath.root(f).key(k), k, isConfigMapKey(k))),
  );
}

/** `immutable: true` freezes the data maps and the flag itself (ConfigMap and Secret). */
export function validateImmutableData(obj: KObject, old: KObject, fields: string[]): FieldCause[] {
  if (old.immutable !== true) return [];
  const causes: FieldCause[] = [];
  if (obj.immutable !== true) causes.push(forbidden(FieldPath.root('immutable'), 'field is immutable when `immutable` is set'));
  for (const f of fields) {
    if (!deepEqual(obj[f], old[f])) causes.push(forbidden(FieldPath.root(f), 'field is immutable when `immutable` is set'));
  }
  return causes;
}

function validate(obj: KObject): FieldCause[] {
  const causes = validateDataKeys(obj, ['data', 'binaryData']);
  const binary = rec(obj.binaryData) ?? {};
  for (const k of Object.keys(rec(obj.data) ?? {})) {
    if (k in binary) causes.push(invalidValue(FieldPath.root('data').key(k), k, 'duplicate of key present in binaryData'));
  }
  return causes;
}

export const configMapRules: KindRules = {
  validate,
  validateUpdate: (obj, old) => validateImmutableData(obj, old, ['data', 'binaryData']),
};
