// `rewind kubeconfig --at POINT [-o FILE]`: a kubeconfig whose server is the current cluster's
// /at/POINT, so any kubectl (or client library) given it reads the cluster as it was.

import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { kubeconfigYaml } from '../api/kubeconfig.ts';
import { runCommand, serverUrl, withClusterFlags, type ClusterFlags } from './client.ts';

interface Flags extends ClusterFlags {
  at: string;
  output?: string;
}

export function run(argv: string[]): Promise<number> {
  const flags = withClusterFlags(new Command('rewind kubeconfig'))
    .description('write a kubeconfig that reads the cluster at a past point')
    .requiredOption('--at <point>', 'a revision, an RFC 3339 time, a relative time (-15m) or now')
    .option('-o, --output <file>', 'write here instead of stdout')
    .parse(argv, { from: 'user' })
    .opts<Flags>();
  return runCommand(async () => {
    const yaml = kubeconfigYaml(pastServer(serverUrl(flags), flags.at));
    if (flags.output) writeFileSync(flags.output, yaml);
    else process.stdout.write(yaml);
  });
}

/** The server URL that serves `point` (the /at/ prefix; the point is one path segment). */
export function pastServer(server: string, point: string): string {
  return `${server}/at/${encodeURIComponent(point)}`;
}
