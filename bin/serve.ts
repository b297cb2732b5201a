// `rewind serve`: open the LevelDB log under --data, make sure the system namespaces exist, start the
// controllers, serve the Kubernetes API on --host:--port, write <data>/kubeconfig and print the one
// ready line. SIGINT/SIGTERM close the server, stop the controllers and close the store (which
// checkpoints), so a restart on the same --data brings the cluster back as it was.
// Shutdown is graceful (api/server.ts): readyz fails, requests in flight finish, then watches close,
// the controllers stop and the log is checkpointed and closed.
// Authentication: without --token-auth-file on a loopback address, requests without a token are the
// anonymous user and may do anything (a local single-user server); anywhere else a token is required.

import { Command } from 'commander';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AuthOptions } from '../api/auth/authenticate.ts';
import { ensureDefaultRoles } from '../api/auth/default-roles.ts';
import { ServiceAccountTokens } from '../api/auth/service-account-tokens.ts';
import { servingCertificates, type ServingCertificates } from '../api/auth/tls-certificates.ts';
import { serviceAccountKey } from '../api/auth/service-account-key.ts';
import { parseTokenFile } from '../api/auth/token-file.ts';
import { ensureSystemNamespaces } from '../api/bootstrap.ts';
import { healthyState } from '../api/health.ts';
import { DEFAULT_MAX_REQUESTS_INFLIGHT } from '../api/inflight.ts';
import { kubeconfigYaml } from '../api/kubeconfig.ts';
import { buildServer } from '../api/server.ts';
import { startControllers } from '../controllers/manager.ts';
import { admit } from '../core/admission.ts';
import { RealClock } from '../core/clock.ts';
import { LiveReplays } from '../replays/live-replay.ts';
import { openStore } from '../store/index.ts';
import type { Store } from '../store/store.ts';

interface ServeFlags {
  host: string;
  port: string;
  data: string;
  nodes: string;
  controllers: string;
  sim?: string;
  tokenAuthFile?: string;
  tls?: boolean;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  maxRequestsInflight: string;
}

/** Loopback addresses, where an unauthenticated server is only reachable from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** The certificate (and CA for the kubeconfig) to serve HTTPS with, or undefined for plain HTTP. */
async function tlsMaterial(flags: ServeFlags, data: string): Promise<ServingCertificates | undefined> {
  if (flags.tlsCertFile || flags.tlsPrivateKeyFile) {
    if (!flags.tlsCertFile || !flags.tlsPrivateKeyFile) throw new Error('--tls-cert-file and --tls-private-key-file go together');
    const cert = readFileSync(flags.tlsCertFile, 'utf8');
    return { ca: cert, cert, key: readFileSync(flags.tlsPrivateKeyFile, 'utf8') };
  }
  return flags.tls ? servingCertificates(join(data, 'pki'), flags.host) : undefined;
}

/** The authentication the server runs with: the token file's users, or anonymous on loopback. */
function authOptions(flags: ServeFlags, store: Store, data: string): AuthOptions {
  const serviceAccounts = new ServiceAccountTokens(serviceAccountKey(join(data, 'sa.key')), store);
  if (flags.tokenAuthFile) return { tokens: parseTokenFile(readFileSync(flags.tokenAuthFile, 'utf8')), serviceAccounts, anonymous: false };
  return { serviceAccounts, anonymous: true };
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
    .option('--token-auth-file <file>', 'bearer tokens, CSV lines token,user,uid,"group1,group2"; disables anonymous access')
    .option('--tls', 'serve HTTPS with a CA and certificate generated into the data dir (the kubeconfig carries the CA)')
    .option('--tls-cert-file <file>', 'serve HTTPS with this certificate (PEM); the kubeconfig trusts it as its CA')
    .option('--tls-private-key-file <file>', 'the private key of --tls-cert-file (PEM)')
    .option('--max-requests-inflight <n>', 'requests served at once before 429 (watches not counted)', String(DEFAULT_MAX_REQUESTS_INFLIGHT))
    .option('--sim <knobs>', 'simulation settings in ms, bytes or counts, e.g. nodeGraceMs=5000,pullMs=0 (docs/SIMULATION.md)')
    .parse(argv, { from: 'user' })
    .opts<ServeFlags>();
}

export async function run(argv: string[]): Promise<number> {
  const flags = parseFlags(argv);
  if (!flags.tokenAuthFile && !isLoopback(flags.host)) {
    console.error(`rewind serve: refusing to serve on ${flags.host} without authentication: pass --token-auth-file FILE (anonymous access is only allowed on a loopback address)`);
    return 1;
  }
  const data = resolve(flags.data);
  mkdirSync(data, { recursive: true });
  const clock = new RealClock();
  // Admission defaults, validates, and gives Services their cluster IP and node ports (core/admission.ts).
  const store: Store = await openStore({ path: join(data, 'log'), clock, admit });
  await ensureSystemNamespaces(store);
  await ensureDefaultRoles(store);
  let auth: AuthOptions | string;
  let tls: ServingCertificates | undefined;
  try {
    auth = authOptions(flags, store, data);
    tls = await tlsMaterial(flags, data);
  } catch (e) {
    auth = (e as Error).message;
  }
  if (typeof auth === 'string') {
    console.error(`rewind serve: ${auth}`);
    await store.close();
    return 1;
  }
  const controllers = await startControllers(store, { clock, enabled: flags.controllers.split(','), nodes: Number(flags.nodes), kubelet: simFlag(flags.sim) });
  const health = healthyState();
  const maxRequestsInflight = Number(flags.maxRequestsInflight);
  // Uploads being replayed are spooled here; one left by a server that died is of no use.
  const uploads = join(data, 'uploads');
  rmSync(uploads, { recursive: true, force: true });
  const replays = new LiveReplays(store, clock, controllers.controllers, uploads);
  const app = buildServer({ store, clock, metricsText: () => controllers.metricsText(), auth, health, maxRequestsInflight, https: tls, replays });
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
  const server = `${tls ? 'https' : 'http'}://${flags.host.includes(':') ? `[${flags.host}]` : flags.host}:${port}`;
  const kubeconfig = join(data, 'kubeconfig');
  writeFileSync(kubeconfig, kubeconfigYaml(server, tls?.ca));
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
