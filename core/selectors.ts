// Label and field selectors, compiled to predicates the store's list filter and the controllers use.
//
// Label selectors come in two shapes, both as apimachinery reads them:
// - the string syntax of `kubectl get -l` (labels.Parse), e.g. `app=web,env in (prod, devel),!canary`
//   — a lexer and a one-token-lookahead parser, with the parser's own error texts
//   (`unable to parse requirement: found '', expected: identifier`);
// - the structured `spec.selector` of workloads (metav1.LabelSelectorAsSelector): matchLabels AND
//   matchExpressions; a missing selector selects nothing, an empty one everything.
// Both compile to labels.Requirement lists (core/label-requirement.ts); the string parser lives in
// core/label-parser.ts. Field selectors live in core/field-selectors.ts and are re-exported here.

import { badRequest } from './errors.ts';
import { parseRequirements } from './label-parser.ts';
import { byKey, matches, newRequirement, requirementString, SelectorSyntaxError, type Operator, type Requirement } from './label-requirement.ts';

export { fieldEqualities, parseFieldSelector } from './field-selectors.ts';

export type LabelPredicate = (labels: Record<string, string> | undefined) => boolean;

export interface LabelSelectorRequirement {
  key: string;
  operator: string;
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

function predicateOf(reqs: Requirement[]): LabelPredicate {
  return (labels) => reqs.every((r) => matches(r, labels));
}

/** Run a parser, turning its syntax errors into the BadRequest the API server answers with. */
function asBadRequest<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof SelectorSyntaxError) throw badRequest(e.message);
    throw e;
  }
}

/**
 * kubectl's `-l` syntax: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, and `a>1`,
 * `a<1`; comma is AND. "" matches everything. Bad syntax throws BadRequest with the parser's text.
 */
export function parseLabelSelector(s: string): LabelPredicate {
  return predicateOf(asBadRequest(() => parseRequirements(s)));
}

const SPEC_OPERATORS: Record<string, Operator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/** metav1.LabelSelectorAsSelector; null = undefined = nothing, throws on a bad operator, key or value. */
function specRequirements(sel: LabelSelector): Requirement[] {
  return asBadRequest(() => {
    const reqs = Object.entries(sel.matchLabels ?? {}).map(([k, v]) => newRequirement(k, '=', [String(v)]));
    // Stored objects passed admission, but a selector from elsewhere may be any JSON: read defensively.
    for (const e of Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []) {
      const op = SPEC_OPERATORS[e?.operator];
      if (!op) throw new SelectorSyntaxError(`${JSON.stringify(e?.operator ?? '')} is not a valid label selector operator`);
      reqs.push(newRequirement(String(e.key), op, Array.isArray(e.values) ? e.values.map(String) : []));
    }
    return byKey(reqs);
  });
}

/** A workload's spec.selector as a predicate: null/undefined selects nothing, `{}` everything. */
export function selectorFromSpec(sel: LabelSelector | undefined | null): LabelPredicate {
  if (sel === undefined || sel === null) return () => false;
  return predicateOf(specRequirements(sel));
}

/**
 * metav1.FormatLabelSelector: what `kubectl get rs -o wide` and `describe` print, e.g.
 * {matchLabels: {app: "nginx"}, matchExpressions: [{key: "env", operator: "In", values: ["prod"]}]}
 * → "app=nginx,env in (prod)"; "<none>" for a missing or empty selector, "<error>" for a bad one.
 */
export function selectorToString(sel: LabelSelector | undefined | null): string {
  if (sel === undefined || sel === null) return '<none>';
  let reqs: Requirement[];
  try {
    reqs = specRequirements(sel);
  } catch {
    return '<error>';
  }
  return reqs.length === 0 ? '<none>' : reqs.map(requirementString).join(',');
}
