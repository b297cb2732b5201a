// What the log and exec subresources share: finding the pod and container a request names, with
// the apiserver's and kubelet's refusals word for word, and the sandbox a command runs in — the
// environment from the cluster at container start, mounted files from `sync delay` ago, DNS and
// routes from now (controllers/container/sandbox.ts).

import { badRequest, notFound } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { containerOf, containersOf, containerStatus, startedAt } from '../../controllers/container/pod.ts';
import { sandboxFor, type Sandbox } from '../../controllers/container/sandbox.ts';
import { VOLUME_SYNC_DELAY_MS } from '../../controllers/container/files.ts';
import type { ApiContext } from '../context.ts';

const PODS = 'v1/pods';

export function findPod(ctx: ApiContext, ns: string, name: string): KObject {
  const pod = ctx.store.get(PODS, ns, name);
  if (!pod) throw notFound({ group: '', resource: 'pods' }, name);
  return pod;
}

/**
 * The container a request means: the one named, or the only one. With several and none named,
 * the apiserver's `a container name must be specified for pod P, choose one of: [a b]`.
 */
export function pickContainer(pod: KObject, requested: string | undefined): string {
  const name = pod.metadata.name ?? '';
  const names = containersOf(pod).map((c) => c.name);
  if (requested) {
    if (!containerOf(pod, requested)) throw badRequest(`container ${requested} is not valid for pod ${name}`);
    return requested;
  }
  if (names.length === 1) return names[0];
  throw badRequest(`a container name must be specified for pod ${name}, choose one of: [${names.join(' ')}]`);
}

/** When the container's current instance started; a container not started yet is the kubelet's "waiting to start". */
export function containerStart(pod: KObject, container: string): number {
  const at = startedAt(pod, container);
  if (at !== undefined) return at;
  const reason = (containerStatus(pod, container)?.state as { waiting?: { reason?: string } } | undefined)?.waiting?.reason ?? 'ContainerCreating';
  throw badRequest(`container "${container}" in pod "${pod.metadata.name}" is waiting to start: ${reason}`);
}

/** Connections made through each server's simulated network so far: kube-proxy's round-robin turns with them. */
const connections = new WeakMap<ApiContext, { made: number }>();

function nextConnection(ctx: ApiContext): () => number {
  const count = connections.get(ctx) ?? { made: 0 };
  connections.set(ctx, count);
  return () => count.made++;
}

/**
 * The revision at which the kubelet recorded this container instance as started: the environment
 * is the cluster at that commit. (startedAt has whole seconds, so a time lookup could land before a
 * ConfigMap created in the same second; the pod's own history is exact.)
 */
async function startRevision(ctx: ApiContext, pod: KObject, container: string): Promise<number | undefined> {
  const at = startedAt(pod, container);
  const events = await ctx.store.history(PODS, pod.metadata.namespace ?? '', pod.metadata.name ?? '');
  const started = events.find((e) => e.object.metadata.uid === pod.metadata.uid && startedAt(e.object, container) === at);
  return started?.rev;
}

export async function sandboxAt(ctx: ApiContext, pod: KObject, container: string, started: number, syncDelayMs = VOLUME_SYNC_DELAY_MS): Promise<Sandbox> {
  const now = ctx.clock.now();
  const startRev = await startRevision(ctx, pod, container);
  const [envView, filesView] = await Promise.all([
    ctx.store.at(startRev ?? { time: started + 999 }),
    ctx.store.at(startRev !== undefined && now - syncDelayMs < started + 1000 ? startRev : { time: Math.max(started, now - syncDelayMs) }),
  ]);
  return sandboxFor(pod, container, { envView, filesView, view: ctx.store, now, nextConnection: nextConnection(ctx) });
}
