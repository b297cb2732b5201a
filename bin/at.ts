// `rewind at POINT -- <kubectl args>`: run the real kubectl against the cluster as it was at POINT
// (the server's /at/POINT prefix), e.g. `rewind at -15m -- get pods -owide`. kubectl gets our cluster
// flags as they were given, so it finds the same kubeconfig, context, CA and credentials; only its
// --server is ours.

import { spawn } from 'node:child_process';
import { Command } from 'commander';
import { ClientError, runCommand, withClusterFlags, type ClusterFlags } from './client.ts';
import { CLUSTER_FLAGS, kubectlArgs, resolveConnection } from './connection.ts';
import { pastServer } from './kubeconfig.ts';

export function run(argv: string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const kubectl = dash < 0 ? [] : argv.slice(dash + 1);
  // The POINT is taken out before commander sees the rest: "-15m" would read as an option.
  const at = pointIndex(own);
  const point = at < 0 ? undefined : own[at];
  const flags = withClusterFlags(new Command('rewind at'))
    .description('run kubectl against the cluster as it was at POINT')
    .usage('POINT -- <kubectl args>')
    .parse(own.filter((_, i) => i !== at), { from: 'user' })
    .opts<ClusterFlags>();
  return runCommand(async () => {
    if (point === undefined || kubectl.length === 0) throw new ClientError('usage: rewind at POINT -- <kubectl args>, e.g. rewind at -15m -- get pods');
    const server = pastServer(resolveConnection(flags).server, point);
    const child = spawn(process.env.KUBECTL ?? 'kubectl', [...kubectlArgs(flags), '--server', server, ...kubectl], { stdio: 'inherit' });
    return new Promise<number>((done, fail) => {
      child.once('error', (err) => fail(new ClientError(`cannot run kubectl: ${err.message}`)));
      child.once('exit', (code) => done(code ?? 1));
    });
  });
}

/** The first argument that is neither one of our flags nor a flag's value. */
function pointIndex(args: string[]): number {
  const valued = new Set<string>(CLUSTER_FLAGS.filter((f) => f.value).map((f) => f.flag));
  for (let i = 0; i < args.length; i++) {
    if (valued.has(args[i])) i++;
    else if (!/^--[a-z-]+(=|$)/.test(args[i])) return i;
  }
  return -1;
}
