// The shape of every built-in kind, read from @kubernetes/client-node's generated model classes:
// each class carries a static `attributeTypeMap` (JSON field name, TypeScript type, OpenAPI format),
// generated from the Kubernetes OpenAPI spec. Strategic merge patch, server-side apply and the
// OpenAPI documents all walk objects through this one table instead of hand-typed schemas.
//
// What the models lack is the patch metadata of the Go types (`patchMergeKey` / `patchStrategy`
// struct tags in k8s.io/api); core/patch/strategies.ts adds it.

import * as models from '@kubernetes/client-node/dist/gen/models/ObjectSerializer.js';
import { parseApiVersion } from '../registry.ts';

export interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

/** A field's type: a model class, a list or string-keyed map of something, or a scalar. */
export type FieldType =
  | { t: 'object'; model: string }
  | { t: 'array'; item: FieldType }
  | { t: 'map'; value: FieldType }
  | { t: 'scalar'; name: string; format: string };

type ModelClass = { attributeTypeMap?: Attribute[] };
const MODELS = models as unknown as Record<string, ModelClass>;

/** The attributes of a model class ("V1PodSpec"), or undefined for an unknown name. */
export function attributesOf(model: string): Attribute[] | undefined {
  return MODELS[model]?.attributeTypeMap;
}

/** Parse the TypeScript type text of an attribute: "Array<V1Container>", "{ [key: string]: string; }". */
export function parseType(type: string, format = ''): FieldType {
  const arr = /^Array<(.+)>$/.exec(type);
  if (arr) return { t: 'array', item: parseType(arr[1]) };
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return { t: 'map', value: parseType(map[1]) };
  if (MODELS[type]?.attributeTypeMap) return { t: 'object', model: type };
  return { t: 'scalar', name: type, format };
}

const fieldCache = new Map<string, Map<string, FieldType>>();

/** The type of `field` (its JSON name) in `model`, or undefined when the model has no such field. */
export function fieldType(model: string, field: string): FieldType | undefined {
  let fields = fieldCache.get(model);
  if (!fields) {
    fields = new Map((attributesOf(model) ?? []).map((a) => [a.baseName, parseType(a.type, a.format)]));
    fieldCache.set(model, fields);
  }
  return fields.get(field);
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The model class of a kind: "V1Deployment" for apps/v1 Deployment. The generator prefixes the group
 * where two groups share a kind name ("CoreV1Event", "EventsV1Event"), so that spelling is tried first.
 */
export function modelOf(apiVersion: string, kind: string): string | undefined {
  const { group, version } = parseApiVersion(apiVersion);
  const prefix = cap(group === '' ? 'core' : group.split('.')[0]);
  for (const name of [`${prefix}${cap(version)}${kind}`, `${cap(version)}${kind}`]) {
    if (MODELS[name]?.attributeTypeMap) return name;
  }
  return undefined;
}

/** The type of a whole object of this apiVersion and kind (an untyped scalar when unknown). */
export function rootType(apiVersion: string, kind: string): FieldType | undefined {
  const model = modelOf(apiVersion, kind);
  return model ? { t: 'object', model } : undefined;
}

/** The type of `field` under a parent of type `parent` (maps give their value type to every key). */
export function childType(parent: FieldType | undefined, field: string): FieldType | undefined {
  if (!parent) return undefined;
  if (parent.t === 'object') return fieldType(parent.model, field);
  if (parent.t === 'map') return parent.value;
  return undefined;
}
