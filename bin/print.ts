// Output for the rewind CLI: columns aligned like kubectl's tables (three spaces between columns),
// and `-o json|yaml`, checked before anything is asked of the server.

import { stringify } from 'yaml';
import { ClientError } from './connection.ts';

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('   ').trimEnd();
  console.log([line(header), ...rows.map(line)].join('\n'));
}

export type OutputFormat = 'json' | 'yaml';

/** The -o flag: json, yaml, or undefined (the command's own lines); anything else is refused, as kubectl refuses it. */
export function outputFormat(flag: string | undefined): OutputFormat | undefined {
  if (flag === undefined || flag === 'json' || flag === 'yaml') return flag;
  throw new ClientError(`error: unable to match a printer suitable for the output format "${flag}", allowed formats are: json,yaml`);
}

/** One value as JSON (indented) or as a YAML document. */
export function printValue(value: unknown, format: OutputFormat): void {
  process.stdout.write(format === 'json' ? `${JSON.stringify(value, null, 2)}\n` : stringify(value));
}
