// OpenAPI v3 component schemas generated from @kubernetes/client-node's model classes (the client is
// itself generated from the Kubernetes OpenAPI spec, so the field set is complete): types and formats
// from each class's attributeTypeMap, descriptions and required fields from its .d.ts, and the list
// patch metadata (x-kubernetes-patch-merge-key / -strategy) from core/patch/strategies.ts.
//
// Definitions are named as kube-apiserver names them ("io.k8s.api.core.v1.PodSpec",
// "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"), so `kubectl explain` prints familiar type
// names. A model's package is the group/version of the first registered kind that reaches it.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { RESOURCES, type ResourceInfo } from '../core/registry.ts';
import { attributesOf, modelOf, parseType, type FieldType } from '../core/patch/schema.ts';
import { patchStrategy } from '../core/patch/strategies.ts';

export type Schema = Record<string, unknown>;

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';
const META_MODELS = new Set(['ObjectMeta', 'ListMeta', 'LabelSelector', 'LabelSelectorRequirement', 'ManagedFieldsEntry', 'OwnerReference',
  'Condition', 'Status', 'StatusDetails', 'StatusCause', 'DeleteOptions', 'Preconditions']);

/** Schemas of the scalar types the models spell as formats: Time, MicroTime, IntOrString. */
const SCALARS: Record<string, [string, Schema]> = {
  'date-time': [`${META}.Time`, { description: 'Time is a wrapper around time.Time which supports correct marshaling to YAML and JSON.', type: 'string', format: 'date-time' }],
  'date-time-micro': [`${META}.MicroTime`, { description: 'MicroTime is version of Time with microsecond level precision.', type: 'string', format: 'date-time' }],
  'int-or-string': ['io.k8s.apimachinery.pkg.util.intstr.IntOrString', {
    description: 'IntOrString is a type that can hold an int32 or a string.  When used in JSON or YAML marshalling and unmarshalling, it produces or consumes the inner type.  This allows you to have, for example, a JSON field that can accept a name or number.',
    type: 'string', format: 'int-or-string',
  }],
};

/** "V1PodSpec" → "PodSpec", "CoreV1EventSeries" → "EventSeries". */
const simpleName = (model: string) => model.replace(/^(?:[A-Z][a-z]+)?V\d+(?:(?:alpha|beta)\d+)?/, '');

const packageOf = (r: ResourceInfo, version: string) => `io.k8s.api.${r.group === '' ? 'core' : r.group.split('.')[0]}.${version}`;

const modelsDir = dirname(createRequire(import.meta.url).resolve('@kubernetes/client-node/dist/gen/models/ObjectSerializer.js'));

interface Docs {
  description?: string;
  fields: Map<string, string>;
  required: string[];
}

const clean = (comment: string) => comment.split('\n').map((l) => l.replace(/^\s*\*\s?/, '').trim()).filter(Boolean).join(' ').replace(/\\(['"])/g, '$1');

/** Descriptions and required fields of a model, read from its .d.ts (the generator keeps the spec's docs there). */
function docsOf(model: string): Docs {
  let text = '';
  try {
    text = readFileSync(join(modelsDir, `${model}.d.ts`), 'utf8');
  } catch {
    return { fields: new Map(), required: [] };
  }
  // The class comment is the last doc comment before the class (the file header comes first).
  const cls = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export declare class/.exec(text);
  const fields = new Map<string, string>();
  for (const m of text.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*?)\*\/\s*'([^']+)'\??:/g)) fields.set(m[2], clean(m[1]));
  const required = [...text.matchAll(/^\s*'([^']+)':/gm)].map((m) => m[1]);
  return { description: cls ? clean(cls[1]) : undefined, fields, required };
}

/** Names every model reachable from the registered kinds, and builds their schemas on demand. */
class SchemaBuilder {
  private readonly names = new Map<string, string>();

  constructor() {
    for (const r of RESOURCES) {
      for (const v of r.versions) {
        const model = modelOf(r.group ? `${r.group}/${v}` : v, r.kind);
        if (model) this.assign(model, packageOf(r, v));
      }
    }
  }

  private assign(model: string, pkg: string): void {
    if (this.names.has(model)) return;
    const simple = simpleName(model);
    this.names.set(model, `${META_MODELS.has(simple) ? META : pkg}.${simple}`);
    for (const a of attributesOf(model) ?? []) this.visit(parseType(a.type, a.format), pkg);
  }

  private visit(t: FieldType, pkg: string): void {
    if (t.t === 'object') this.assign(t.model, pkg);
    else if (t.t === 'array') this.visit(t.item, pkg);
    else if (t.t === 'map') this.visit(t.value, pkg);
  }

  nameOf(model: string): string | undefined {
    return this.names.get(model);
  }

  /**
   * The schema of a field type. Models and special scalars become $refs: model class names are
   * collected in `refs`, special scalar definitions (Time, IntOrString, …) in `scalars`.
   */
  typeSchema(t: FieldType, refs: Set<string>, scalars: Map<string, Schema>): Schema {
    if (t.t === 'array') return { type: 'array', items: { default: defaultOf(t.item), ...this.typeSchema(t.item, refs, scalars) } };
    if (t.t === 'map') return { type: 'object', additionalProperties: { default: defaultOf(t.value), ...this.typeSchema(t.value, refs, scalars) } };
    if (t.t === 'object') {
      const name = this.names.get(t.model)!;
      refs.add(t.model);
      return { allOf: [{ $ref: `#/components/schemas/${name}` }] };
    }
    const special = SCALARS[t.format];
    if (special) {
      scalars.set(special[0], special[1]);
      return { allOf: [{ $ref: `#/components/schemas/${special[0]}` }] };
    }
    return scalarSchema(t.name, t.format);
  }

  /** The component schema of one model. */
  modelSchema(model: string, refs: Set<string>, scalars: Map<string, Schema>): Schema {
    const docs = docsOf(model);
    const properties: Record<string, Schema> = {};
    for (const a of attributesOf(model) ?? []) {
      const t = parseType(a.type, a.format);
      const prop: Schema = { ...this.typeSchema(t, refs, scalars) };
      if (t.t === 'object') prop.default = {};
      const description = docs.fields.get(a.name) ?? (t.t === 'object' ? conventionalDoc(a.baseName, simpleName(model)) : undefined);
      if (description) prop.description = description;
      const strategy = patchStrategy(model, a.baseName);
      if (strategy?.mergeKey) prop['x-kubernetes-patch-merge-key'] = strategy.mergeKey;
      if (strategy) prop['x-kubernetes-patch-strategy'] = strategy.strategy;
      properties[a.baseName] = prop;
    }
    const schema: Schema = { type: 'object', properties };
    if (docs.description) schema.description = docs.description;
    const required = docs.required.filter((f) => f in properties);
    if (required.length > 0) schema.required = required;
    return schema;
  }
}

const CONVENTIONS = 'https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md';

/**
 * The generator drops the docs of fields that are references. For the three every kind has, the
 * API conventions' standard wording stands in (kubectl explain prints the type's own description
 * after it); other reference fields stay undocumented rather than repeat their type's text.
 */
function conventionalDoc(field: string, kind: string): string | undefined {
  if (field === 'metadata') return `Standard object's metadata. More info: ${CONVENTIONS}#metadata`;
  if (field === 'spec') return `Specification of the desired behavior of the ${kind}. More info: ${CONVENTIONS}#spec-and-status`;
  if (field === 'status') return `Most recently observed status of the ${kind}. Populated by the system. Read-only. More info: ${CONVENTIONS}#spec-and-status`;
  return undefined;
}

function scalarSchema(name: string, format: string): Schema {
  if (name === 'number') return format === 'double' ? { type: 'number', format: 'double' } : { type: 'integer', format: format || 'int64' };
  if (name === 'boolean') return { type: 'boolean' };
  if (name === 'string') return format === 'byte' ? { type: 'string', format: 'byte' } : { type: 'string' };
  return { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }; // "any": free-form JSON
}

/** kube-apiserver's v3 schemas give every element of a list or map a zero default ("" / 0 / {}). */
function defaultOf(t: FieldType): unknown {
  if (t.t === 'object') return {};
  if (t.t !== 'scalar') return undefined;
  if (t.name === 'string' && !SCALARS[t.format]) return '';
  if (t.name === 'number') return 0;
  return undefined;
}

let builder: SchemaBuilder | undefined;
const getBuilder = () => (builder ??= new SchemaBuilder());

/** The definition name of a model ("io.k8s.api.core.v1.Pod"). */
export function definitionName(model: string): string | undefined {
  return getBuilder().nameOf(model);
}

/** Component schemas for the given root models and everything they reference. */
export function schemasFor(roots: string[]): Record<string, Schema> {
  const b = getBuilder();
  const out: Record<string, Schema> = {};
  const done = new Set<string>();
  const scalars = new Map<string, Schema>();
  const queue = [...roots];
  while (queue.length > 0) {
    const model = queue.shift()!;
    if (done.has(model)) continue;
    done.add(model);
    const refs = new Set<string>();
    out[b.nameOf(model)!] = b.modelSchema(model, refs, scalars);
    queue.push(...refs);
  }
  for (const [name, schema] of scalars) out[name] = schema;
  return out;
}
