// labels.Requirement: one term of a label selector (a key, an operator, values), how it is
// validated (NewRequirement's checks and texts), how it matches a label set and how it prints.
// Both selector shapes of core/selectors.ts compile to lists of these.

import { causeText, FieldPath, invalidValue, type FieldCause } from './field-errors.ts';
import { isQualifiedName, isValidLabelValue } from './names.ts';

export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!';

export interface Requirement {
  key: string;
  op: Operator;
  /** Sorted, without duplicates (apimachinery keeps them in a string set). */
  values: string[];
}

/** labels.NewRequirement: checks the key, the number of values for the operator, and each value. */
export function newRequirement(key: string, op: Operator, values: string[]): Requirement {
  const errs: FieldCause[] = [];
  for (const m of isQualifiedName(key)) errs.push(invalidValue(FieldPath.root('key'), key, m));
  const valuePath = FieldPath.root('values');
  if ((op === 'in' || op === 'notin') && values.length === 0) {
    errs.push(invalidValue(valuePath, values, "for 'in', 'notin' operators, values set can't be empty"));
  } else if ((op === '=' || op === '==' || op === '!=') && values.length !== 1) {
    errs.push(invalidValue(valuePath, values, 'exact-match compatibility requires one single value'));
  } else if ((op === 'exists' || op === '!') && values.length !== 0) {
    errs.push(invalidValue(valuePath, values, 'values set must be empty for exists and does not exist'));
  } else if (op === 'gt' || op === 'lt') {
    if (values.length !== 1) errs.push(invalidValue(valuePath, values, "for 'Gt', 'Lt' operators, exactly one value is required"));
    values.forEach((v, i) => {
      if (!/^[-+]?\d+$/.test(v)) errs.push(invalidValue(valuePath.index(i), v, "for 'Gt', 'Lt' operators, the value must be an integer"));
    });
  }
  values.forEach((v, i) => {
    for (const m of isValidLabelValue(v)) errs.push(invalidValue(valuePath.index(i).key(key), v, m));
  });
  if (errs.length > 0) throw new SelectorSyntaxError(aggregate(errs.map(causeText)));
  return { key, op, values: [...new Set(values)].sort() };
}

/** utilerrors.Aggregate's text: one message as is, several in brackets. */
function aggregate(messages: string[]): string {
  return messages.length === 1 ? messages[0] : `[${messages.join(', ')}]`;
}

/** A parse failure, before it becomes a BadRequest (the parser wraps some in "unable to parse requirement"). */
export class SelectorSyntaxError extends Error {}

/** Requirement.Matches: does a label set satisfy this term? */
export function matches(r: Requirement, labels: Record<string, string> | undefined): boolean {
  const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
  const value = has ? labels![r.key] : undefined;
  switch (r.op) {
    case 'in':
    case '=':
    case '==':
      return has && r.values.includes(value!);
    // NotIn and != also match objects without the key (labels.Requirement.Matches, case 4).
    case 'notin':
    case '!=':
      return !has || !r.values.includes(value!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^[-+]?\d+$/.test(value!)) return false;
      const [actual, bound] = [Number(value), Number(r.values[0])];
      return r.op === 'gt' ? actual > bound : actual < bound;
    }
  }
}

export function requirementString(r: Requirement): string {
  const values = r.values.join(',');
  switch (r.op) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.op} (${values})`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    default:
      return `${r.key}${r.op}${values}`;
  }
}

/** Requirements sorted by key, as both apimachinery parsers return them (so String() is deterministic). */
export function byKey(reqs: Requirement[]): Requirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
