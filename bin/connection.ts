// Where the rewind CLI finds its server, and how it proves who both sides are — kubectl's rules
// (client-go clientcmd), so a kubeconfig that works for kubectl works here:
//
//   files      --kubeconfig FILE alone; else every file of $KUBECONFIG (':'-separated; missing ones
//              skipped); else ~/.kube/config. Merged as kubectl merges them: the first file to
//              name a cluster, user or context wins it, the first current-context set wins.
//   context    --context, else the current-context; its cluster and user.
//   server     --server, else the cluster's server.
//   trust      --certificate-authority FILE and/or --insecure-skip-tls-verify, which replace the
//              cluster's; else its certificate-authority-data, else its certificate-authority file,
//              and its insecure-skip-tls-verify (with a CA too an error, as in kubectl);
//              tls-server-name is the name verified.
//   identity   --token, else the user's token, else its tokenFile; --client-certificate and
//              --client-key, else the user's client-certificate(-data) and client-key(-data).
//
// Paths inside a kubeconfig are relative to that file's directory; paths given as flags to the
// working directory. With --server a missing kubeconfig is no error (kubectl --server alone works).

import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';

export class ClientError extends Error {}

export interface ClusterFlags {
  server?: string;
  kubeconfig?: string;
  context?: string;
  token?: string;
  certificateAuthority?: string;
  insecureSkipTlsVerify?: boolean;
  clientCertificate?: string;
  clientKey?: string;
}

/** Add the cluster flags, as kubectl spells them, to a command. */
export function withClusterFlags(cmd: Command): Command {
  return cmd
    .option('--server <url>', 'the Rewind server (overrides the kubeconfig)')
    .option('--kubeconfig <file>', 'kubeconfig to read (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: its current-context)')
    .option('--token <token>', "bearer token (default: the kubeconfig user's token or tokenFile)")
    .option('--certificate-authority <file>', "CA certificate file to verify the server with (default: the kubeconfig cluster's)")
    .option('--insecure-skip-tls-verify', "don't verify the server's certificate")
    .option('--client-certificate <file>', "client certificate file (default: the kubeconfig user's)")
    .option('--client-key <file>', "client key file (default: the kubeconfig user's)");
}

/** The flags as kubectl takes them, to hand them on to it unchanged. */
export function kubectlArgs(flags: ClusterFlags): string[] {
  const { server: _s, insecureSkipTlsVerify, ...valued } = flags;
  const out = Object.entries(valued).flatMap(([k, v]) => (typeof v === 'string' ? [`--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`, v] : []));
  return insecureSkipTlsVerify ? [...out, '--insecure-skip-tls-verify'] : out;
}

/** Everything needed to reach the server. */
export interface Connection {
  /** The server URL, without a trailing slash. */
  server: string;
  /** PEM: the CA to verify the server with (undefined: the system's roots), the client certificate and key. */
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  insecure: boolean;
  /** The name the server's certificate must carry, when not the URL's host. */
  serverName?: string;
  token?: string;
  /** The context's namespace. */
  namespace?: string;
}

interface ClusterEntry {
  server?: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
}

interface UserEntry {
  token?: string;
  tokenFile?: string;
  'client-certificate'?: string;
  'client-certificate-data'?: string;
  'client-key'?: string;
  'client-key-data'?: string;
  exec?: unknown;
  'auth-provider'?: unknown;
}

interface ContextEntry {
  cluster?: string;
  user?: string;
  namespace?: string;
}

interface KubeconfigFile {
  'current-context'?: string;
  clusters?: { name: string; cluster?: ClusterEntry }[];
  users?: { name: string; user?: UserEntry }[];
  contexts?: { name: string; context?: ContextEntry }[];
}

/** An entry of the merged kubeconfig, with the directory its relative paths resolve against. */
interface Found<T> {
  entry: T;
  dir: string;
}

interface Merged {
  files: string[];
  currentContext?: string;
  clusters: Map<string, Found<ClusterEntry>>;
  users: Map<string, Found<UserEntry>>;
  contexts: Map<string, Found<ContextEntry>>;
}

/** The kubeconfig files in the order kubectl reads them, and whether a missing one is an error. */
function kubeconfigFiles(flags: ClusterFlags, env: NodeJS.ProcessEnv): { files: string[]; required: boolean } {
  if (flags.kubeconfig) return { files: [flags.kubeconfig], required: true };
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((f) => f !== '');
  if (listed.length > 0) return { files: [...new Set(listed)], required: false };
  return { files: [join(homedir(), '.kube', 'config')], required: false };
}

function readKubeconfig(file: string, required: boolean): KubeconfigFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (!required && (err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ClientError(`cannot read kubeconfig ${file}: ${(err as Error).message}`);
  }
  try {
    return (parse(text) ?? {}) as KubeconfigFile;
  } catch (err) {
    throw new ClientError(`kubeconfig ${file} is not YAML: ${(err as Error).message}`);
  }
}

/** The files merged: the first to set a name (or the current-context) wins, as clientcmd's loader. */
function loadKubeconfig(flags: ClusterFlags, env: NodeJS.ProcessEnv): Merged {
  const { files, required } = kubeconfigFiles(flags, env);
  const merged: Merged = { files, clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) {
    const config = readKubeconfig(file, required);
    if (!config) continue;
    const dir = dirname(resolve(file));
    merged.currentContext ||= config['current-context'] || undefined;
    const first = <T>(into: Map<string, Found<T>>, name: string, entry: T | undefined) => into.has(name) || into.set(name, { entry: entry ?? ({} as T), dir });
    for (const c of config.clusters ?? []) first(merged.clusters, c.name, c.cluster);
    for (const u of config.users ?? []) first(merged.users, u.name, u.user);
    for (const c of config.contexts ?? []) first(merged.contexts, c.name, c.context);
  }
  return merged;
}

/** A file's bytes, or a ClientError naming what it was for. */
function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ClientError(`cannot read ${what} ${path}: ${(err as Error).message}`);
  }
}

/** A flag's file, else the entry's inline base64 data, else the entry's file (relative to its kubeconfig). */
function material(flagPath: string | undefined, data: string | undefined, file: string | undefined, dir: string, what: string): Buffer | undefined {
  if (flagPath) return readPem(flagPath, what);
  if (data) return Buffer.from(data, 'base64');
  if (file) return readPem(resolve(dir, file), what);
  return undefined;
}

/** The connection the flags (and kubeconfig) name; `env` is the process's environment. */
export function resolveConnection(flags: ClusterFlags, env: NodeJS.ProcessEnv = process.env): Connection {
  const config = loadKubeconfig(flags, env);
  const where = config.files.join(delimiter);
  const contextName = flags.context ?? config.currentContext;
  const context = contextName === undefined ? undefined : config.contexts.get(contextName);
  if (flags.context && !context) throw new ClientError(`context "${flags.context}" not found in ${where}`);
  if (!flags.server && !context) throw new ClientError(contextName ? `context "${contextName}" not found in ${where}` : `no current-context in ${where}: pass --context or --server`);
  const cluster = context?.entry.cluster === undefined ? undefined : config.clusters.get(context.entry.cluster);
  const server = flags.server ?? cluster?.entry.server;
  if (!server) throw new ClientError(cluster ? `cluster "${context!.entry.cluster}" has no server in ${where}` : `cluster "${context?.entry.cluster ?? ''}" not found in ${where}`);
  const user = context?.entry.user === undefined ? undefined : config.users.get(context.entry.user);
  return {
    server: server.replace(/\/+$/, ''),
    ...trust(flags, cluster),
    ...identity(flags, user, context?.entry.user),
    namespace: context?.entry.namespace,
  };
}

/**
 * How the server is verified. As clientcmd merges them, either flag (--certificate-authority,
 * --insecure-skip-tls-verify) replaces all the cluster's trust settings: --insecure-skip-tls-verify
 * drops its CA, --certificate-authority its insecure-skip-tls-verify.
 */
function trust(flags: ClusterFlags, cluster: Found<ClusterEntry> | undefined): Pick<Connection, 'ca' | 'insecure' | 'serverName'> {
  const c = cluster?.entry ?? {};
  const overridden = flags.insecureSkipTlsVerify === true || flags.certificateAuthority !== undefined;
  const insecure = overridden ? flags.insecureSkipTlsVerify === true : c['insecure-skip-tls-verify'] === true;
  const ca = overridden ? material(flags.certificateAuthority, undefined, undefined, '.', 'certificate-authority') : material(undefined, c['certificate-authority-data'], c['certificate-authority'], cluster?.dir ?? '.', 'certificate-authority');
  // clientcmd's validation: "specifying a root certificates file with the insecure flag is not allowed".
  if (insecure && ca) throw new ClientError('specifying a root certificates file with the insecure flag is not allowed');
  return { ca, insecure, serverName: c['tls-server-name'] };
}

/** Who the client is: a bearer token and/or a client certificate. */
function identity(flags: ClusterFlags, user: Found<UserEntry> | undefined, name: string | undefined): Pick<Connection, 'token' | 'cert' | 'key'> {
  const u = user?.entry ?? {};
  const dir = user?.dir ?? '.';
  const token = flags.token ?? (u.token || (u.tokenFile ? readPem(resolve(dir, u.tokenFile), 'tokenFile').toString('utf8').trim() : undefined));
  const cert = material(flags.clientCertificate, u['client-certificate-data'], u['client-certificate'], dir, 'client-certificate');
  const key = material(flags.clientKey, u['client-key-data'], u['client-key'], dir, 'client-key');
  if (Boolean(cert) !== Boolean(key)) throw new ClientError('client-certificate and client-key go together: give both or neither');
  if (!token && !cert && (u.exec || u['auth-provider'])) {
    throw new ClientError(`user "${name}" authenticates through an ${u.exec ? 'exec' : 'auth-provider'} plugin, which rewind does not run: give it a token, tokenFile or client certificate, or pass --token`);
  }
  return { token, cert, key };
}
