// The rewind CLI's connection to a Rewind server, found as kubectl finds its cluster: --server URL,
// else the kubeconfig (--kubeconfig, else the first file of $KUBECONFIG, else ~/.kube/config) at
// --context (else its current-context), with the context user's bearer token (or --token). Requests
// are plain HTTP(S) with fetch; a Kubernetes Status
// in reply becomes a ClientError carrying its message, which commands print as kubectl does.

import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse } from 'yaml';
import { resolveTypeName, type ResourceInfo } from '../core/registry.ts';

export interface ClusterFlags {
  server?: string;
  kubeconfig?: string;
  context?: string;
  token?: string;
}

export class ClientError extends Error {}

/** Add --server, --kubeconfig, --context and --token to a command. */
export function withClusterFlags(cmd: Command): Command {
  return cmd
    .option('--server <url>', 'the Rewind server (overrides the kubeconfig)')
    .option('--kubeconfig <file>', 'kubeconfig to read (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use (default: its current-context)')
    .option('--token <token>', "bearer token for the server (default: the kubeconfig user's token)");
}

interface Kubeconfig {
  'current-context'?: string;
  contexts?: { name: string; context: { cluster: string; user?: string } }[];
  clusters?: { name: string; cluster: { server: string } }[];
  users?: { name: string; user?: { token?: string } }[];
}

const kubeconfigFile = (flags: ClusterFlags) => flags.kubeconfig ?? process.env.KUBECONFIG?.split(delimiter).find((f) => f !== '') ?? join(homedir(), '.kube', 'config');

/** The kubeconfig's context the flags name, with its file and the whole config. */
function kubeconfigContext(flags: ClusterFlags) {
  const file = kubeconfigFile(flags);
  let config: Kubeconfig;
  try {
    config = parse(readFileSync(file, 'utf8')) as Kubeconfig;
  } catch (err) {
    throw new ClientError(`cannot read kubeconfig ${file}: ${(err as Error).message}`);
  }
  const contextName = flags.context ?? config['current-context'];
  const context = config.contexts?.find((c) => c.name === contextName);
  if (!context) throw new ClientError(`context "${contextName ?? ''}" not found in ${file}`);
  return { file, config, context: context.context };
}

/** The server URL the flags name, without a trailing slash. */
export function serverUrl(flags: ClusterFlags): string {
  if (flags.server) return flags.server.replace(/\/+$/, '');
  const { file, config, context } = kubeconfigContext(flags);
  const cluster = config.clusters?.find((c) => c.name === context.cluster);
  if (!cluster) throw new ClientError(`cluster "${context.cluster}" not found in ${file}`);
  return cluster.cluster.server.replace(/\/+$/, '');
}

/**
 * --token, else the token of the kubeconfig context's user, as kubectl sends it (also with --server;
 * then a missing or broken kubeconfig just means no token).
 */
function bearerToken(flags: ClusterFlags): string | undefined {
  if (flags.token) return flags.token;
  try {
    const { config, context } = kubeconfigContext(flags);
    return config.users?.find((u) => u.name === context.user)?.user?.token;
  } catch (err) {
    if (flags.server && err instanceof ClientError) return undefined;
    throw err;
  }
}

export class RewindClient {
  constructor(
    readonly server: string,
    private readonly token?: string,
  ) {}

  static fromFlags(flags: ClusterFlags): RewindClient {
    return new RewindClient(serverUrl(flags), bearerToken(flags));
  }

  async get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    return this.json<T>(await this.send('GET', path, query));
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>(await this.send('POST', path, {}, body));
  }

  /** POST raw bytes (a trace file) with query parameters. */
  async postBytes<T>(path: string, query: Record<string, string | undefined>, bytes: Buffer): Promise<T> {
    return this.json<T>(await this.send('POST', path, query, bytes, undefined, 'application/octet-stream'));
  }

  /** A JSON merge patch (RFC 7386), as `kubectl patch --type merge` sends it. */
  async mergePatch<T>(path: string, body: unknown): Promise<T> {
    return this.json<T>(await this.send('PATCH', path, {}, body, undefined, 'application/merge-patch+json'));
  }

  /** A JSON-lines stream: `onLine` for each line, until the server ends it or `signal` aborts. */
  async stream(path: string, query: Record<string, string | undefined>, onLine: (value: unknown) => void, signal?: AbortSignal): Promise<void> {
    const res = await this.send('GET', path, query, undefined, signal);
    if (!res.ok) await this.json(res);
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffered += decoder.decode(chunk, { stream: true });
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) if (line.trim()) onLine(JSON.parse(line));
      }
    } catch (err) {
      if (!signal?.aborted) throw err;
    }
  }

  private async send(method: string, path: string, query: Record<string, string | undefined>, body?: unknown, signal?: AbortSignal, contentType = 'application/json'): Promise<Response> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, v);
    const qs = params.size ? `?${params}` : '';
    try {
      return await fetch(`${this.server}${path}${qs}`, {
        method,
        signal,
        headers: { ...(body === undefined ? {} : { 'content-type': contentType }), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
        body: body === undefined ? undefined : Buffer.isBuffer(body) ? new Uint8Array(body) : JSON.stringify(body),
      });
    } catch (err) {
      throw new ClientError(`cannot reach the server at ${this.server}: ${(err as Error).cause ?? (err as Error).message}`);
    }
  }

  private async json<T>(res: Response): Promise<T> {
    const text = await res.text();
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new ClientError(`the server answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
    }
    if (!res.ok) throw new ClientError(`Error from server (${(value as { reason?: string }).reason ?? res.status}): ${(value as { message?: string }).message ?? text}`);
    return value as T;
  }
}

/** "deploy/web" or "deploy" as the user typed it, with the type checked against the registry. */
export function parseTypeName(arg: string): { type: string; info: ResourceInfo; name?: string } {
  const slash = arg.indexOf('/');
  const [type, name] = slash < 0 ? [arg, undefined] : [arg.slice(0, slash), arg.slice(slash + 1)];
  const info = resolveTypeName(type);
  if (!info) throw new ClientError(`the server doesn't have a resource type "${type}"`);
  if (name === '') throw new ClientError(`a name is required after "${type}/"`);
  return { type, info, name };
}

/** Run a command body: a ClientError is printed as kubectl prints errors, and exits 1. */
export async function runCommand(body: () => Promise<number | void>): Promise<number> {
  try {
    return (await body()) ?? 0;
  } catch (err) {
    if (!(err instanceof ClientError)) throw err;
    console.error(err.message);
    return 1;
  }
}
