// Objects and a stepping helper for the simulation's unit tests (scheduler, kubelet, nodes, DaemonSet,
// StatefulSet, Job). Times are virtual: T0 = 2026-01-01T00:00:00Z, `at(s)` is T0 + s seconds.

import type { Mutation } from '../../core/events.ts';
import { clone, type KObject } from '../../core/object.ts';
import { renderWrites, resOf, viewOf } from '../../controllers/runtime/testing.ts';
import type { ReadView } from '../../store/store.ts';
import { at, T0 } from './fixtures.ts';

export { at, T0 };

export interface NodeOpts {
  cpu?: string;
  memory?: string;
  pods?: string;
  labels?: Record<string, string>;
  taints?: unknown[];
  unschedulable?: boolean;
  ready?: 'True' | 'False' | 'Unknown';
  annotations?: Record<string, string>;
  k?: number;
}

export function node(name: string, o: NodeOpts = {}): KObject {
  const allocatable = { cpu: o.cpu ?? '4', memory: o.memory ?? '16Gi', pods: o.pods ?? '110' };
  const k = o.k ?? Number(name.replace(/\D/g, '') || 1);
  const spec: Record<string, unknown> = { podCIDR: `10.244.${k}.0/24` };
  if (o.taints) spec.taints = o.taints;
  if (o.unschedulable) spec.unschedulable = true;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, uid: `uid-${name}`, resourceVersion: '2', labels: { 'kubernetes.io/hostname': name, ...o.labels }, ...(o.annotations ? { annotations: o.annotations } : {}) },
    spec,
    status: {
      capacity: allocatable,
      allocatable,
      conditions: [{ type: 'Ready', status: o.ready ?? 'True', reason: 'KubeletReady', lastHeartbeatTime: at(0), lastTransitionTime: at(0) }],
      addresses: [{ type: 'InternalIP', address: `172.18.0.${k + 1}` }],
    },
  };
}

export interface PodOpts {
  node?: string;
  cpu?: string;
  memory?: string;
  schedulerName?: string;
  owner?: KObject;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  phase?: string;
}

export function simPod(name: string, o: PodOpts = {}): KObject {
  const requests: Record<string, string> = {};
  if (o.cpu) requests.cpu = o.cpu;
  if (o.memory) requests.memory = o.memory;
  const container = { name: 'web', image: 'nginx:1.27', ...(o.cpu || o.memory ? { resources: { requests } } : {}) };
  const metadata: KObject['metadata'] = { name, namespace: 'default', uid: `uid-${name}`, resourceVersion: '3', creationTimestamp: at(0), labels: o.labels ?? { app: 'web' } };
  if (o.annotations) metadata.annotations = o.annotations;
  if (o.owner) metadata.ownerReferences = [{ apiVersion: o.owner.apiVersion, kind: o.owner.kind, name: o.owner.metadata.name!, uid: o.owner.metadata.uid!, controller: true, blockOwnerDeletion: true }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec: { containers: [container], restartPolicy: 'Always', schedulerName: o.schedulerName ?? 'default-scheduler', ...(o.node ? { nodeName: o.node } : {}), ...o.spec },
    status: { phase: o.phase ?? 'Pending', ...o.status },
  };
}

/** The objects after `writes` (patches applied, deletes removed); Events are left out unless asked for. */
export function applyWrites(objects: KObject[], writes: Mutation[], keepEvents = false): KObject[] {
  let out = objects.map(clone);
  const view = viewOf(out);
  const key = (res: string, ns: string, name: string) => `${res}|${ns}|${name}`;
  for (const r of renderWrites(writes, view)) {
    if (r.res === 'v1/events' && !keepEvents) continue;
    const idx = out.findIndex((o) => key(resOf(o), o.metadata.namespace ?? '', o.metadata.name!) === key(r.res, r.ns, r.name));
    if (r.op === 'delete') out = out.filter((_, i) => i !== idx);
    else if (idx >= 0) out[idx] = r.object!;
    else out.push({ ...r.object!, metadata: { uid: `uid-${r.name}`, ...r.object!.metadata } });
  }
  return out;
}

/** Reasons and messages of the Event writes among `writes` (as "Reason: message"). */
export function eventsOf(writes: Mutation[], view: ReadView): string[] {
  return renderWrites(writes, view)
    .filter((w) => w.res === 'v1/events')
    .map((w) => `${w.object!.reason}: ${w.object!.message}`);
}

/** The writes other than Events, rendered. */
export function objectWrites(writes: Mutation[], view: ReadView) {
  return renderWrites(writes, view).filter((w) => w.res !== 'v1/events');
}
