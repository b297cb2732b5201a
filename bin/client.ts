// The rewind CLI's one HTTP client for a Rewind server, reached as kubectl reaches its cluster
// (bin/connection.ts: kubeconfig files, context, server, CA, client certificate, token). Requests go
// through node:http(s) — fetch cannot be given a private CA or a client certificate — and bodies
// stream both ways: a trace uploads from its file as it is read, a follow=1 answer is read line by
// line. A Kubernetes Status in reply becomes a ClientError carrying its reason and message, which
// commands print as kubectl does.

import { createReadStream, statSync } from 'node:fs';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { resolveTypeName, type ResourceInfo } from '../core/registry.ts';
import { ClientError, resolveConnection, type ClusterFlags, type Connection } from './connection.ts';

export { ClientError, withClusterFlags, type ClusterFlags } from './connection.ts';

type QueryParams = Record<string, string | undefined>;

interface Body {
  bytes?: Buffer;
  /** A file streamed as the body; `onSent` hears each piece sent. */
  file?: string;
  onSent?: (bytes: number) => void;
  contentType: string;
}

/** TLS errors meaning "the certificate is not one we trust" (kubectl: x509: certificate signed by unknown authority). */
const UNTRUSTED = new Set(['SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_SIGNATURE_FAILURE']);

export class RewindClient {
  constructor(readonly connection: Connection) {}

  static fromFlags(flags: ClusterFlags): RewindClient {
    return new RewindClient(resolveConnection(flags));
  }

  get server(): string {
    return this.connection.server;
  }

  /** -n if given, else the kubeconfig context's namespace, else "default" — kubectl's choice for one object. */
  namespace(flag: string | undefined): string {
    return flag ?? this.connection.namespace ?? 'default';
  }

  async get<T>(path: string, query: QueryParams = {}): Promise<T> {
    return json<T>(await this.send('GET', path, query));
  }

  async post<T>(path: string, body: unknown): Promise<T> {
    return json<T>(await this.send('POST', path, {}, { bytes: Buffer.from(JSON.stringify(body)), contentType: 'application/json' }));
  }

  /** POST a file (a trace) as it is read from disk, with query parameters; `onSent` hears the bytes sent. */
  async postFile<T>(path: string, query: QueryParams, file: string, onSent?: (bytes: number) => void): Promise<T> {
    return json<T>(await this.send('POST', path, query, { file, onSent, contentType: 'application/octet-stream' }));
  }

  /** A JSON merge patch (RFC 7386), as `kubectl patch --type merge` sends it. */
  async mergePatch<T>(path: string, body: unknown): Promise<T> {
    return json<T>(await this.send('PATCH', path, {}, { bytes: Buffer.from(JSON.stringify(body)), contentType: 'application/merge-patch+json' }));
  }

  /** A JSON-lines stream: `onLine` for each line, until the server ends it or `signal` aborts. */
  async stream(path: string, query: QueryParams, onLine: (value: unknown) => void, signal?: AbortSignal): Promise<void> {
    let res: IncomingMessage;
    try {
      res = await this.send('GET', path, query, undefined, signal);
    } catch (err) {
      if (signal?.aborted) return;
      throw err;
    }
    if (!ok(res)) await json(res);
    let buffered = '';
    res.setEncoding('utf8');
    try {
      for await (const chunk of res as AsyncIterable<string>) {
        const lines = (buffered + chunk).split('\n');
        buffered = lines.pop()!;
        for (const line of lines) if (line.trim()) onLine(JSON.parse(line));
      }
    } catch (err) {
      if (!signal?.aborted) throw new ClientError(`the stream from ${this.server} broke: ${(err as Error).message}`);
    }
  }

  /** The response once its headers arrive (an upload may be answered before all of it is sent: a 4xx). */
  private send(method: string, path: string, query: QueryParams, body?: Body, signal?: AbortSignal): Promise<IncomingMessage> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, v);
    const url = new URL(`${this.server}${path}${params.size ? `?${params}` : ''}`);
    const headers: http.OutgoingHttpHeaders = { accept: 'application/json' };
    if (this.connection.token) headers.authorization = `Bearer ${this.connection.token}`;
    if (body) {
      headers['content-type'] = body.contentType;
      headers['content-length'] = body.bytes ? body.bytes.length : fileSize(body.file!);
    }
    return new Promise((resolve, reject) => {
      const req = url.protocol === 'https:' ? https.request(url, { method, headers, signal, ...this.tls() }) : http.request(url, { method, headers, signal });
      let answered = false;
      req.once('response', (res) => {
        answered = true;
        // An early answer (a 4xx) ends the upload: the rest need not be sent once it has been read.
        res.once('end', () => req.writableFinished || req.destroy());
        resolve(res);
      });
      // After an early answer the server may close before the body is all sent: that is not our error.
      req.on('error', (err) => answered || reject(signal?.aborted ? err : this.unreachable(err)));
      if (body?.file) {
        const file = createReadStream(body.file, { highWaterMark: 1 << 20 });
        if (body.onSent) file.on('data', (piece) => body.onSent!(piece.length));
        file.once('error', (err) => req.destroy(new ClientError(`cannot read ${body.file}: ${err.message}`)));
        file.pipe(req);
      } else req.end(body?.bytes);
    });
  }

  private tls(): https.RequestOptions {
    const c = this.connection;
    return { ca: c.ca, cert: c.cert, key: c.key, rejectUnauthorized: !c.insecure, servername: c.serverName };
  }

  private unreachable(err: NodeJS.ErrnoException): Error {
    if (err instanceof ClientError) return err;
    const hint = UNTRUSTED.has(err.code ?? '')
      ? this.connection.ca
        ? " (it is not signed by the kubeconfig's certificate-authority)"
        : ' (give the CA that signed it: certificate-authority(-data) in the kubeconfig, or --certificate-authority)'
      : '';
    return new ClientError(`cannot reach the server at ${this.server}: ${err.message}${hint}`);
  }
}

/** A file's size, or a ClientError saying it cannot be read. */
export function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch (err) {
    throw new ClientError(`cannot read ${file}: ${(err as Error).message}`);
  }
}

const ok = (res: IncomingMessage) => (res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300;

/** The body as JSON; a non-2xx answer (a Kubernetes Status) as a ClientError. */
async function json<T>(res: IncomingMessage): Promise<T> {
  let text = '';
  res.setEncoding('utf8');
  for await (const chunk of res as AsyncIterable<string>) text += chunk;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ClientError(`the server answered ${res.statusCode} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  if (!ok(res)) {
    const status = value as { reason?: string; message?: string };
    throw new ClientError(`Error from server (${status.reason ?? res.statusCode}): ${status.message ?? text}`);
  }
  return value as T;
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
