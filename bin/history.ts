// `rewind history TYPE/NAME [-n NS] [--since P] [--until P] [-o json|yaml]`: one line per revision of
// the object — rev, time, actor, ADDED/MODIFIED/DELETED and a compact diff — from the rewind.dev API.

import { Command } from 'commander';
import { describeActor } from '../api/rewind/actor.ts';
import type { HistoryEntry } from '../api/rewind/history.ts';
import { REWIND_PREFIX } from '../api/routes/rewind.ts';
import { ClientError, parseTypeName, RewindClient, runCommand, withClusterFlags, type ClusterFlags } from './client.ts';
import { outputFormat, printTable, printValue } from './print.ts';

interface Flags extends ClusterFlags {
  namespace?: string;
  since?: string;
  until?: string;
  output?: string;
}

export function run(argv: string[]): Promise<number> {
  const cmd = withClusterFlags(new Command('rewind history'))
    .description('every revision of one object: time, actor, change type and a compact diff')
    .argument('<TYPE/NAME>', 'the object, e.g. deploy/web')
    .option('-n, --namespace <ns>', "namespace of the object (default: the context's, else default)")
    .option('--since <point>', 'only revisions after this point')
    .option('--until <point>', 'only revisions at or before this point')
    .option('-o, --output <format>', 'json or yaml (default: one line per revision)')
    .parse(argv, { from: 'user' });
  const flags = cmd.opts<Flags>();
  return runCommand(async () => {
    const format = outputFormat(flags.output);
    const { type, name } = parseTypeName(cmd.args[0]);
    if (!name) throw new ClientError('history needs TYPE/NAME, e.g. deploy/web');
    const client = RewindClient.fromFlags(flags);
    const h = await client.get<{ items: HistoryEntry[] }>(`${REWIND_PREFIX}/history`, { type, name, namespace: client.namespace(flags.namespace), since: flags.since, until: flags.until });
    if (format) return printValue(h, format);
    printTable(
      ['REV', 'TIME', 'ACTOR', 'CHANGE', 'DIFF'],
      h.items.map((i) => [String(i.rev), i.time, describeActor(i.actor), i.type, i.changes.join(', ')]),
    );
  });
}
