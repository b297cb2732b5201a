// The command set of a simulated container (docs/SIMULATION.md, "Inside a pod"): what `kubectl exec
// POD -- CMD…` runs, and what a container's own shell-style command prints to its log. Commands
// behave like their busybox versions (the seeds' busybox images), reading the sandbox: the resolved
// environment, the mounted files, cluster DNS and kube-proxy.
//
//   env, printenv [VAR…], hostname, echo [-n] [-e], cat [FILE…], ls [-l] [-a] [-1] [PATH…], pwd,
//   whoami, sleep N (returns at once: time in a container is not simulated), true, false, exit N,
//   grep [-ivcqE] PATTERN [FILE…], head [-n N], tail [-n N], wc [-lwc], sort, nslookup, dig, curl,
//   wget, tar cf - PATH… (kubectl cp from a pod; tar.ts), sh|bash|ash -c SCRIPT [ARG0 ARGS…] (and sh
//   reading a script from stdin)
// Anything else: `sh: CMD: not simulated by Rewind (see docs/SIMULATION.md)` on stderr, exit 127.

import { curl, dig, nslookup, wget } from './net-commands.ts';
import type { Result, Sandbox } from './sandbox.ts';
import { expandWord, parse, ShellSyntaxError, type SimpleCommand } from './shell.ts';
import { listDir } from './files.ts';
import { tar } from './tar.ts';

type Builtin = (args: string[], box: Sandbox, stdin: string) => Result;

const ok = (stdout = ''): Result => ({ stdout, stderr: '', code: 0 });
const fail = (code: number, stderr: string, stdout = ''): Result => ({ stdout, stderr, code });
const lines = (text: string) => (text === '' ? [] : text.replace(/\n$/, '').split('\n'));
const unlines = (ls: string[]) => ls.map((l) => `${l}\n`).join('');

/** A shell's positional parameters and last exit status, beside the sandbox's environment. */
interface ShellState {
  positional: string[];
  status: number;
  vars: Map<string, string>;
}

function readFile(box: Sandbox, path: string): string | undefined {
  return box.fs.files.get(path.replace(/\/+$/, ''))?.content;
}

function cat(args: string[], box: Sandbox, stdin: string): Result {
  if (args.length === 0) return ok(stdin);
  let out = '';
  let err = '';
  for (const p of args) {
    if (p === '-') out += stdin;
    else if (box.fs.dirs.has(p.replace(/\/+$/, '') || '/')) err += `cat: read error: Is a directory\n`;
    else {
      const content = readFile(box, p);
      if (content === undefined) err += `cat: can't open '${p}': No such file or directory\n`;
      else out += content;
    }
  }
  return { stdout: out, stderr: err, code: err ? 1 : 0 };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function modeString(mode: number, dir: boolean): string {
  const bits = 'rwxrwxrwx'.split('').map((c, i) => (mode & (1 << (8 - i)) ? c : '-'));
  return (dir ? 'd' : '-') + bits.join('');
}

/** busybox ls -l: mode, links, owner, group, size, date, name. */
function longLine(box: Sandbox, path: string, name: string): string {
  const file = box.fs.files.get(path);
  const dir = !file;
  const d = new Date(box.now);
  const date = `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
  const size = dir ? 4096 : Buffer.byteLength(file.content);
  return `${modeString(dir ? 0o755 : file.mode, dir)}    ${dir ? 2 : 1} root     root     ${String(size).padStart(8)} ${date} ${name}`;
}

function ls(args: string[], box: Sandbox): Result {
  const flags = args.filter((a) => a.startsWith('-') && a !== '-').join('');
  const long = flags.includes('l');
  const all = flags.includes('a');
  const paths = args.filter((a) => !a.startsWith('-') || a === '-');
  const targets = paths.length ? paths : ['/'];
  let out = '';
  let err = '';
  for (const [i, p] of targets.entries()) {
    const path = p === '/' ? '/' : p.replace(/\/+$/, '');
    const entries = listDir(box.fs, path);
    if (entries === undefined) {
      if (box.fs.files.has(path)) out += `${long ? longLine(box, path, p) : p}\n`;
      else err += `ls: ${p}: No such file or directory\n`;
      continue;
    }
    if (targets.length > 1) out += `${i ? '\n' : ''}${p}:\n`;
    const names = all ? ['.', '..', ...entries] : entries;
    const child = (n: string) => (path === '/' ? `/${n}` : `${path}/${n}`);
    out += unlines(long ? [`total ${entries.length}`, ...names.map((n) => longLine(box, n === '.' || n === '..' ? path : child(n), n))] : names);
  }
  return { stdout: out, stderr: err, code: err ? 1 : 0 };
}

/** echo [-n] [-e]: -e turns \n and \t into newline and tab. */
function echo(args: string[]): Result {
  let newline = true;
  let escapes = false;
  while (/^-[ne]+$/.test(args[0] ?? '')) {
    const f = args.shift()!;
    if (f.includes('n')) newline = false;
    if (f.includes('e')) escapes = true;
  }
  let text = args.join(' ');
  if (escapes) text = text.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  return ok(text + (newline ? '\n' : ''));
}

function grep(args: string[], box: Sandbox, stdin: string): Result {
  const flags = args.filter((a) => /^-[a-zA-Z]+$/.test(a)).join('');
  const rest = args.filter((a) => !/^-[a-zA-Z]+$/.test(a));
  const pattern = rest.shift();
  if (pattern === undefined) return fail(2, 'BusyBox v1.36.1 multi-call binary.\n\nUsage: grep [-HhnlLoqvsrRiwFE] PATTERN/-e PATTERN.../-f FILE [FILE]...\n');
  // JavaScript regexes backtrack where busybox's POSIX ones do not: a nested quantifier such as
  // (a+)+ could stall the API server, so such patterns are refused rather than run.
  if (/\([^)]*[+*}][^)]*\)[+*{]/.test(pattern)) return fail(2, `grep: nested repetition in '${pattern}' is not simulated by Rewind (see docs/SIMULATION.md)\n`);
  let re: RegExp;
  try {
    re = new RegExp(flags.includes('F') ? pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : pattern.replace(/\\\|/g, '|'), flags.includes('i') ? 'i' : '');
  } catch {
    return fail(2, `grep: bad regex '${pattern}'\n`);
  }
  const input = rest.length ? rest.map((p) => readFile(box, p) ?? '').join('') : stdin;
  const hits = lines(input).filter((l) => re.test(l) !== flags.includes('v'));
  const code = hits.length ? 0 : 1;
  if (flags.includes('q')) return { stdout: '', stderr: '', code };
  return { stdout: flags.includes('c') ? `${hits.length}\n` : unlines(hits), stderr: '', code };
}

/** `-n N`, `-nN` or `-N`, as head and tail take a line count. */
function lineCount(args: string[]): number {
  const i = args.findIndex((a) => a === '-n');
  if (i >= 0) return Number(args[i + 1] ?? 10);
  const inline = args.find((a) => /^-n?\d+$/.test(a));
  return inline ? Number(inline.replace(/^-n?/, '')) : 10;
}

function inputOf(args: string[], box: Sandbox, stdin: string): string {
  const files = args.filter((a, i) => !a.startsWith('-') && args[i - 1] !== '-n');
  return files.length ? files.map((p) => readFile(box, p) ?? '').join('') : stdin;
}

function wc(args: string[], box: Sandbox, stdin: string): Result {
  const input = inputOf(args, box, stdin);
  const counts = { l: (input.match(/\n/g) ?? []).length, w: input.split(/\s+/).filter(Boolean).length, c: Buffer.byteLength(input) };
  const flags = args.filter((a) => a.startsWith('-')).join('');
  const shown = (['l', 'w', 'c'] as const).filter((f) => !flags || flags.includes(f));
  return ok(`${shown.map((f) => String(counts[f]).padStart(shown.length > 1 ? 7 : 0)).join(' ')}\n`);
}

function printenv(args: string[], box: Sandbox): Result {
  if (args.length === 0) return ok(unlines([...box.env].map(([k, v]) => `${k}=${v}`)));
  const values = args.map((a) => box.env.get(a));
  return { stdout: unlines(values.filter((v): v is string => v !== undefined)), stderr: '', code: values.every((v) => v !== undefined) ? 0 : 1 };
}

/** env [NAME=value…] [CMD ARGS…]: print the environment, or run CMD with the extra variables. */
function env(args: string[], box: Sandbox, stdin: string): Result {
  const extra = new Map<string, string>();
  while (args[0]?.includes('=')) {
    const [k, ...v] = args.shift()!.split('=');
    extra.set(k, v.join('='));
  }
  const inner: Sandbox = { ...box, env: new Map([...box.env, ...extra]) };
  return args.length ? runArgv(args, inner, stdin) : printenv([], inner);
}

const BUILTINS: Record<string, Builtin> = {
  env: (args, box, stdin) => env([...args], box, stdin),
  printenv,
  hostname: (_a, box) => ok(`${box.hostname}\n`),
  echo: (args) => echo([...args]),
  cat,
  ls,
  pwd: () => ok('/\n'),
  whoami: () => ok('root\n'),
  sleep: (args) => (args.length ? ok() : fail(1, 'sleep: missing operand\n')),
  true: () => ok(),
  false: () => fail(1, ''),
  grep,
  head: (args, box, stdin) => ok(unlines(lines(inputOf(args, box, stdin)).slice(0, lineCount(args)))),
  tail: (args, box, stdin) => ok(unlines(lines(inputOf(args, box, stdin)).slice(-lineCount(args)))),
  wc,
  sort: (args, box, stdin) => ok(unlines(lines(inputOf(args, box, stdin)).sort())),
  nslookup: (args, box) => nslookup(args, box),
  dig: (args, box) => dig(args, box),
  curl: (args, box) => curl(args, box),
  wget: (args, box) => wget(args, box),
  tar: (args, box) => tar(args, box) ?? notSimulated('tar'),
};

/** The shells simulated (all the same one); container/lifetime.ts follows a script run by them too. */
export const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);

const notSimulated = (cmd: string): Result => fail(127, `sh: ${cmd}: not simulated by Rewind (see docs/SIMULATION.md)\n`);

/** Run one command given as argv (what `kubectl exec POD -- argv…` sends). */
export function runArgv(argv: string[], box: Sandbox, stdin = ''): Result {
  if (argv.length === 0) return fail(127, 'sh: : not simulated by Rewind (see docs/SIMULATION.md)\n');
  const name = argv[0].split('/').pop() ?? '';
  const args = argv.slice(1);
  if (SHELLS.has(name)) {
    if (args[0] === '-c') return runScript(args[1] ?? '', box, args.slice(2), stdin);
    return runScript(stdin, box, [name], '');
  }
  if (name === 'exit') return { stdout: '', stderr: '', code: Number(args[0] ?? 0) || 0 };
  const builtin = BUILTINS[name];
  return builtin ? builtin(args, box, stdin) : notSimulated(argv[0]);
}

function applyRedirects(cmd: SimpleCommand, r: Result): Result {
  let { stdout, stderr } = r;
  for (const red of cmd.redirects) {
    if (red.fd === 2 && red.target === '&1') {
      stdout += stderr;
      stderr = '';
    } else if (red.fd === 1 && red.target === '&2') {
      stderr += stdout;
      stdout = '';
    } else if (red.fd === 1) stdout = '';
    else stderr = '';
  }
  return { stdout, stderr, code: r.code };
}

/** Expand one simple command's words; leading NAME=value words set shell variables. */
function expandCommand(cmd: SimpleCommand, box: Sandbox, sh: ShellState): string[] {
  const lookup = (n: string) => (n === '?' ? String(sh.status) : n === '#' ? String(Math.max(0, sh.positional.length - 1)) : /^\d$/.test(n) ? sh.positional[Number(n)] : sh.vars.get(n) ?? box.env.get(n));
  const argv: string[] = [];
  for (const w of cmd.words) {
    const words = expandWord(w, lookup);
    const assignment = argv.length === 0 && words.length === 1 && /^[A-Za-z_][A-Za-z0-9_]*=/.exec(words[0]);
    if (assignment) {
      const [k, ...v] = words[0].split('=');
      sh.vars.set(k, v.join('='));
    } else argv.push(...words);
  }
  return argv;
}

interface Exit {
  exit: true;
  code: number;
}

function runPipeline(pipeline: SimpleCommand[], box: Sandbox, sh: ShellState, stdin: string): Result & Partial<Exit> {
  let input = stdin;
  let stderr = '';
  let last: Result = ok();
  for (const cmd of pipeline) {
    const argv = expandCommand(cmd, box, sh);
    if (argv.length === 0) {
      last = ok();
      continue;
    }
    if (argv[0] === 'exit' && pipeline.length === 1) return { stdout: '', stderr, code: Number(argv[1] ?? sh.status) || 0, exit: true };
    last = applyRedirects(cmd, runArgv(argv, box, input));
    stderr += last.stderr;
    input = last.stdout;
  }
  return { stdout: last.stdout, stderr, code: last.code };
}

/** Run a shell script; `positional` is $0, $1, … (`sh -c SCRIPT NAME ARGS…`). */
export function runScript(script: string, box: Sandbox, positional: string[] = ['sh'], stdin = ''): Result {
  let items;
  try {
    items = parse(script);
  } catch (e) {
    if (e instanceof ShellSyntaxError) return fail(2, `sh: ${e.message}\n`);
    throw e;
  }
  const sh: ShellState = { positional: positional.length ? positional : ['sh'], status: 0, vars: new Map() };
  let stdout = '';
  let stderr = '';
  for (const item of items) {
    if ((item.op === '&&' && sh.status !== 0) || (item.op === '||' && sh.status === 0)) continue;
    const r = runPipeline(item.pipeline, box, sh, stdin);
    stdout += r.stdout;
    stderr += r.stderr;
    sh.status = r.code;
    if (r.exit) break;
  }
  return { stdout, stderr, code: sh.status };
}
