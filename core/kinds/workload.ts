// Rules shared by the kinds that own pods through a selector and a template (Deployment,
// ReplicaSet, ReplicationController, DaemonSet, StatefulSet, Job): the selector must be valid and
// select the template's own labels, replicas are non-negative, and apps/v1 selectors are immutable.
// As in apps/validation, a missing selector reports both "Required value" and the template mismatch
// (a nil selector selects nothing, so it cannot match the template).

import { FieldPath, invalidEach, invalidValue, notSupported, required, type FieldCause } from '../field-errors.ts';
import { deepEqual } from '../metadata.ts';
import type { KObject } from '../object.ts';
import { selectorFromSpec } from '../selectors.ts';
import { validateLabels } from './meta.ts';
import { alwaysRestart, validatePodTemplate, type RestartPolicyRule } from './pod-spec.ts';
import { list, rec, type Fields } from './types.ts';

export const SPEC = FieldPath.root('spec');

const SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** unversioned ValidateLabelSelector: matchLabels as labels, each expression's key, operator and values. */
export function validateLabelSelector(sel: Fields, path: FieldPath): FieldCause[] {
  const causes = validateLabels(sel.matchLabels, path.child('matchLabels'));
  list(sel.matchExpressions).forEach((raw, i) => {
    const e = rec(raw) ?? {};
    const at = path.child('matchExpressions').index(i);
    const values = list(e.values);
    if (e.operator === 'In' || e.operator === 'NotIn') {
      if (values.length === 0) causes.push(required(at.child('values'), "must be specified when `operator` is 'In' or 'NotIn'"));
    } else if (e.operator === 'Exists' || e.operator === 'DoesNotExist') {
      if (values.length > 0) causes.push(invalidValue(at.child('values'), values, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
    } else {
      causes.push(notSupported(at.child('operator'), e.operator ?? '', SELECTOR_OPERATORS));
    }
    causes.push(...validateLabels({ [String(e.key ?? '')]: '' }, at.child('key')));
  });
  return causes;
}

/** `selectorFromSpec` for a selector already validated; a selector that still fails selects nothing. */
function safePredicate(sel: Fields | undefined) {
  try {
    return selectorFromSpec(sel);
  } catch {
    return () => false;
  }
}

export interface SelectorRules {
  /** The word in "empty selector is invalid for <word>". */
  kindWord: string;
  /** The template's restart policy rule (default: Always only). */
  restartRule?: RestartPolicyRule;
  /** Whether the selector may be omitted (ReplicationController, Job with a generated selector). */
  selectorOptional?: boolean;
}

/** The selector, the template, and whether the first selects the second. */
export function validateSelectorAndTemplate(spec: Fields, rules: SelectorRules): FieldCause[] {
  const causes: FieldCause[] = [];
  const sel = rec(spec.selector);
  if (!sel && !rules.selectorOptional) causes.push(required(SPEC.child('selector')));
  if (sel) {
    causes.push(...validateLabelSelector(sel, SPEC.child('selector')));
    if (list(sel.matchExpressions).length === 0 && Object.keys(rec(sel.matchLabels) ?? {}).length === 0) {
      causes.push(invalidValue(SPEC.child('selector'), sel, `empty selector is invalid for ${rules.kindWord}`));
    }
  }
  const template = rec(spec.template);
  const labels = rec(template?.metadata)?.labels;
  if (template && (sel || !rules.selectorOptional) && !safePredicate(sel)(rec(labels))) {
    causes.push(invalidValue(SPEC.child('template').child('metadata').child('labels'), labels ?? {}, '`selector` does not match template `labels`'));
  }
  if (template) causes.push(...validateLabels(labels, SPEC.child('template').child('metadata').child('labels')));
  causes.push(...validatePodTemplate(template, SPEC.child('template'), rules.restartRule ?? alwaysRestart));
  return causes;
}

/** ValidateNonnegativeField for each named integer field of `spec`. */
export function validateNonNegative(spec: Fields, fields: string[]): FieldCause[] {
  return fields.flatMap((f) =>
    spec[f] !== undefined && !(typeof spec[f] === 'number' && spec[f] >= 0)
      ? invalidEach(SPEC.child(f), spec[f], ['must be greater than or equal to 0'])
      : [],
  );
}

/** apps/v1: spec.selector may not change after creation. */
export function validateSelectorImmutable(obj: KObject, old: KObject): FieldCause[] {
  const [now, before] = [rec(obj.spec)?.selector, rec(old.spec)?.selector];
  return deepEqual(now, before) ? [] : [invalidValue(SPEC.child('selector'), now ?? null, 'field is immutable')];
}
