// `kubectl exec` over WebSocket (kubectl-surface.md §1.9): GET …/pods/P/exec?command=…&container=C
// &stdin&stdout&stderr&tty with `Upgrade: websocket` and subprotocol v5.channel.k8s.io (v4 for older
// kubectl). Every message is binary with a leading channel byte: 0 stdin, 1 stdout, 2 stderr, 3 the
// final Status, 4 resize; in v5 the client closes stdin with [255, 0].
//
// The command runs in the simulated container (controllers/container/commands.ts). Without stdin it
// runs at once; with stdin it runs when stdin closes (`kubectl exec -i P -- sh < script`); with a tty
// (`kubectl exec -it P -- sh`) each line typed is run as a shell command, echoed as a terminal would,
// until `exit`. Then: stdout on 1, stderr on 2, the Status on 3 — `{"metadata":{},"status":"Success"}`
// or Failure with reason NonZeroExitCode and the exit code as cause — and a close frame.
//
// Refusals before the upgrade are plain HTTP Status replies (kubectl prints them, after trying its
// SPDY fallback, which gets the same answer).

import type { IncomingMessage } from 'node:http';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { badRequest, execStatus, internalError, isStatusError } from '../../core/errors.ts';
import { runArgv, runScript } from '../../controllers/container/commands.ts';
import type { Result, Sandbox } from '../../controllers/container/sandbox.ts';
import type { ApiContext } from '../context.ts';
import { containerStart, findPod, pickContainer, sandboxAt } from './in-pod.ts';
import { refuse, type UpgradeHandler } from './upgrade.ts';

const EXEC_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/;
const EXEC_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
/** v5: the client's "close this stream" message is [255, channel]. */
const CLOSE = 255;

export interface ExecRequest {
  ns: string;
  pod: string;
  container?: string;
  command: string[];
  stdin: boolean;
  tty: boolean;
  /**
   * attach: the container's own process ended. The stream then closes with Success whatever its
   * code (the pod's status carries that), and onExit records the exit.
   */
  onExit?: (code: number) => void;
}

/** The pod, container and stream flags of an upgrade whose path `path` matches (namespace, pod), and its query. */
export function podStreamRequest(req: IncomingMessage, path: RegExp): { stream: Omit<ExecRequest, 'command'>; query: URLSearchParams } | undefined {
  const url = new URL(req.url ?? '/', 'http://x');
  const m = path.exec(url.pathname);
  if (!m) return undefined;
  const q = url.searchParams;
  const on = (k: string) => ['true', '1'].includes(q.get(k) ?? '');
  return { stream: { ns: decodeURIComponent(m[1]), pod: decodeURIComponent(m[2]), container: q.get('container') ?? undefined, stdin: on('stdin'), tty: on('tty') }, query: q };
}

function parseRequest(req: IncomingMessage): ExecRequest | undefined {
  const r = podStreamRequest(req, EXEC_PATH);
  return r && { ...r.stream, command: r.query.getAll('command') };
}

/** The pod's sandbox, or the Status the apiserver/kubelet would refuse with. */
async function prepare(ctx: ApiContext, r: ExecRequest): Promise<Sandbox> {
  const pod = findPod(ctx, r.ns, r.pod);
  const container = pickContainer(pod, r.container);
  if (r.command.length === 0) throw badRequest('you must specify at least 1 command');
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase !== 'Running') throw badRequest(`unable to upgrade connection: container not found ("${container}")`);
  return sandboxAt(ctx, pod, container, containerStart(pod, container));
}

const frame = (channel: number, text: string) => Buffer.concat([Buffer.from([channel]), Buffer.from(text)]);

function finish(ws: WebSocket, r: ExecRequest, result: Result, tty: boolean): void {
  const crlf = (s: string) => (tty ? s.replace(/\r?\n/g, '\r\n') : s);
  if (result.stdout) ws.send(frame(STDOUT, crlf(result.stdout)));
  if (result.stderr) ws.send(frame(tty ? STDOUT : STDERR, crlf(result.stderr)));
  ws.send(frame(ERROR, JSON.stringify(execStatus(r.onExit ? 0 : result.code, r.command))));
  ws.close(1000);
  r.onExit?.(result.code);
}

/** A terminal session: echo what is typed, run each line through the shell, print a prompt. */
function interactive(ws: WebSocket, r: ExecRequest, box: Sandbox): void {
  const prompt = () => ws.send(frame(STDOUT, '/ # '));
  let line = '';
  let last: Result = { stdout: '', stderr: '', code: 0 };
  prompt();
  ws.on('message', (data: Buffer) => {
    if (data[0] !== STDIN) return;
    for (const ch of data.subarray(1).toString()) {
      if (ch === '\r' || ch === '\n') {
        ws.send(frame(STDOUT, '\r\n'));
        const cmd = line.trim();
        line = '';
        if (/^exit(\s|$)/.test(cmd)) return finish(ws, r, { stdout: '', stderr: '', code: Number(cmd.split(/\s+/)[1] ?? last.code) || 0 }, true);
        if (cmd) last = runScript(cmd, box);
        const out = (last.stdout + last.stderr).replace(/\r?\n/g, '\r\n');
        if (cmd && out) ws.send(frame(STDOUT, out));
        prompt();
      } else if (ch === '\x7f') {
        if (line) ws.send(frame(STDOUT, '\b \b'));
        line = line.slice(0, -1);
      } else if (ch === '\x04' && !line) {
        return finish(ws, r, { stdout: '', stderr: '', code: last.code }, true);
      } else {
        line += ch;
        ws.send(frame(STDOUT, ch));
      }
    }
  });
}

/** Collect stdin until the client closes it (v5 close message, or the socket ends), then run. */
function withStdin(ws: WebSocket, r: ExecRequest, box: Sandbox): void {
  const chunks: Buffer[] = [];
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    finish(ws, r, runArgv(r.command, box, Buffer.concat(chunks).toString()), false);
  };
  ws.on('message', (data: Buffer) => {
    if (data[0] === STDIN) chunks.push(data.subarray(1));
    else if (data[0] === CLOSE && data[1] === STDIN) run();
  });
  ws.on('close', run);
}

/** Run the request's command on an upgraded socket: a terminal session, a script on stdin, or at once. */
export function runSession(ws: WebSocket, r: ExecRequest, box: Sandbox): void {
  if (r.stdin && r.tty) interactive(ws, r, box);
  else if (r.stdin) withStdin(ws, r, box);
  else finish(ws, r, runArgv(r.command, box), r.tty);
}

/**
 * An upgrade to the channel protocols: the request is parsed (not ours: false), prepared — or
 * refused with a Status — before the WebSocket handshake, then served on the socket.
 */
export function channelUpgrade<R, P>(parse: (req: IncomingMessage) => R | undefined, prepare: (r: R) => Promise<P>, serve: (ws: WebSocket, r: R, prepared: P) => void): UpgradeHandler {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (offered) => EXEC_PROTOCOLS.find((p) => offered.has(p)) ?? false });
  return (req, socket, head) => {
    const r = parse(req);
    if (!r) return false;
    prepare(r).then(
      (prepared) => wss.handleUpgrade(req, socket, head, (ws) => afterFirstPong(ws, () => serve(ws, r, prepared))),
      (err: unknown) => refuse(socket, isStatusError(err) ? err : internalError(String(err))),
    );
    return true;
  };
}

/**
 * Start a session once the client has answered a ping. kubectl's WebSocket client (client-go) starts
 * its frame-reading loop while another goroutine is still registering the streams, and output that
 * arrives before its stream is known is dropped ("Unknown stream id 1, discarding message", and an
 * empty `kubectl exec` under load). A real kubelet never answers that fast — starting the process
 * takes milliseconds — but a simulated command does. The pong comes from that reading loop (RFC 6455
 * clients must answer pings), a network round trip after the client began setting up its streams.
 */
function afterFirstPong(ws: WebSocket, start: () => void): void {
  // What the client sends meanwhile (stdin) is kept and handed to the session in order.
  const early: Array<[RawData, boolean]> = [];
  const keep = (data: RawData, isBinary: boolean) => void early.push([data, isBinary]);
  ws.on('message', keep);
  ws.once('pong', () => {
    ws.off('message', keep);
    start();
    for (const [data, isBinary] of early) ws.emit('message', data, isBinary);
  });
  ws.ping();
}

/** The exec upgrade: the sandbox is prepared (or the request refused) before the WebSocket handshake. */
export function execUpgrade(ctx: ApiContext): UpgradeHandler {
  return channelUpgrade(parseRequest, (r) => prepare(ctx, r), runSession);
}
