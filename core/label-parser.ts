// The string syntax of label selectors (apimachinery labels.Parse), as `kubectl get -l` sends it:
// a lexer (identifiers run to the next space or symbol; symbols take the longest operator) and a
// one-token-lookahead parser. Errors are the parser's own texts, e.g.
//   "app in (web" → unable to parse requirement: found '', expected: ',' or ')'

import { causeText, FieldPath, invalidValue } from './field-errors.ts';
import { isQualifiedName } from './names.ts';
import { byKey, newRequirement, SelectorSyntaxError, type Operator, type Requirement } from './label-requirement.ts';

const BINARY_OPERATORS = ['in', 'notin', '=', '==', '!=', 'gt', 'lt'];

/** The string parser validates keys with a nil field path, which Go prints as "<nil>". */
const NIL_PATH = FieldPath.root('<nil>');

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

/** The requirements of a selector string, sorted by key; throws SelectorSyntaxError. */
export function parseRequirements(s: string): Requirement[] {
  return byKey(new Parser(scan(s)).parse());
}
