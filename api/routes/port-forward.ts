// `kubectl port-forward POD LOCAL:REMOTE` (kubectl-surface.md §1.9, seed 001's
// `kubectl port-forward nginx 8000:80`): GET …/pods/P/portforward upgraded to a WebSocket with
// subprotocol SPDY/3.1+portforward.k8s.io, whose binary messages carry a raw SPDY/3.1 session
// (spdy-transport speaks it). For each local connection kubectl opens two streams with headers
// streamtype=error|data, port and requestid; both get a SYN_REPLY. The data stream carries the
// client's bytes to the pod: an HTTP request is answered by the simulated pod (controllers/container/
// http.ts) and the stream is closed, as the pod's server closing the connection would; the error
// stream is closed with it. Anything that is not HTTP is not simulated: the error stream says so.

import transport, { type SpdyConnection, type SpdyStream } from 'spdy-transport';
import { createWebSocketStream, WebSocketServer } from 'ws';
import { badRequest, internalError, isStatusError } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { serveHttp } from '../../controllers/container/http.ts';
import type { ApiContext } from '../context.ts';
import { findPod } from './in-pod.ts';
import { refuse, type UpgradeHandler } from './upgrade.ts';

const PORT_FORWARD_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/;
const PORT_FORWARD_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';

/** The request line and Host header of an HTTP/1.x request, once its head is complete. */
function parseHttpHead(bytes: string): { method: string; path: string; host: string; userAgent: string } | undefined {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [line, ...headers] = bytes.slice(0, end).split('\r\n');
  const [method, path] = line.split(' ');
  const header = (name: string) => headers.find((h) => h.toLowerCase().startsWith(`${name}:`))?.slice(name.length + 1).trim() ?? '';
  return { method: method ?? 'GET', path: path ?? '/', host: header('host'), userAgent: header('user-agent') };
}

/** Serve one forwarded connection: wait for an HTTP request head, answer as the pod, close. */
function forward(pod: KObject, data: SpdyStream, error: SpdyStream | undefined): void {
  const port = Number(data.headers.port);
  let received = '';
  data.on('data', (chunk: Buffer) => {
    received += chunk.toString('latin1');
    const head = parseHttpHead(received);
    if (!head) {
      if (received.length > 64 * 1024 || !/^[A-Z]+ /.test(received.slice(0, 8))) {
        error?.end(`simulated pod ${pod.metadata.name} answers HTTP only on port ${port} (see docs/SIMULATION.md)`);
        data.end();
      }
      return;
    }
    const r = serveHttp(pod, port, { ...head, clientIP: '127.0.0.1', clientPort: 0 });
    data.end(`HTTP/1.1 ${r.status} ${r.reason}\r\n${r.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}Connection: close\r\n\r\n${head.method === 'HEAD' ? '' : r.body}`);
    error?.end();
  });
}

/**
 * spdy-transport's parser insists on the HTTP pseudo-headers `:method` and `:path` in SYN_STREAM,
 * which port-forward streams (streamtype, port, requestid) do not carry: its header decoder is
 * wrapped to supply them, so the streams reach us with their own headers intact.
 */
function acceptHeaderlessStreams(conn: SpdyConnection): void {
  const parser = (conn as unknown as { _spdyState: { parser: HeaderParser } })._spdyState.parser;
  const decode = parser.parseKVs.bind(parser);
  parser.parseKVs = (buffer, done) => decode(buffer, (err, headers) => done(err, err ? headers : { ':method': 'CONNECT', ':path': '/', ...headers }));
}

interface HeaderParser {
  parseKVs(buffer: unknown, done: (err: Error | null, headers: Record<string, string>) => void): void;
}

function session(ws: import('ws').WebSocket, pod: KObject): void {
  const conn = transport.connection.create(createWebSocketStream(ws), { protocol: 'spdy', isServer: true });
  acceptHeaderlessStreams(conn);
  const errors = new Map<string, SpdyStream>();
  conn.on('stream', (stream) => {
    stream.respond(200, {});
    const id = stream.headers.requestid ?? '';
    if (stream.headers.streamtype === 'error') {
      errors.set(id, stream);
      stream.resume();
    } else if (stream.headers.streamtype === 'data') {
      forward(pod, stream, errors.get(id));
    } else {
      stream.end();
    }
  });
  conn.on('error', () => ws.terminate());
}

export function portForwardUpgrade(ctx: ApiContext): UpgradeHandler {
  // ws refuses `SPDY/3.1+portforward.k8s.io` as a subprotocol token ('/' is not a token character),
  // so the header is taken off before the handshake and the accepted protocol written back after.
  const wss = new WebSocketServer({ noServer: true });
  wss.on('headers', (headers) => headers.push(`Sec-WebSocket-Protocol: ${PORT_FORWARD_PROTOCOL}`));
  return (req, socket, head) => {
    const m = PORT_FORWARD_PATH.exec(new URL(req.url ?? '/', 'http://x').pathname);
    if (!m) return false;
    try {
      const pod = findPod(ctx, decodeURIComponent(m[1]), decodeURIComponent(m[2]));
      const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
      if (!offered.includes(PORT_FORWARD_PROTOCOL)) throw badRequest(`the port-forward WebSocket subprotocol must be ${PORT_FORWARD_PROTOCOL}`);
      delete req.headers['sec-websocket-protocol'];
      wss.handleUpgrade(req, socket, head, (ws) => session(ws, pod));
    } catch (err) {
      refuse(socket, isStatusError(err) ? err : internalError(String(err)));
    }
    return true;
  };
}
