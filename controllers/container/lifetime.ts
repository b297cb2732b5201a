// How long a container's own command runs and how it exits, when the command alone tells: a
// container whose argv (command, then args, as logs.ts reads it) is one of the simulated commands
// below, or `sh -c` a script of them, ends as that program would — `kubectl run hi --image=busybox
// --restart=Never -- echo hello` is Completed at once, `-- sleep 10` after 10 s, `sh -c "echo hi;
// exit 3"` fails with 3. Anything else (a server image, `while` loops, `$VAR` words, a command the
// simulation does not know) runs until it is stopped, as before: unknown is never guessed.
//
// Worked example: ["sh", "-c", "echo start; sleep 1m 30 && false"] → 90 s, exit code 1.

import { SHELLS } from './commands.ts';
import { parse, ShellSyntaxError, type Word } from './shell.ts';

export interface Lifetime {
  /** Run time until the program exits (ms). */
  ms: number;
  exitCode: number;
}

/** Programs that end at once with a fixed code whatever their arguments. */
const INSTANT: Record<string, number> = { echo: 0, true: 0, false: 1, hostname: 0, pwd: 0, whoami: 0 };

const SLEEP_UNITS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** busybox sleep: each operand N[smhd] (decimals allowed), summed; undefined for `infinity` or junk. */
function sleepMs(args: string[]): number | undefined {
  if (args.length === 0) return undefined;
  let ms = 0;
  for (const a of args) {
    const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(a);
    if (!m) return undefined;
    ms += Number(m[1]) * SLEEP_UNITS[m[2]];
  }
  return ms;
}

/**
 * One program run. A word holding an expansion is undefined: it may stand in echo's arguments
 * (they change what it prints, not how it ends), not in a name or a sleep or exit operand.
 */
function programLifetime(argv: (string | undefined)[]): Lifetime | undefined {
  const name = argv[0]?.split('/').pop();
  const args = argv.slice(1);
  if (name === undefined) return undefined;
  if (name in INSTANT) return { ms: 0, exitCode: INSTANT[name] };
  if (!args.every((a): a is string => a !== undefined)) return undefined;
  if (name === 'sleep') {
    const ms = sleepMs(args);
    return ms === undefined ? undefined : { ms, exitCode: 0 };
  }
  if (name === 'exit') return { ms: 0, exitCode: Number(args[0] ?? 0) || 0 };
  if (SHELLS.has(name) && args[0] === '-c') return scriptLifetime(args[1] ?? '');
  return undefined;
}

/** A word's text when it holds no `$` expansion (quoted or not), else undefined. */
function literal(word: Word): string | undefined {
  return word.every((s) => s.quote === 'single' || !s.text.includes('$')) ? word.map((s) => s.text).join('') : undefined;
}

/** A script of such programs, run as sh runs a list: `&&` and `||` by status, `exit` stops. */
function scriptLifetime(script: string): Lifetime | undefined {
  let items;
  try {
    items = parse(script);
  } catch (e) {
    if (e instanceof ShellSyntaxError) return undefined;
    throw e;
  }
  let ms = 0;
  let status = 0;
  for (const item of items) {
    if ((item.op === '&&' && status !== 0) || (item.op === '||' && status === 0)) continue;
    for (const cmd of item.pipeline) {
      const argv = cmd.words.map(literal);
      const run = programLifetime(argv);
      if (!run) return undefined;
      ms += run.ms;
      status = run.exitCode;
      if (argv[0] === 'exit') return { ms, exitCode: status };
    }
  }
  return { ms, exitCode: status };
}

export interface CommandedContainer {
  command?: string[];
  args?: string[];
  stdin?: boolean;
}

/**
 * The container's lifetime from its command, or undefined when it runs until stopped. A bare shell
 * reads its script from stdin: with the container's stdin open (`kubectl run -i`) it waits for it
 * (attach ends it: api/routes/attach.ts), without it meets end of input and exits 0 at once.
 */
export function commandLifetime(c: CommandedContainer): Lifetime | undefined {
  const argv = [...(c.command ?? []), ...(c.args ?? [])];
  if (argv.length === 1 && SHELLS.has(argv[0].split('/').pop() ?? '')) return c.stdin ? undefined : { ms: 0, exitCode: 0 };
  return argv.length === 0 ? undefined : programLifetime(argv);
}
