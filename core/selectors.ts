// Label and field selectors, compiled to predicates the store's list filter and the controllers use.
//
// Label selectors come in two shapes, both as apimachinery reads them:
// - the string syntax of `kubectl get -l` (labels.Parse), e.g. `app=web,env in (prod, devel),!canary`
//   — a lexer and a one-token-lookahead parser, with the parser's own error texts
//   (`unable to parse requirement: found '', expected: identifier`);
// - the structured `spec.selector` of workloads (metav1.LabelSelectorAsSelector): matchLabels AND
//   matchExpressions; a missing selector selects nothing, an empty one everything.
// Field selectors (`--field-selector status.phase=Running`) support the fields each kind's
// registry exposes, and the server's `field label not supported` error for any other.

import { badRequest } from './errors.ts';
import { causeText, FieldPath, invalidValue, type FieldCause } from './field-errors.ts';
import { isQualifiedName, isValidLabelValue } from './names.ts';
import type { KObject } from './object.ts';

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

type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'gt' | 'lt' | 'exists' | '!';

interface Requirement {
  key: string;
  op: Operator;
  /** Sorted, without duplicates (apimachinery keeps them in a string set). */
  values: string[];
}

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

/** The string parser validates keys with a nil field path, which Go prints as "<nil>". */
const NIL_PATH = FieldPath.root('<nil>');

/** labels.NewRequirement: checks the key, the number of values for the operator, and each value. */
function newRequirement(key: string, op: Operator, values: string[]): Requirement {
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
class SelectorSyntaxError extends Error {}

function matches(r: Requirement, labels: Record<string, string> | undefined): boolean {
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

function predicateOf(reqs: Requirement[]): LabelPredicate {
  return (labels) => reqs.every((r) => matches(r, labels));
}

// ---- the string syntax (labels.Parse) ----

type Token =
  | 'end'
  | 'error'
  | 'identifier'
  | ')'
  | ','
  | '!'
  | '=='
  | '='
  | '>'
  | '<'
  | '!='
  | '('
  | 'in'
  | 'notin';

interface Scanned {
  tok: Token;
  lit: string;
}

const SYMBOLS: Record<string, Token> = { ')': ')', ',': ',', '!': '!', '==': '==', '=': '=', '>': '>', '<': '<', '!=': '!=', '(': '(' };
const isSpecial = (ch: string) => '=!(),><'.includes(ch);
const isSpace = (ch: string) => ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';

/** The lexer: identifiers run to the next space or symbol; symbols take the longest known operator. */
function scan(s: string): Scanned[] {
  const out: Scanned[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isSpace(s[i])) i++;
    if (i >= s.length) {
      out.push({ tok: 'end', lit: '' });
      return out;
    }
    const start = i;
    if (isSpecial(s[i])) {
      let best: Scanned | undefined;
      let buf = '';
      while (i < s.length && isSpecial(s[i])) {
        buf += s[i];
        if (SYMBOLS[buf]) best = { tok: SYMBOLS[buf], lit: buf };
        else if (best) break;
        i++;
      }
      if (!best) {
        out.push({ tok: 'error', lit: `error expected: keyword found '${buf}'` });
        i = s.length;
        continue;
      }
      i = start + best.lit.length;
      out.push(best);
    } else {
      while (i < s.length && !isSpecial(s[i]) && !isSpace(s[i])) i++;
      const lit = s.slice(start, i);
      out.push({ tok: lit === 'in' || lit === 'notin' ? lit : 'identifier', lit });
    }
  }
}

/** The parser over scanned tokens. In value position "in" and "notin" are plain identifiers. */
class Parser {
  private pos = 0;
  constructor(private readonly items: Scanned[]) {}

  private peek(values = true): Scanned {
    return this.asValue(this.items[this.pos], values);
  }
  private next(values = true): Scanned {
    return this.asValue(this.items[this.pos++], values);
  }
  private asValue(item: Scanned, values: boolean): Scanned {
    return values && (item.tok === 'in' || item.tok === 'notin') ? { tok: 'identifier', lit: item.lit } : item;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek();
      if (tok === 'end') return reqs;
      if (tok !== 'identifier' && tok !== '!') throw new SelectorSyntaxError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      reqs.push(this.requirementOrWrap());
      const after = this.next();
      if (after.tok === 'end') return reqs;
      if (after.tok !== ',') throw new SelectorSyntaxError(`found '${after.lit}', expected: ',' or 'end of string'`);
      const following = this.peek();
      if (following.tok !== 'identifier' && following.tok !== '!') {
        throw new SelectorSyntaxError(`found '${following.lit}', expected: identifier after ','`);
      }
    }
  }

  private requirementOrWrap(): Requirement {
    try {
      return this.requirement();
    } catch (e) {
      if (e instanceof SelectorSyntaxError) throw new SelectorSyntaxError(`unable to parse requirement: ${e.message}`);
      throw e;
    }
  }

  private requirement(): Requirement {
    let first = this.next();
    const negated = first.tok === '!';
    if (negated) first = this.next();
    if (first.tok !== 'identifier') throw new SelectorSyntaxError(`found '${first.lit}', expected: identifier`);
    const key = first.lit;
    const keyErrors = isQualifiedName(key);
    if (keyErrors.length > 0) throw new SelectorSyntaxError(causeText(invalidValue(NIL_PATH, key, keyErrors.join('; '))));
    const ahead = this.peek().tok;
    if (ahead === 'end' || ahead === ',') return newRequirement(key, negated ? '!' : 'exists', []);
    if (negated) return newRequirement(key, '!', []);
    const op = this.operator();
    const values = op === 'in' || op === 'notin' ? this.setValues() : this.exactValue();
    return newRequirement(key, op, values);
  }

  private operator(): Operator {
    const { tok, lit } = this.next(false);
    const ops: Partial<Record<Token, Operator>> = { in: 'in', notin: 'notin', '=': '=', '==': '==', '!=': '!=', '>': 'gt', '<': 'lt' };
    const op = ops[tok];
    if (!op) throw new SelectorSyntaxError(`found '${lit}', expected: ${BINARY_OPERATORS.join(', ')}`);
    return op;
  }

  /** `(a, b, c)`; empty members are the empty value, as in `x in (a,,b)` and `x in ()`. */
  private setValues(): string[] {
    const open = this.next();
    if (open.tok !== '(') throw new SelectorSyntaxError(`found '${open.lit}' expected: '('`);
    const first = this.peek();
    if (first.tok === ')') {
      this.next();
      return [''];
    }
    if (first.tok !== 'identifier' && first.tok !== ',') throw new SelectorSyntaxError(`found '${first.lit}', expected: ',', ')' or identifier`);
    const values = this.identifierList();
    if (this.next().tok !== ')') throw new SelectorSyntaxError(`found '${first.lit}', expected: ')'`);
    return values;
  }

  private identifierList(): string[] {
    const values: string[] = [];
    for (;;) {
      const { tok, lit } = this.next();
      if (tok === 'identifier') {
        values.push(lit);
        const after = this.peek();
        if (after.tok === ',') continue;
        if (after.tok === ')') return values;
        throw new SelectorSyntaxError(`found '${after.lit}', expected: ',' or ')'`);
      }
      if (tok !== ',') throw new SelectorSyntaxError(`found '${lit}', expected: ',', or identifier`);
      // A comma at the start, before ")" or before another comma stands for an empty value.
      if (values.length === 0) values.push('');
      const after = this.peek().tok;
      if (after === ')') return [...values, ''];
      if (after === ',') values.push('');
    }
  }

  private exactValue(): string[] {
    const ahead = this.peek().tok;
    if (ahead === 'end' || ahead === ',') return [''];
    const { tok, lit } = this.next();
    if (tok !== 'identifier') throw new SelectorSyntaxError(`found '${lit}', expected: identifier`);
    return [lit];
  }
}

/** Requirements sorted by key, as both apimachinery parsers return them (so String() is deterministic). */
function byKey(reqs: Requirement[]): Requirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
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
  return predicateOf(asBadRequest(() => byKey(new Parser(scan(s)).parse())));
}

// ---- the structured selector (metav1.LabelSelector) ----

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

function requirementString(r: Requirement): string {
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

// ---- field selectors ----

/** Reads one field as the text a field selector compares; missing fields read as `fallback`. */
type FieldGetter = (obj: KObject) => string;

const field =
  (path: string, fallback = ''): FieldGetter =>
  (obj) => {
    const v = path
      .split('.')
      .reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
    return v === undefined || v === null ? fallback : String(v);
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
  const fields = { ...COMMON_FIELDS, ...FIELDS_BY_RES[res] };
  const checks = fieldTerms(s).map(({ name, negate, value }) => {
    const get = fields[name];
    if (!get) throw badRequest(`field label not supported: ${name}`);
    return (obj: KObject) => (get(obj) === value) !== negate;
  });
  return (obj) => checks.every((c) => c(obj));
}
