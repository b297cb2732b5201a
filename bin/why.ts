// `rewind why TYPE/NAME [-n NS] [--at POINT] [-o json|yaml]`: the causal chain behind the object's state,
// following `cause` back to the first user write, one line per link, the causes indented:
//   pod web-7d9c-x2b4 created by replicaset controller (rev 812)
//     because replicaset web-7d9c spec.replicas 3→5 by deployment controller (rev 811)
//     because deployment web spec.replicas 3→5 by alice via kubectl (rev 810)

import { Command } from 'commander';
import type { ChainLink } from '../api/rewind/why.ts';
import { REWIND_PREFIX } from '../api/routes/rewind.ts';
import { ClientError, parseTypeName, RewindClient, runCommand, withClusterFlags, type ClusterFlags } from './client.ts';
import { outputFormat, printValue } from './print.ts';

interface Flags extends ClusterFlags {
  namespace?: string;
  at?: string;
  output?: string;
}

export function run(argv: string[]): Promise<number> {
  const cmd = withClusterFlags(new Command('rewind why'))
    .description('why the object is as it is: the chain of causes back to the first user write')
    .argument('<TYPE/NAME>', 'the object, e.g. pod/web-7d9c-x2b4')
    .option('-n, --namespace <ns>', "namespace of the object (default: the context's, else default)")
    .option('--at <point>', 'explain the state at this point (default: now)')
    .option('-o, --output <format>', 'json or yaml')
    .parse(argv, { from: 'user' });
  const flags = cmd.opts<Flags>();
  return runCommand(async () => {
    const format = outputFormat(flags.output);
    const { type, name } = parseTypeName(cmd.args[0]);
    if (!name) throw new ClientError('why needs TYPE/NAME, e.g. pod/web-7d9c-x2b4');
    const client = RewindClient.fromFlags(flags);
    const chain = await client.get<{ text: string; items: ChainLink[] }>(`${REWIND_PREFIX}/why`, { type, name, namespace: client.namespace(flags.namespace), at: flags.at });
    if (format) return printValue(chain, format);
    for (const [i, link] of chain.items.entries()) console.log(`${i > 0 ? '  because ' : ''}${link.text}`);
  });
}
