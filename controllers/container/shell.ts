// The small POSIX-shell subset `sh -c '…'` understands here: words with single quotes (literal),
// double quotes ($ expanded) and backslash escapes; `$VAR`, `${VAR}`, `$?`, `$0`…`$9`; command lists
// with `;`, newlines, `&&` and `||`; pipelines with `|`; redirections `>/dev/null`, `2>/dev/null`,
// `2>&1`, `>&2`; leading `NAME=value` assignments. Unquoted expansions are split on whitespace. No globbing,
// no control flow (if/for/while), no subshells — anything else is reported, never guessed.
//
// Worked example: `env | grep NAME && echo found` parses to
//   [{ op: '', pipeline: [[env], [grep, NAME]] }, { op: '&&', pipeline: [[echo, found]] }].

/** One piece of a word: its text and how it was quoted (which decides expansion and splitting). */
interface Segment {
  text: string;
  quote: 'none' | 'single' | 'double';
}

export type Word = Segment[];

export interface Redirect {
  fd: 1 | 2;
  /** "/dev/null", "&1" (2>&1) or "&2" (>&2). */
  target: string;
}

export interface SimpleCommand {
  words: Word[];
  redirects: Redirect[];
}

export interface ListItem {
  /** How this pipeline joins the previous one: "" for the first and after `;`. */
  op: '' | '&&' | '||';
  pipeline: SimpleCommand[];
}

export class ShellSyntaxError extends Error {}

type Token = { kind: 'word'; word: Word } | { kind: 'op'; op: string };

const OPERATORS = ['&&', '||', '2>&1', '1>&2', '>&2', '2>', '>>', '>', '|', ';', '\n', '&'];

function readQuoted(src: string, i: number, quote: "'" | '"'): [string, number] {
  let text = '';
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (c === quote) return [text, j + 1];
    if (quote === '"' && c === '\\' && '"\\$`'.includes(src[j + 1] ?? '')) {
      text += src[++j];
      continue;
    }
    text += c;
  }
  throw new ShellSyntaxError(`unterminated quoted string`);
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let word: Word | undefined;
  const push = (seg: Segment) => {
    const last = (word ??= []).at(-1);
    // Adjacent characters of the same quoting form one segment, so `$HOME` is expanded as a whole.
    if (last && last.quote === seg.quote && seg.quote === 'none') last.text += seg.text;
    else word.push(seg);
  };
  const end = () => {
    if (word) tokens.push({ kind: 'word', word });
    word = undefined;
  };
  for (let i = 0; i < src.length; ) {
    const c = src[i];
    if (c === ' ' || c === '\t') {
      end();
      i++;
    } else if (c === '#' && !word) {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === "'" || c === '"') {
      const [text, next] = readQuoted(src, i, c);
      push({ text, quote: c === "'" ? 'single' : 'double' });
      i = next;
    } else if (c === '\\') {
      push({ text: src[i + 1] ?? '', quote: 'single' });
      i += 2;
    } else {
      const op = OPERATORS.find((o) => src.startsWith(o, i) && (!/^\d/.test(o) || !word));
      if (op) {
        end();
        tokens.push({ kind: 'op', op });
        i += op.length;
      } else {
        push({ text: c, quote: 'none' });
        i++;
      }
    }
  }
  end();
  return tokens;
}

/** Parse a script into command lists. Throws ShellSyntaxError as sh would refuse it. */
export function parse(src: string): ListItem[] {
  const items: ListItem[] = [];
  let op: ListItem['op'] = '';
  let pipeline: SimpleCommand[] = [];
  let cmd: SimpleCommand = { words: [], redirects: [] };
  const tokens = tokenize(src);
  const closeCommand = (required: boolean) => {
    if (cmd.words.length === 0) {
      if (required) throw new ShellSyntaxError('syntax error: unexpected operator');
      return;
    }
    pipeline.push(cmd);
    cmd = { words: [], redirects: [] };
  };
  const closePipeline = (next: ListItem['op']) => {
    closeCommand(next !== '' || pipeline.length > 0);
    if (pipeline.length) items.push({ op, pipeline });
    pipeline = [];
    op = next;
  };
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'word') {
      cmd.words.push(t.word);
      continue;
    }
    if (t.op === '|') closeCommand(true);
    else if (t.op === '&&' || t.op === '||') closePipeline(t.op);
    else if (t.op === ';' || t.op === '\n' || t.op === '&') closePipeline('');
    else if (t.op === '2>&1') cmd.redirects.push({ fd: 2, target: '&1' });
    else if (t.op === '>&2' || t.op === '1>&2') cmd.redirects.push({ fd: 1, target: '&2' });
    else {
      const target = tokens[++i];
      if (target?.kind !== 'word') throw new ShellSyntaxError('syntax error: unexpected redirection');
      cmd.redirects.push({ fd: t.op === '2>' ? 2 : 1, target: target.word.map((s) => s.text).join('') });
    }
  }
  if (op !== '' && cmd.words.length === 0) throw new ShellSyntaxError('syntax error: unexpected end of file');
  closePipeline('');
  return items;
}

/** Expand a word's `$…` references; unquoted expansions split into several words. */
export function expandWord(word: Word, lookup: (name: string) => string | undefined): string[] {
  const out: string[] = [''];
  for (const seg of word) {
    if (seg.quote === 'single') {
      out[out.length - 1] += seg.text;
      continue;
    }
    const expanded = seg.text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*)|([?0-9#]))/g, (_m, a, b, c) => lookup(a ?? b ?? c) ?? '');
    if (seg.quote === 'double' || expanded === seg.text) {
      out[out.length - 1] += expanded;
      continue;
    }
    const parts = expanded.split(/[ \t\n]+/);
    out[out.length - 1] += parts[0];
    out.push(...parts.slice(1));
  }
  // A word made only of an unquoted expansion that was empty disappears, as in sh.
  return word.every((s) => s.quote === 'none') ? out.filter((w) => w !== '') : out;
}
