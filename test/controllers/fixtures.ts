// Objects for controller tests: a ReplicaSet, a Deployment and pods in the states controllers care
// about. Times are virtual (2026-01-01T00:00:00Z = T0).

import type { KObject } from '../../core/object.ts';
import type { ReplicaSet } from '../../controllers/deployment/util.ts';

export const T0 = Date.UTC(2026, 0, 1);
export const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const template = (labels: Record<string, string>, image = 'nginx:1.27') => ({
  metadata: { labels },
  spec: { containers: [{ name: 'web', image }] },
});

export function replicaSet(name: string, replicas: number, extra: { uid?: string; labels?: Record<string, string>; minReadySeconds?: number; status?: ReplicaSet['status']; owner?: KObject } = {}): ReplicaSet {
  const labels = extra.labels ?? { app: 'web' };
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: extra.uid ?? `uid-${name}`,
      labels,
      resourceVersion: '5',
      generation: 1,
      creationTimestamp: at(0),
      ...(extra.owner
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: extra.owner.metadata.name!, uid: extra.owner.metadata.uid!, controller: true, blockOwnerDeletion: true }] }
        : {}),
    },
    spec: { replicas, ...(extra.minReadySeconds ? { minReadySeconds: extra.minReadySeconds } : {}), selector: { matchLabels: labels }, template: template(labels) },
    ...(extra.status ? { status: extra.status } : {}),
  };
}

export interface PodState {
  owner?: KObject;
  labels?: Record<string, string>;
  node?: string;
  phase?: string;
  /** Ready since this many seconds after T0. */
  readySince?: number;
  created?: number;
  deleting?: boolean;
}

export function pod(name: string, s: PodState = {}): KObject {
  const metadata: KObject['metadata'] = {
    name,
    namespace: 'default',
    uid: `uid-${name}`,
    resourceVersion: '3',
    creationTimestamp: at(s.created ?? 0),
    labels: s.labels ?? { app: 'web' },
  };
  if (s.owner) metadata.ownerReferences = [{ apiVersion: s.owner.apiVersion, kind: s.owner.kind, name: s.owner.metadata.name!, uid: s.owner.metadata.uid!, controller: true, blockOwnerDeletion: true }];
  if (s.deleting) metadata.deletionTimestamp = at(100);
  const status: Record<string, unknown> = { phase: s.phase ?? (s.readySince !== undefined ? 'Running' : 'Pending') };
  if (s.readySince !== undefined) status.conditions = [{ type: 'Ready', status: 'True', lastTransitionTime: at(s.readySince) }];
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec: { ...(s.node ? { nodeName: s.node } : {}), containers: [{ name: 'web', image: 'nginx:1.27' }] }, status };
}
