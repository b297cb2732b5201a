// Objects for the service, endpoints and in-pod tests: services, pods with IPs and readiness, config
// maps and secrets. Times are virtual (2026-01-01T00:00:00Z = T0).

import type { KObject } from '../../core/object.ts';

export const T0 = Date.UTC(2026, 0, 1);
export const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export function service(name: string, spec: Record<string, unknown>, extra: { ns?: string; labels?: Record<string, string> } = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: extra.ns ?? 'default', uid: `uid-svc-${name}`, resourceVersion: '2', creationTimestamp: at(0), ...(extra.labels ? { labels: extra.labels } : {}) },
    spec: { type: 'ClusterIP', sessionAffinity: 'None', ...spec },
  };
}

export interface PodOptions {
  ns?: string;
  labels?: Record<string, string>;
  ip?: string;
  node?: string;
  /** Ready since this many seconds after T0; undefined = not ready. */
  readySince?: number;
  deleting?: boolean;
  phase?: string;
  spec?: Record<string, unknown>;
  /** Container started this many seconds after T0. */
  startedAt?: number;
}

export function pod(name: string, o: PodOptions = {}): KObject {
  const conditions = [{ type: 'Ready', status: o.readySince !== undefined ? 'True' : 'False', lastTransitionTime: at(o.readySince ?? 1) }];
  const spec = o.spec ?? { containers: [{ name: 'web', image: 'traefik/whoami', ports: [{ name: 'http', containerPort: 80 }] }] };
  const containers = (spec.containers as { name: string }[]) ?? [];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: o.ns ?? 'default',
      uid: `uid-${name}`,
      resourceVersion: '3',
      creationTimestamp: at(0),
      labels: o.labels ?? { app: 'whoami' },
      ...(o.deleting ? { deletionTimestamp: at(100) } : {}),
    },
    spec: { ...(o.node ? { nodeName: o.node } : {}), ...spec },
    status: {
      phase: o.phase ?? 'Running',
      conditions,
      ...(o.ip ? { podIP: o.ip, podIPs: [{ ip: o.ip }], hostIP: '172.18.0.2' } : {}),
      containerStatuses: containers.map((c) => ({ name: c.name, ready: o.readySince !== undefined, restartCount: 0, state: { running: { startedAt: at(o.startedAt ?? 1) } } })),
    },
  };
}

export const configMap = (name: string, data: Record<string, string>, ns = 'default'): KObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns, uid: `uid-cm-${name}`, resourceVersion: '1' },
  data,
});

export const secret = (name: string, data: Record<string, string>, ns = 'default'): KObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: ns, uid: `uid-secret-${name}`, resourceVersion: '1' },
  type: 'Opaque',
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});
