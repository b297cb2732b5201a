// `rewind revert TYPE/NAME --to POINT [-n NS] [-o json|yaml]` or `rewind revert --to POINT -l SELECTOR [TYPE]`: write
// objects back as they were at POINT — a new write, so the revert is itself history; objects deleted
// since are re-created, objects created since (in a selected set) are deleted.

import { Command } from 'commander';
import type { RevertItem } from '../api/rewind/revert.ts';
import { REWIND_PREFIX } from '../api/routes/rewind.ts';
import { ClientError, parseTypeName, RewindClient, runCommand, withClusterFlags, type ClusterFlags } from './client.ts';
import { outputFormat, printValue } from './print.ts';

interface Flags extends ClusterFlags {
  to: string;
  namespace?: string;
  selector?: string;
  output?: string;
}

export function run(argv: string[]): Promise<number> {
  const cmd = withClusterFlags(new Command('rewind revert'))
    .description('write objects back as they were at a point (as a new event)')
    .argument('[TYPE[/NAME]]', 'the object (deploy/web), or a type to restrict -l to')
    .requiredOption('--to <point>', 'the point to go back to')
    .option('-n, --namespace <ns>', "namespace (one object: default the context's, else default; with -l: all namespaces)")
    .option('-l, --selector <selector>', 'revert every object matching this label selector (then or now)')
    .option('-o, --output <format>', 'json or yaml: the result as the API returns it');
  const flags = cmd.parse(argv, { from: 'user' }).opts<Flags>();
  return runCommand(async () => {
    const format = outputFormat(flags.output);
    const target = cmd.args[0] ? parseTypeName(cmd.args[0]) : undefined;
    if (!target?.name && !flags.selector) throw new ClientError('revert needs TYPE/NAME or -l SELECTOR');
    const client = RewindClient.fromFlags(flags);
    const namespace = target?.name ? client.namespace(flags.namespace) : flags.namespace;
    const body = { to: flags.to, type: target?.type, name: target?.name, namespace, labelSelector: target?.name ? undefined : flags.selector };
    const result = await client.post<{ to: number; items: RevertItem[] }>(`${REWIND_PREFIX}/revert`, body);
    if (format) return printValue(result, format);
    for (const i of result.items) {
      const rev = i.rev === undefined ? '' : ` (rev ${i.rev})`;
      console.log(`${i.kind.toLowerCase()}/${i.name}${i.ns ? ` -n ${i.ns}` : ''} ${i.action}${rev}`);
    }
  });
}
