// Field selectors (`--field-selector status.phase=Running`, and the ones kubectl itself sends:
// `metadata.name=x` for `get x -w`, `involvedObject.uid=…` for describe's events, `spec.nodeName=…`
// for a node's pods): `=`, `==`, `!=`, comma = AND. Each resource supports the fields its registry
// strategy exposes; any other answers BadRequest `field label not supported: X`, as kube-apiserver does.

import { badRequest } from './errors.ts';
import type { KObject } from './object.ts';

/** Reads one field as the text a field selector compares; missing fields read as `fallback`. */
export type FieldGetter = (obj: KObject) => string;

const field = (path: string, fallback = ''): FieldGetter => {
  const steps = path.split('.');
  return (obj) => {
    const v = steps.reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
    return v === undefined || v === null ? fallback : String(v);
  };
};

const sameName = (paths: string[]) => Object.fromEntries(paths.map((p) => [p, field(p)]));

// The fields each resource's registry strategy exposes (GetAttrs / the field label conversion
// functions of pkg/registry/*/strategy.go). metadata.name and metadata.namespace work everywhere.
// Numbers and booleans are printed by strconv there, so an unset count reads "0" and an unset
// spec.unschedulable "false".
const COMMON_FIELDS = sameName(['metadata.name', 'metadata.namespace']);

const FIELDS_BY_RES: Record<string, Record<string, FieldGetter>> = {
  'v1/pods': sameName([
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'status.phase',
    'status.podIP',
    'status.nominatedNodeName',
  ]),
  'v1/events': {
    ...sameName(['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((f) => `involvedObject.${f}`)),
    ...sameName(['reason', 'reportingComponent', 'type']),
    // `source` is the source component (pkg/registry/core/event/strategy.go).
    source: field('source.component'),
  },
  'v1/secrets': sameName(['type']),
  'v1/nodes': { 'spec.unschedulable': field('spec.unschedulable', 'false') },
  'v1/namespaces': sameName(['status.phase']),
  'apps/v1/replicasets': { 'status.replicas': field('status.replicas', '0') },
  'v1/replicationcontrollers': { 'status.replicas': field('status.replicas', '0') },
  'batch/v1/jobs': { 'status.successful': field('status.succeeded', '0') },
};

interface FieldTerm {
  name: string;
  negate: boolean;
  value: string;
}

/** fields.ParseSelector: `k=v`, `k==v`, `k!=v`, comma = AND; `\,` `\=` `\!` `\\` escape. */
function fieldTerms(s: string): FieldTerm[] {
  const terms: FieldTerm[] = [];
  for (const part of splitUnescaped(s, ',')) {
    if (part.trim() === '') continue;
    const m = /^(.*?)(!=|==|=)(.*)$/s.exec(part);
    if (!m) throw badRequest(`invalid selector: '${s}'; can't understand '${part}'`);
    terms.push({ name: m[1].trim(), negate: m[2] === '!=', value: unescape(m[3]) });
  }
  return terms;
}

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i] + s[++i];
    } else if (s[i] === sep) {
      out.push(cur);
      cur = '';
    } else cur += s[i];
  }
  out.push(cur);
  return out;
}

const unescape = (s: string) => s.replace(/\\(.)/g, '$1');

/**
 * `--field-selector`: a predicate over objects of storage key `res`. A field the resource does not
 * support throws BadRequest `field label not supported: X`, as kube-apiserver answers.
 */
export function parseFieldSelector(s: string, res: string): (obj: KObject) => boolean {
  const checks = fieldTerms(s).map(({ name, negate, value }) => {
    const get = selectableField(res, name);
    if (!get) throw badRequest(`field label not supported: ${name}`);
    return (obj: KObject) => (get(obj) === value) !== negate;
  });
  return (obj) => checks.every((c) => c(obj));
}

/** How a field selector reads field `path` of a `res` object; undefined if the resource does not expose it. */
export function selectableField(res: string, path: string): FieldGetter | undefined {
  return FIELDS_BY_RES[res]?.[path] ?? COMMON_FIELDS[path];
}

/** The equality terms (`k=v`, `k==v`) of a field selector, by field: what a list may answer from an index. */
export function fieldEqualities(s: string): Record<string, string> {
  return Object.fromEntries(fieldTerms(s).filter((term) => !term.negate).map((term) => [term.name, term.value]));
}

/**
 * Equality terms of a field selector as a predicate (every `path` reads its `value`), for the
 * `fields` list option (store/store.ts ListOptions); BadRequest for a field `res` does not expose.
 */
export function matchFields(res: string, fields: Record<string, string>): (obj: KObject) => boolean {
  const checks = Object.entries(fields).map(([path, value]) => {
    const get = selectableField(res, path);
    if (!get) throw badRequest(`field label not supported: ${path}`);
    return (obj: KObject) => get(obj) === value;
  });
  return (obj) => checks.every((c) => c(obj));
}
