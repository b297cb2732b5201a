// Field sets: which fields of an object a field manager owns, in the FieldsV1 format kube-apiserver
// stores in metadata.managedFields (sigs.k8s.io/structured-merge-diff). A path is a list of path
// elements:
//
//   f:<field>          a struct field or map key            f:spec, f:replicas, f:app
//   k:<json>           a list element by its merge key      k:{"name":"web"}
//   v:<json>           an element of a set (primitive list) v:"foregroundDeletion"
//   .                  the list element itself              (under a k: element)
//
// e.g. {"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"c\"}":
// {".":{},"f:image":{}}}}}}}. Internally a set is the set of its leaf paths, each joined by NUL.

import { childType, type FieldType } from './schema.ts';
import { patchStrategy } from './strategies.ts';
import { isObject, type JsonObject } from './json.ts';
import { deepEqual } from '../metadata.ts';

export type FieldsV1 = { [element: string]: FieldsV1 };
export type Path = string[];
const SEP = '\u0000';

const pathKey = (p: Path) => p.join(SEP);
export const keyPath = (k: string): Path => k.split(SEP);

/** The leaf paths of every field set in `obj`, whose type is `type`. */
export function fieldsOf(obj: JsonObject, type: FieldType | undefined): Set<string> {
  const out = new Set<string>();
  walkObject(obj, type, [], out);
  return out;
}

function walkObject(obj: JsonObject, type: FieldType | undefined, at: Path, out: Set<string>): void {
  for (const [field, value] of Object.entries(obj)) {
    if (value === null || value === undefined) continue;
    walkValue(value, type, field, [...at, `f:${field}`], out);
  }
}

function walkValue(value: unknown, parent: FieldType | undefined, field: string, at: Path, out: Set<string>): void {
  const type = childType(parent, field);
  if (isObject(value) && Object.keys(value).length > 0 && type?.t !== 'scalar') {
    walkObject(value, type, at, out);
    return;
  }
  const strategy = parent?.t === 'object' ? patchStrategy(parent.model, field) : undefined;
  if (Array.isArray(value) && value.length > 0 && strategy?.strategy.includes('merge')) {
    const item = type?.t === 'array' ? type.item : undefined;
    for (const el of value) {
      if (strategy.mergeKey && isObject(el)) {
        const elAt = [...at, `k:${JSON.stringify({ [strategy.mergeKey]: el[strategy.mergeKey] })}`];
        out.add(pathKey([...elAt, '.']));
        walkObject(el, item, elAt, out);
      } else out.add(pathKey([...at, `v:${JSON.stringify(el)}`]));
    }
    return;
  }
  out.add(pathKey(at));
}

/**
 * Whether leaf path `other` is `key` itself or lies inside the node `key` names; for a list
 * element's "." leaf that node is the whole element (so `k:{"name":"c"}/.` covers `…/f:image`).
 */
export function covers(key: string, other: string): boolean {
  const node = key.endsWith(`${SEP}.`) ? key.slice(0, -2) : key;
  return other === key || other.startsWith(node + SEP);
}

/** The FieldsV1 tree of a set of leaf paths. */
export function toFieldsV1(set: Set<string>): FieldsV1 {
  const root: FieldsV1 = {};
  for (const key of [...set].sort()) {
    let node = root;
    for (const el of keyPath(key)) node = node[el] ??= {};
  }
  return root;
}

/** The leaf paths of a FieldsV1 tree (as found in managedFields; anything malformed is skipped). */
export function fromFieldsV1(tree: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, at: Path) => {
    if (!isObject(node)) return;
    const children = Object.keys(node);
    if (children.length === 0 && at.length > 0) out.add(pathKey(at));
    for (const c of children) walk(node[c], [...at, c]);
  };
  walk(tree, []);
  return out;
}

/** The list element a `k:` or `v:` path element selects, as an index into `list` (-1 when absent). */
function elementIndex(list: unknown[], el: string): number {
  const want = JSON.parse(el.slice(2)) as unknown;
  if (el.startsWith('v:')) return list.findIndex((x) => deepEqual(x, want));
  const keys = Object.entries(want as JsonObject);
  return list.findIndex((x) => isObject(x) && keys.every(([k, v]) => deepEqual(x[k], v)));
}

/** The value at a path, or undefined when the object does not have it. */
export function valueAt(obj: unknown, path: Path): unknown {
  let node: unknown = obj;
  for (const el of path) {
    if (el === '.') continue;
    if (el.startsWith('f:') && isObject(node)) node = node[el.slice(2)];
    else if (Array.isArray(node)) node = node[elementIndex(node, el)];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Remove the field a leaf path names from `obj` (in place); `.` removes the whole list element. */
export function removeAt(obj: JsonObject, path: Path): void {
  const last = path[path.length - 1] === '.' ? path.length - 2 : path.length - 1;
  const parent = valueAt(obj, path.slice(0, last));
  const el = path[last];
  if (el.startsWith('f:') && isObject(parent)) delete parent[el.slice(2)];
  else if (Array.isArray(parent)) {
    const i = elementIndex(parent, el);
    if (i >= 0) parent.splice(i, 1);
  }
}

/** `.spec.template.spec.containers[name="c"].image`, the way apply conflicts name a field. */
export function printPath(path: Path): string {
  let out = '';
  for (const el of path) {
    if (el === '.') continue;
    if (el.startsWith('f:')) out += `.${el.slice(2)}`;
    else if (el.startsWith('v:')) out += `[=${el.slice(2)}]`;
    else {
      const keys = Object.entries(JSON.parse(el.slice(2)) as JsonObject).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
      out += `[${keys.join(',')}]`;
    }
  }
  return out;
}
