// `rewind serve`: open the LevelDB log under --data, make sure the system namespaces exist, start the
// controllers, serve the Kubernetes API on --host:--port, write <data>/kubeconfig and print the one
// ready line. SIGINT/SIGTERM close the server, stop the controllers and close the store (which
// checkpoints), so a restart on the same --data brings the cluster back as it was.

import { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureSystemNamespaces } from '../api/bootstrap.ts';
import { kubeconfigYaml } from '../api/kubeconfig.ts';
import { buildServer } from '../api/server.ts';
import { startControllers } from '../controllers/manager.ts';
import { admit } from '../core/admission.ts';
import { RealClock } from '../core/clock.ts';
import { withServiceAddresses } from '../core/service-alloc.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/store.ts';

interface ServeFlags {
  host: string;
  port: string;
  data: string;
  nodes: string;
  controllers: string;
  sim?: string;
}

/** "--sim nodeGraceMs=5000,pullMs=0" → { nodeGraceMs: 5000, pullMs: 0 } (the knobs of controllers/kubelet/options.ts). */
function simFlag(text: string | undefined): Record<string, number> {
  const pairs = (text ?? '').split(',').filter(Boolean).map((kv) => kv.split('='));
  return Object.fromEntries(pairs.map(([k, v]) => [k.trim(), Number(v)]).filter(([, v]) => Number.isFinite(v)));
}

function parseFlags(argv: string[]): ServeFlags {
  return new Command('rewind serve')
    .description('serve the Kubernetes API and run the controllers on an embedded LevelDB event log')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '6443')
    .option('--data <dir>', 'data directory (event log, kubeconfig)', '.rewind')
    .option('--nodes <n>', 'simulated nodes', '3')
    .option('--controllers <list>', 'controllers to run: "*" for all, "name" to add, "-name" to remove', '*')
    .option('--sim <knobs>', 'simulation settings in ms, bytes or counts, e.g. nodeGraceMs=5000,pullMs=0 (docs/SIMULATION.md)')
    .parse(argv, { from: 'user' })
    .opts<ServeFlags>();
}

export async function run(argv: string[]): Promise<number> {
  const flags = parseFlags(argv);
  const data = resolve(flags.data);
  mkdirSync(data, { recursive: true });
  const clock = new RealClock();
  // Services get their cluster IP and node ports at admission, against the services stored (core/service-alloc.ts).
  const store: Store = await openStore({ path: join(data, 'log'), clock, admit: withServiceAddresses(admit, () => store.list('v1/services').items) });
  await ensureSystemNamespaces(store);
  const controllers = await startControllers(store, { clock, enabled: flags.controllers.split(','), nodes: Number(flags.nodes), kubelet: simFlag(flags.sim) });
  const app = buildServer({ store, clock, metricsText: () => controllers.metricsText() });
  try {
    await app.listen({ host: flags.host, port: Number(flags.port) });
  } catch (e) {
    console.error(`rewind serve: cannot listen on ${flags.host}:${flags.port}: ${(e as Error).message}`);
    await controllers.stop();
    await store.close();
    return 1;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : Number(flags.port);
  const server = `http://${flags.host}:${port}`;
  const kubeconfig = join(data, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml(server));
  console.log(`Rewind API ready at ${server} (export KUBECONFIG=${kubeconfig})`);

  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await app.close();
  await controllers.stop();
  await store.close();
  return 0;
}
