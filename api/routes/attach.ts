// `kubectl attach`, `kubectl run -i[t]` and `kubectl debug -it` over WebSocket: GET
// …/pods/P/attach?container=C&stdin&stdout&stderr&tty, framed as exec is (exec.ts). Attaching joins
// the container's own process, so what runs is the container's command (then args, over the image's
// defaults: controllers/container/image.ts): a shell started with stdin open (`kubectl run -it debug
// --image=busybox -- sh`) takes the typed lines — or, without a terminal, the script piped in — as
// exec's sessions do, and when it exits the container has ended: that run's length and code are
// recorded on the pod as the simulation's exit-after/exit-code (controllers/kubelet/behaviour.ts) by
// the kubelet, so the pod ends Succeeded or Failed and `kubectl run --rm` can collect it. With
// restartPolicy Always the kubelet would start the shell again, waiting on stdin as before, so
// nothing is recorded. An ephemeral (debug) container is never restarted: its end is always recorded,
// for it alone (controllers/kubelet/ephemeral.ts), and the pod runs on. Any other process prints
// nothing new here (its output is `kubectl logs`); the stream stays open until the client leaves.

import type { IncomingMessage } from 'node:http';
import type { WebSocket } from 'ws';
import { badRequest } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { processArgv } from '../../controllers/container/image.ts';
import { containerOf, isEphemeral } from '../../controllers/container/pod.ts';
import { SIM } from '../../controllers/kubelet/behaviour.ts';
import { exitAfterKey, exitCodeKey } from '../../controllers/kubelet/ephemeral.ts';
import type { Sandbox } from '../../controllers/container/sandbox.ts';
import type { ApiContext } from '../context.ts';
import { channelUpgrade, podStreamRequest, runSession, type ExecRequest } from './exec.ts';
import { containerStart, findPod, pickContainer, sandboxAt } from './in-pod.ts';
import type { UpgradeHandler } from './upgrade.ts';

const ATTACH_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/attach$/;
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);

interface Attached {
  request: ExecRequest;
  box: Sandbox;
  /** The container's process reads stdin as a shell. */
  shell: boolean;
}

const parseRequest = (req: IncomingMessage) => podStreamRequest(req, ATTACH_PATH)?.stream;

/**
 * The annotations recording that `container`'s process ended `ranMs` after it started, with `code`:
 * a debug container's own, or the pod's (whose containers then all end); none when it would restart.
 */
function exitAnnotations(pod: KObject, container: string, ranMs: number, code: number): Record<string, string> | undefined {
  if (isEphemeral(pod, container)) return { [exitAfterKey(container)]: `${ranMs}ms`, [exitCodeKey(container)]: String(code) };
  const restarts = (pod.spec as { restartPolicy?: string } | undefined)?.restartPolicy ?? 'Always';
  return restarts === 'Always' ? undefined : { [`${SIM}exit-after`]: `${ranMs}ms`, [`${SIM}exit-code`]: String(code) };
}

/** The write recording the process's end on the pod, as its kubelet. */
async function recordExit(ctx: ApiContext, pod: KObject, annotations: Record<string, string>): Promise<void> {
  const apply = (p: KObject): KObject => ({ ...p, metadata: { ...p.metadata, annotations: { ...p.metadata.annotations, ...annotations } } });
  const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '';
  await ctx.store.commit([{ op: 'patch', res: 'v1/pods', ns: pod.metadata.namespace ?? '', name: pod.metadata.name ?? '', apply }], { actor: { kind: 'kubelet', name: node } });
}

async function prepare(ctx: ApiContext, r: Omit<ExecRequest, 'command'>): Promise<Attached> {
  const pod = findPod(ctx, r.ns, r.pod);
  const container = pickContainer(pod, r.container);
  const phase = (pod.status as { phase?: string } | undefined)?.phase;
  if (phase !== 'Running') throw badRequest(`unable to upgrade connection: container ${container} not found in pod ${r.pod}_${r.ns}`);
  const started = containerStart(pod, container);
  const c = containerOf(pod, container);
  const command = c ? processArgv(c) : [];
  const shell = SHELLS.has(command[0]?.split('/').pop() ?? '') && command[1] !== '-c';
  const onExit = (code: number) => {
    const annotations = exitAnnotations(pod, container, ctx.clock.now() - started, code);
    if (annotations) void recordExit(ctx, pod, annotations).catch(() => undefined);
  };
  return { request: { ...r, command, onExit }, box: await sandboxAt(ctx, pod, container, started), shell };
}

function serve(ws: WebSocket, _r: unknown, a: Attached): void {
  if (a.shell && a.request.stdin) runSession(ws, a.request, a.box);
}

/** The attach upgrade: the container is found (or the request refused) before the WebSocket handshake. */
export function attachUpgrade(ctx: ApiContext): UpgradeHandler {
  return channelUpgrade(parseRequest, (r) => prepare(ctx, r), serve);
}
