// `rewind at POINT -- <kubectl args>`: run the real kubectl against the cluster as it was at POINT
// (the server's /at/POINT prefix), e.g. `rewind at -15m -- get pods -owide`. kubectl gets our cluster
// flags as they were given, so it finds the same kubeconfig, context, CA and credentials; only its
// --server is ours.

import { spawn } from 'node:child_process';
import { Command } from 'commander';
import { ClientError, runCommand, withClusterFlags, type ClusterFlags } from './client.ts';
import { kubectlArgs, resolveConnection } from './connection.ts';
import { operandsLast } from './operands.ts';
import { pastServer } from './kubeconfig.ts';

export function run(argv: string[]): Promise<number> {
  const dash = argv.indexOf('--');
  const own = dash < 0 ? argv : argv.slice(0, dash);
  const kubectl = dash < 0 ? [] : argv.slice(dash + 1);
  const cmd = withClusterFlags(new Command('rewind at'))
    .description('run kubectl against the cluster as it was at POINT')
    .usage('POINT -- <kubectl args>')
    .argument('[POINT]', 'a revision, an RFC 3339 time, a relative time (-15m) or now');
  const flags = cmd.parse(operandsLast(cmd, own), { from: 'user' }).opts<ClusterFlags>();
  const point = cmd.args[0];
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
