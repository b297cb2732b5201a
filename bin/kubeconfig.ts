// `rewind kubeconfig --at POINT [-o FILE]`: a kubeconfig whose server is the current cluster's
// /at/POINT, so any kubectl (or client library) given it reads the cluster as it was. It carries what
// reaching the cluster takes — the CA (or insecure-skip-tls-verify), the token and client
// certificate — inline, as `kubectl config view --minify --flatten` would, so it works on its own.

import { Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { kubeconfigOf, type KubeconfigCluster, type KubeconfigUser } from '../api/kubeconfig.ts';
import { runCommand, withClusterFlags, type ClusterFlags } from './client.ts';
import { resolveConnection, type Connection } from './connection.ts';

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
    const yaml = pastKubeconfig(resolveConnection(flags), flags.at);
    // It may hold a token or a client key: readable by its owner only, as kubectl writes its config.
    if (flags.output) writeFileSync(flags.output, yaml, { mode: 0o600 });
    else process.stdout.write(yaml);
  });
}

function pastKubeconfig(c: Connection, point: string): string {
  const base64 = (pem: Buffer | undefined) => pem?.toString('base64');
  const cluster: KubeconfigCluster = { server: pastServer(c.server, point) };
  if (c.ca) cluster['certificate-authority-data'] = base64(c.ca);
  // Over plain HTTP, kept for @kubernetes/client-node (api/kubeconfig.ts).
  if (c.insecure || !c.server.startsWith('https:')) cluster['insecure-skip-tls-verify'] = true;
  if (c.serverName) cluster['tls-server-name'] = c.serverName;
  const user: KubeconfigUser = {};
  if (c.token) user.token = c.token;
  if (c.cert && c.key) Object.assign(user, { 'client-certificate-data': base64(c.cert), 'client-key-data': base64(c.key) });
  return kubeconfigOf(cluster, user, c.namespace);
}

/** The server URL that serves `point` (the /at/ prefix; the point is one path segment). */
export function pastServer(server: string, point: string): string {
  return `${server}/at/${encodeURIComponent(point)}`;
}
