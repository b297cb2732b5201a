// OpenAPI v3 as kubectl uses it (kubectl-surface.md §1.8):
//   - GET /openapi/v3 lists every group-version document with a content hash;
//   - each document has `paths` with, per kind, a PATCH operation carrying the object-valued
//     x-kubernetes-group-version-kind and a `fieldValidation` query parameter — kubectl's
//     query_param_verifier_v3 looks for exactly that before sending fieldValidation=Strict;
//   - `components.schemas` complete for each kind (api/openapi-schemas.ts), top-level kinds tagged
//     with an x-kubernetes-group-version-kind array, which `kubectl explain` and client-side apply
//     look up.
// Documents are generated once and cached; the hash changes whenever a document does, so kubectl
// may cache a document served for a matching ?hash= forever.

import { createHash } from 'node:crypto';
import { groups, resourcesIn, type ResourceInfo } from '../core/registry.ts';
import { fieldType, modelOf, parseType, type FieldType } from '../core/patch/schema.ts';
import { definitionName, schemasFor, type Schema } from './openapi-schemas.ts';

/** "api/v1" or "apis/apps/v1", the key of a group-version in the index. */
const docPath = (group: string, version: string) => (group === '' ? `api/${version}` : `apis/${group}/${version}`);

const apiVersionOf = (group: string, version: string) => (group === '' ? version : `${group}/${version}`);

function param(name: string, description: string, inWhere = 'query', required = false): Schema {
  return { name, in: inWhere, description, ...(required ? { required } : {}), schema: { type: 'string', uniqueItems: true } };
}

const WRITE_PARAMS = [
  param('dryRun', 'When present, indicates that modifications should not be persisted. Valid values are: - All: all dry run stages will be processed'),
  param('fieldManager', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  param('fieldValidation', 'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict'),
];

const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json'];

function operation(r: ResourceInfo, version: string, action: string, ref: string, extra: Schema = {}): Schema {
  const gvk = { group: r.group, version, kind: r.kind };
  const schema = { $ref: `#/components/schemas/${ref}` };
  return {
    operationId: `${action}${r.kind}`,
    tags: [apiVersionOf(r.group, version)],
    responses: { '200': { description: 'OK', content: { 'application/json': { schema } } } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  };
}

/** The item path of a resource with get, put, patch (with fieldValidation) and delete. */
function resourcePaths(r: ResourceInfo, version: string, ref: string): Record<string, Schema> {
  const base = `/${docPath(r.group, version)}${r.scope === 'Namespaced' ? '/namespaces/{namespace}' : ''}/${r.plural}`;
  const pathParams = [param('name', `name of the ${r.kind}`, 'path', true), ...(r.scope === 'Namespaced' ? [param('namespace', 'object name and auth scope, such as for teams and projects', 'path', true)] : [])];
  const body = (types: string[]) => ({ content: Object.fromEntries(types.map((t) => [t, { schema: types === PATCH_TYPES ? { type: 'object' } : { $ref: `#/components/schemas/${ref}` } }])), required: true });
  const item: Schema = { parameters: pathParams };
  if (r.verbs.includes('get')) item.get = operation(r, version, 'get', ref);
  if (r.verbs.includes('update')) item.put = operation(r, version, 'put', ref, { parameters: WRITE_PARAMS, requestBody: body(['application/json']) });
  if (r.verbs.includes('patch')) {
    item.patch = operation(r, version, 'patch', ref, { parameters: [...WRITE_PARAMS, param('force', 'Force is going to "force" Apply requests.')], requestBody: body(PATCH_TYPES) });
  }
  if (r.verbs.includes('delete')) item.delete = operation(r, version, 'delete', ref);
  const collection: Schema = {};
  if (r.verbs.includes('create')) collection.post = operation(r, version, 'post', ref, { parameters: WRITE_PARAMS, requestBody: body(['application/json']) });
  const out: Record<string, Schema> = { [base]: collection };
  if (r.verbs.some((v) => v !== 'create')) out[`${base}/{name}`] = item;
  if (Object.keys(collection).length === 0) delete out[base];
  return out;
}

function buildDocument(group: string, version: string): Schema {
  const paths: Record<string, Schema> = {};
  const roots: [ResourceInfo, string][] = [];
  for (const r of resourcesIn(group, version)) {
    const model = modelOf(apiVersionOf(group, version), r.kind);
    if (!model) continue;
    roots.push([r, model]);
    Object.assign(paths, resourcePaths(r, version, definitionName(model)!));
  }
  const schemas = schemasFor(roots.map(([, m]) => m));
  for (const [r, model] of roots) {
    const name = definitionName(model)!;
    const gvks = (schemas[name]['x-kubernetes-group-version-kind'] as object[] | undefined) ?? [];
    schemas[name]['x-kubernetes-group-version-kind'] = [...gvks, { group: r.group, kind: r.kind, version }];
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.32.0' },
    paths,
    components: { schemas },
  };
}

interface Cached {
  doc: Schema;
  hash: string;
}
const cache = new Map<string, Cached>();

function cached(path: string): Cached | undefined {
  const hit = cache.get(path);
  if (hit) return hit;
  const gv = groups().flatMap((g) => g.versions.map((v) => ({ group: g.group, version: v }))).find((x) => docPath(x.group, x.version) === path);
  if (!gv) return undefined;
  const doc = buildDocument(gv.group, gv.version);
  const entry = { doc, hash: createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase() };
  cache.set(path, entry);
  return entry;
}

/** The OpenAPI v3 document of one group-version ("api/v1", "apis/apps/v1"); undefined when not served. */
export function openapiGroupVersion(path: string): object | undefined {
  return cached(path.replace(/^\/+|\/+$/g, ''))?.doc;
}

/** The content hash of a group-version document, as the index advertises it in `?hash=`. */
export function openapiHash(path: string): string | undefined {
  return cached(path.replace(/^\/+|\/+$/g, ''))?.hash;
}

/** GET /openapi/v3: every served group-version with its document URL. */
export function openapiIndex(): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const g of groups()) {
    for (const v of g.versions) {
      const p = docPath(g.group, v);
      paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${openapiHash(p)}` };
    }
  }
  return { paths };
}

function unknownIn(value: unknown, type: FieldType | undefined, at: string, out: string[]): void {
  if (!type || value === null || typeof value !== 'object') return;
  if (type.t === 'array') {
    if (Array.isArray(value)) value.forEach((v, i) => unknownIn(v, type.item, `${at}[${i}]`, out));
    return;
  }
  if (Array.isArray(value)) return;
  for (const [k, v] of Object.entries(value)) {
    const path = at ? `${at}.${k}` : k;
    if (type.t === 'map') unknownIn(v, type.value, path, out);
    else if (type.t === 'object') {
      const ft = fieldType(type.model, k);
      if (ft) unknownIn(v, ft, path, out);
      else out.push(path);
    }
  }
}

/**
 * Fields of `body` the kind's schema does not declare, as the apiserver's strict decoder names them
 * ("spec.foo", "spec.containers[0].bogus"). Kinds without a schema have no unknown fields.
 */
export function unknownFields(apiVersion: string, kind: string, body: unknown): string[] {
  const model = modelOf(apiVersion, kind);
  if (!model) return [];
  const out: string[] = [];
  unknownIn(body, parseType(model), '', out);
  return out;
}
