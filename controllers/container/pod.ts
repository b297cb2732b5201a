// The parts of a Pod the in-container simulation reads: its containers (init and ephemeral containers
// included, as `kubectl logs -c`, `exec -c` and `attach -c` accept them) and when a container started.

import type { KObject } from '../../core/object.ts';

export interface Container {
  name: string;
  image?: string;
  command?: string[];
  args?: string[];
  env?: unknown[];
  envFrom?: unknown[];
  ports?: { name?: string; containerPort?: number; protocol?: string }[];
  volumeMounts?: { name: string; mountPath: string; subPath?: string; readOnly?: boolean }[];
  resources?: { limits?: Record<string, string>; requests?: Record<string, string> };
}

interface ContainerStatus {
  name: string;
  restartCount?: number;
  state?: { running?: { startedAt?: string }; terminated?: { startedAt?: string; finishedAt?: string; exitCode?: number } };
  lastState?: { terminated?: { startedAt?: string; finishedAt?: string; exitCode?: number } };
}

export function containersOf(pod: KObject): Container[] {
  const spec = (pod.spec ?? {}) as { containers?: Container[] };
  return spec.containers ?? [];
}

export function containerOf(pod: KObject, name: string): Container | undefined {
  const spec = (pod.spec ?? {}) as { containers?: Container[]; initContainers?: Container[]; ephemeralContainers?: Container[] };
  return [...(spec.containers ?? []), ...(spec.initContainers ?? []), ...(spec.ephemeralContainers ?? [])].find((c) => c.name === name);
}

/**
 * The hostname its containers see (GeneratePodHostNameAndDomain): the node's for a pod on the host
 * network (`kubectl debug node/NAME`), else spec.hostname, else the pod's name.
 */
export function podHostname(pod: KObject): string {
  const spec = (pod.spec ?? {}) as { hostname?: string; hostNetwork?: boolean; nodeName?: string };
  if (spec.hostNetwork && spec.nodeName) return spec.nodeName;
  return spec.hostname ?? pod.metadata.name ?? '';
}

/** An ephemeral (debug) container of the pod, rather than one of its own. */
export function isEphemeral(pod: KObject, name: string): boolean {
  return ((pod.spec as { ephemeralContainers?: Container[] } | undefined)?.ephemeralContainers ?? []).some((c) => c.name === name);
}

export function containerStatus(pod: KObject, name: string): ContainerStatus | undefined {
  const status = (pod.status ?? {}) as { containerStatuses?: ContainerStatus[]; initContainerStatuses?: ContainerStatus[]; ephemeralContainerStatuses?: ContainerStatus[] };
  return [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? []), ...(status.ephemeralContainerStatuses ?? [])].find((c) => c.name === name);
}

/** When the current instance of the container started (ms), from its running or terminated state. */
export function startedAt(pod: KObject, name: string): number | undefined {
  const state = containerStatus(pod, name)?.state;
  const text = state?.running?.startedAt ?? state?.terminated?.startedAt;
  const ms = text ? Date.parse(text) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}
