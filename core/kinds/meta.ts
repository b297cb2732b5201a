// ObjectMeta rules shared by every kind (apimachinery's api/validation/objectmeta.go): the name by
// the kind's rule, namespace present exactly for namespaced kinds, label and annotation syntax, and
// on update the identity fields that may not change.

import { FieldPath, forbidden, invalidEach, invalidValue, required, tooLong, type FieldCause } from '../field-errors.ts';
import { annotationsTooLarge, ANNOTATIONS_MAX_BYTES, isDNS1123Label, isQualifiedName, isValidLabelValue, nameRuleFor } from '../names.ts';
import type { KObject } from '../object.ts';
import { resourceOf } from '../registry.ts';
import { list, rec } from './types.ts';

const META = FieldPath.root('metadata');

/** ValidateLabels: keys are qualified names, values label values; both reported at the map's path. */
export function validateLabels(labels: unknown, path: FieldPath): FieldCause[] {
  const map = rec(labels);
  if (!map) return [];
  const causes: FieldCause[] = [];
  for (const [k, v] of Object.entries(map)) {
    causes.push(...invalidEach(path, k, isQualifiedName(k)));
    if (typeof v !== 'string') causes.push(invalidValue(path, v, 'label values must be strings'));
    else causes.push(...invalidEach(path, v, isValidLabelValue(v)));
  }
  return causes;
}

/** ValidateAnnotations: keys are qualified names (checked lowercased), total size ≤ 256 KiB. */
function validateAnnotations(annotations: unknown, path: FieldPath): FieldCause[] {
  const map = rec(annotations);
  if (!map) return [];
  const causes: FieldCause[] = [];
  for (const k of Object.keys(map)) causes.push(...invalidEach(path, k, isQualifiedName(k.toLowerCase())));
  if (annotationsTooLarge(map)) causes.push(tooLong(path, ANNOTATIONS_MAX_BYTES));
  return causes;
}

/**
 * ValidateOwnerReferences: each reference names its owner fully (the garbage collector looks owners
 * up by these), and at most one is the controller. Paths carry no index, as in apimachinery.
 */
function validateOwnerReferences(refs: unknown, path: FieldPath): FieldCause[] {
  const causes: FieldCause[] = [];
  const controllers: string[] = [];
  for (const raw of list(refs)) {
    const ref = rec(raw) ?? {};
    const fields: [string, string][] = [['apiVersion', 'version'], ['kind', 'kind'], ['name', 'name'], ['uid', 'uid']];
    for (const [field, word] of fields) {
      if (!ref[field]) causes.push(invalidValue(path.child(field), ref[field] ?? '', `${word} must not be empty`));
    }
    if (ref.controller === true) controllers.push(`${ref.kind}/${ref.name}`);
  }
  if (controllers.length > 1) {
    causes.push(invalidValue(path, refs, `Only one reference can have Controller set to true. Found "true" in references for ${controllers.join(' and ')}`));
  }
  return causes;
}

/**
 * generateName is validated as a name prefix: a trailing "-" is allowed there, since the random
 * suffix will follow it (apimachinery's maskTrailingDash).
 */
function validateGenerateName(prefix: string, rule: (s: string) => string[]): string[] {
  const masked = prefix.length > 1 && prefix.endsWith('-') ? `${prefix.slice(0, -2)}a` : prefix;
  return rule(masked);
}

/** ValidateObjectMeta for the object about to be stored under `res`. */
export function validateObjectMeta(obj: KObject, res: string): FieldCause[] {
  const m = obj.metadata;
  const rule = nameRuleFor(res);
  const causes: FieldCause[] = [];
  if (m.generateName) causes.push(...invalidEach(META.child('generateName'), m.generateName, validateGenerateName(m.generateName, rule)));
  if (!m.name) causes.push(required(META.child('name'), 'name or generateName is required'));
  else causes.push(...invalidEach(META.child('name'), m.name, rule(m.name)));
  const namespaced = resourceOf(res)?.scope !== 'Cluster';
  if (namespaced && !m.namespace) causes.push(required(META.child('namespace')));
  else if (namespaced) causes.push(...invalidEach(META.child('namespace'), m.namespace, isDNS1123Label(m.namespace!)));
  else if (m.namespace) causes.push(forbidden(META.child('namespace'), 'not allowed on this type'));
  causes.push(...validateLabels(m.labels, META.child('labels')));
  causes.push(...validateAnnotations(m.annotations, META.child('annotations')));
  causes.push(...validateOwnerReferences(m.ownerReferences, META.child('ownerReferences')));
  return causes;
}

/** ValidateObjectMetaUpdate: name, namespace and uid are fixed at creation. */
export function validateObjectMetaUpdate(obj: KObject, old: KObject): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const f of ['name', 'namespace', 'uid'] as const) {
    const now = obj.metadata[f] ?? '';
    if (now !== (old.metadata[f] ?? '')) causes.push(invalidValue(META.child(f), now, 'field is immutable'));
  }
  return causes;
}
