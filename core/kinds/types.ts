// The contract of one kind's admission rules (core/kinds/<kind>.ts), and the small readers they
// share. Admission sees user input of any shape — `spec: "x"` or `containers: 3` must give a 4xx,
// never a crash — so rules read through `rec` and `list`, which turn a wrong shape into "absent".

import type { FieldCause } from '../field-errors.ts';
import type { KObject } from '../object.ts';

/**
 * A JSON object of unknown shape, as the fields of a Kubernetes object are. `any` on purpose: rules
 * read deep optional paths of user input, guarded by `rec`/`list` where the shape matters.
 */
export type Fields = Record<string, any>;

export interface AdmitContext {
  op: 'create' | 'update';
  /** Storage key, e.g. "apps/v1/deployments". */
  res: string;
  /** The previous object, on update. */
  old?: KObject;
  /** The subresource an update is written through ("ephemeralcontainers"), when it has rules of its own. */
  subresource?: string;
  /**
   * Every object of a resource as this write sees it (committed plus pending writes of the same
   * batch), when the store provides it; with `namespace`, that namespace's only. Service address
   * allocation reads what is taken here. Read-only.
   */
  peers?: (res: string, namespace?: string) => KObject[];
}

/**
 * One kind's rules, in the order kube-apiserver applies them: `defaults` (the SetDefaults_* functions
 * plus the defaulting admission plugins, e.g. DefaultTolerationSeconds), then `validate` (the kind's
 * ValidateX) and, on update, `validateUpdate` (ValidateXUpdate). `defaults` mutates the object it
 * is given — admission hands it a private clone.
 */
export interface KindRules {
  defaults?(obj: KObject, ctx: AdmitContext): void;
  validate?(obj: KObject, ctx: AdmitContext): FieldCause[];
  validateUpdate?(obj: KObject, old: KObject): FieldCause[];
}

/** `x` when it is a JSON object, else undefined. */
export function rec(x: unknown): Fields | undefined {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Fields) : undefined;
}

/** `x` when it is an array, else []. */
export function list(x: unknown): unknown[] {
  return Array.isArray(x) ? x : [];
}

/**
 * The object at `parent[key]`, created as {} when absent (for defaulting). Any other value there is
 * a shape Go could not even decode; the TypeError becomes admission's 400 "cannot be handled as".
 */
export function ensure(parent: Fields, key: string): Fields {
  const v = parent[key];
  if (v === undefined || v === null) parent[key] = {};
  else if (!rec(v)) throw new TypeError(`json: cannot unmarshal ${Array.isArray(v) ? 'array' : typeof v} into Go struct field ${key} of type object`);
  return parent[key];
}

/** Set `parent[key] = value` unless it already holds a value (SetDefaults' `if x == nil`). */
export function fill(parent: Fields, key: string, value: unknown): void {
  if (parent[key] === undefined || parent[key] === null || parent[key] === '') parent[key] = value;
}

/** A number field when it is a number, else undefined. */
export function num(x: unknown): number | undefined {
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}
