// Commander reads every argument that starts with "-" as an option, so `rewind diff -15m now` fails
// with "unknown option '-15m'" — yet a relative POINT (-15m, -2h) is an operand. operandsLast puts
// the options (with their values) first and every operand after a "--", in their order, which
// commander then takes as operands whatever they look like. An option's value stays with it:
// `--since -15m` is the option's (commander takes a required value as it comes).

import type { Command } from 'commander';

/** `argv` with its operands after a "--"; an argument like -15m (a dash and a digit) is an operand. */
export function operandsLast(cmd: Command, argv: string[]): string[] {
  const options: string[] = [];
  const operands: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || /^-\d/.test(arg)) {
      operands.push(arg);
      continue;
    }
    options.push(arg);
    const option = cmd.options.find((o) => o.long === arg || o.short === arg);
    if (option?.required && i + 1 < argv.length) options.push(argv[++i]);
  }
  return [...options, '--', ...operands];
}
