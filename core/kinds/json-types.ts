// The JSON types Go's decoder demands. kube-apiserver decodes a body into typed Go structs, so a
// string where an int32 belongs, or a number where a string belongs (the classic `value: 8080` in an
// env entry, or `version: 1` in labels), fails before any validation with a 400:
//   Pod in version "v1" cannot be handled as a Pod: json: cannot unmarshal number into Go struct
//   field EnvVar.spec.containers.env.value of type string
// The field types come from the generated model classes (core/patch/schema.ts). Unknown fields are
// not this file's business (the API's fieldValidation decides about them).

import { fieldType, rootType, type FieldType } from '../patch/schema.ts';
import type { KObject } from '../object.ts';

/**
 * Fields of resource.Quantity type: the models call them strings, but a Quantity also decodes from
 * a JSON number (`cpu: 1`), so both are accepted there.
 */
const QUANTITY_FIELDS = new Set([
  'V1ResourceRequirements.limits',
  'V1ResourceRequirements.requests',
  'V1VolumeResourceRequirements.limits',
  'V1VolumeResourceRequirements.requests',
  'V1PodSpec.overhead',
  'V1NodeStatus.capacity',
  'V1NodeStatus.allocatable',
  'V1PersistentVolumeSpec.capacity',
  'V1PersistentVolumeClaimStatus.capacity',
  'V1PersistentVolumeClaimStatus.allocatedResources',
  'V1ResourceQuotaSpec.hard',
  'V1ResourceQuotaStatus.hard',
  'V1ResourceQuotaStatus.used',
  'V1LimitRangeItem.max',
  'V1LimitRangeItem.min',
  'V1LimitRangeItem.default',
  'V1LimitRangeItem.defaultRequest',
  'V1LimitRangeItem.maxLimitRequestRatio',
  'V1EmptyDirVolumeSource.sizeLimit',
  'V1ResourceFieldSelector.divisor',
  'V2MetricTarget.value',
  'V2MetricTarget.averageValue',
  'V2MetricValueStatus.value',
  'V2MetricValueStatus.averageValue',
]);

/**
 * An int32 field takes no number outside its range: Go's decoder refuses `replicas: 99999999999`
 * (`kubectl scale --replicas=99999999999`), where taking it would have the controllers create pods
 * without end.
 */
const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const jsonTypeOf = (v: unknown) => (Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v);

/** Go's name of a field type: "int32", "[]v1.Container", "map[string]string", "v1.PodSpec". */
function goType(t: FieldType): string {
  switch (t.t) {
    case 'array':
      return `[]${goType(t.item)}`;
    case 'map':
      return `map[string]${goType(t.value)}`;
    case 'object':
      return goStruct(t.model, true);
    case 'scalar':
      if (t.name === 'number') return t.format === 'int32' || t.format === 'int64' ? t.format : 'float64';
      return t.name === 'boolean' ? 'bool' : t.name === 'IntOrString' ? 'intstr.IntOrString' : 'string';
  }
}

/** "V1PodSpec" → "PodSpec" (or "v1.PodSpec" with the package), "CoreV1Event" → "Event". */
function goStruct(model: string, withPackage = false): string {
  const m = /^(?:[A-Z][a-z]+)?(V\d+(?:alpha\d+|beta\d+)?)([A-Z].*)$/.exec(model);
  if (!m) return model;
  return withPackage ? `${m[1].toLowerCase()}.${m[2]}` : m[2];
}

/** Whether a JSON value decodes into a scalar field of this type (null always does: the zero value). */
function scalarFits(v: unknown, t: Extract<FieldType, { t: 'scalar' }>, quantity: boolean): boolean {
  if (quantity) return typeof v === 'string' || typeof v === 'number';
  switch (t.name) {
    case 'string':
    case 'Date':
      return typeof v === 'string';
    case 'number':
      if (typeof v !== 'number') return false;
      if (t.format === 'int32') return Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
      return t.format === 'int64' ? Number.isInteger(v) : true;
    case 'boolean':
      return typeof v === 'boolean';
    case 'IntOrString':
      return typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v));
    default:
      return true;
  }
}

interface Walk {
  /** JSON path without indices, as Go prints it ("spec.containers.env.value"). */
  path: string;
  /** The struct that holds the field ("EnvVar"). */
  struct: string;
  quantity: boolean;
}

/** Go names a number it cannot store in a numeric field with its text ("number 1.5"), else only its type. */
function mismatch(v: unknown, t: FieldType, at: Walk): string {
  const numeric = t.t === 'scalar' && t.name === 'number';
  const what = typeof v === 'number' && numeric ? `number ${v}` : jsonTypeOf(v);
  return `json: cannot unmarshal ${what} into Go struct field ${at.struct}.${at.path} of type ${goType(t)}`;
}

/** The first type mismatch under `v`, or undefined. */
function check(v: unknown, t: FieldType | undefined, at: Walk): string | undefined {
  if (t === undefined || v === null || v === undefined) return undefined;
  switch (t.t) {
    case 'scalar':
      return scalarFits(v, t, at.quantity) ? undefined : mismatch(v, t, at);
    case 'array':
      if (!Array.isArray(v)) return mismatch(v, t, at);
      for (const item of v) {
        const e = check(item, t.item, at);
        if (e) return e;
      }
      return undefined;
    case 'map':
      if (jsonTypeOf(v) !== 'object') return mismatch(v, t, at);
      for (const value of Object.values(v as object)) {
        const e = check(value, t.value, at);
        if (e) return e;
      }
      return undefined;
    case 'object':
      if (jsonTypeOf(v) !== 'object') return mismatch(v, t, at);
      return checkFields(v as Record<string, unknown>, t.model, at.path);
  }
}

function checkFields(obj: Record<string, unknown>, model: string, path: string): string | undefined {
  const struct = goStruct(model);
  for (const [k, value] of Object.entries(obj)) {
    const at = { path: path ? `${path}.${k}` : k, struct, quantity: QUANTITY_FIELDS.has(`${model}.${k}`) };
    const e = check(value, fieldType(model, k), at);
    if (e) return e;
  }
  return undefined;
}

/** The decoder's complaint about the first field of `obj` whose JSON type (or int32 range) its Go field rejects. */
export function jsonTypeError(obj: KObject): string | undefined {
  const root = rootType(obj.apiVersion, obj.kind);
  return root?.t === 'object' ? checkFields(obj as Record<string, unknown>, root.model, '') : undefined;
}
