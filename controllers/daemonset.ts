// DaemonSet (k8s.io/kubernetes pkg/controller/daemon): one pod per eligible node. A node is eligible
// when the pod template's nodeSelector and required node affinity match it and no NoSchedule or
// NoExecute taint is left untolerated — counting the tolerations every daemon pod gets
// (util.AddOrUpdateDaemonPodTolerations: not-ready and unreachable NoExecute without a time limit,
// so daemon pods are never evicted from a failing node; the pressure taints and unschedulable, so
// cordon does not empty a node of its daemons).
//
// Each reconcile: claim pods by selector; for every eligible node without a daemon pod create one,
// pinned to the node by required node affinity on metadata.name (as the real controller does, so the
// default scheduler binds it); delete pods on nodes that are gone or no longer eligible, duplicates,
// and failed pods (recreated next time); roll pods of an older template one at a time
// (RollingUpdate, maxUnavailable 1); then write the status kubectl shows (DESIRED CURRENT READY
// UP-TO-DATE AVAILABLE). Example: 3 nodes, one labelled disk=ssd, nodeSelector disk=ssd → desired 1.

import { deepEqual } from '../core/metadata.ts';
import type { Mutation } from '../core/events.ts';
import { podTemplateHash } from '../core/hash.ts';
import type { KObject } from '../core/object.ts';
import { selectorFromSpec, type LabelSelector } from '../core/selectors.ts';
import type { ReadView } from '../store/store.ts';
import { recordEvent, type EventRecord } from './events.ts';
import { NODES } from './nodes/node.ts';
import { untoleratedTaint, taintsOf, tolerationsOf, UNREACHABLE, UNSCHEDULABLE, type Toleration } from './nodes/taints.ts';
import { NOT_READY } from './nodes/lifecycle.ts';
import { deleteObject } from './runtime/delete.ts';
import { claim } from './runtime/ownership.ts';
import { controllerOf, isPodAvailable, isPodReady, PODS, podFromTemplate, podPhase, podSpec, type PodTemplate } from './runtime/pods.ts';
import { objectKey, splitKey, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from './runtime/types.ts';
import { matchesNodeSelectors } from './scheduler/filters.ts';

export const DAEMONSETS = 'apps/v1/daemonsets';
const COMPONENT = 'daemonset-controller';
/** The label carrying the hash of the template a daemon or stateful pod was made from. */
export const REVISION_HASH = 'controller-revision-hash';

interface DaemonSetSpec {
  selector?: LabelSelector;
  template?: PodTemplate;
  minReadySeconds?: number;
}

const specOf = (ds: KObject) => (ds.spec ?? {}) as DaemonSetSpec;

const DAEMON_TOLERATIONS: Toleration[] = [
  { key: NOT_READY, operator: 'Exists', effect: 'NoExecute' },
  { key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: UNSCHEDULABLE, operator: 'Exists', effect: 'NoSchedule' },
];

/** The template's tolerations plus the daemon ones it does not already have. */
function daemonTolerations(template: PodTemplate): Toleration[] {
  const own = ((template.spec ?? {}) as { tolerations?: Toleration[] }).tolerations ?? [];
  return [...own, ...DAEMON_TOLERATIONS.filter((d) => !own.some((t) => t.key === d.key && t.effect === d.effect))];
}

/** The pod the DaemonSet runs on `node`, before naming (NewPod plus the node affinity pin). */
function daemonPod(ds: KObject, hash: string, node: string, view: ReadView, index: number): KObject {
  const template = specOf(ds).template ?? {};
  const pod = podFromTemplate(template, ds, view, index);
  pod.metadata.labels = { ...pod.metadata.labels, [REVISION_HASH]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) };
  const terms = [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [node] }] }];
  pod.spec = { ...(pod.spec as object), tolerations: daemonTolerations(template), affinity: { ...((pod.spec as { affinity?: object }).affinity ?? {}), nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: terms } } } };
  return pod;
}

/** nodeShouldRunDaemonPod: selectors match and every NoSchedule/NoExecute taint is tolerated. */
export function shouldRun(ds: KObject, node: KObject): boolean {
  const template = specOf(ds).template ?? {};
  const probe: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { ...template.spec, tolerations: daemonTolerations(template) } };
  return matchesNodeSelectors(probe, node) && !untoleratedTaint(taintsOf(node), tolerationsOf(probe), ['NoSchedule', 'NoExecute']);
}

/** The node a daemon pod is for: where it is bound, or where its affinity pins it. */
function targetNode(pod: KObject): string | undefined {
  if (podSpec(pod).nodeName) return podSpec(pod).nodeName;
  const spec = pod.spec as { affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: { matchFields?: { values?: string[] }[] }[] } } } };
  return spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
}

export function reconcileDaemonSet(key: Key, { view, now }: ReconcileContext): ReconcileResult {
  const { ns, name } = splitKey(key);
  const ds = view.get(DAEMONSETS, ns, name);
  if (!ds) return { writes: [] };
  const selects = selectorFromSpec(specOf(ds).selector);
  const candidates = view.list(PODS, { namespace: ns, filter: (p) => p.metadata.deletionTimestamp === undefined }).items;
  const { owned, writes } = claim(ds, PODS, candidates, (p) => selects(p.metadata.labels));
  const hash = podTemplateHash(specOf(ds).template ?? {});
  const nodes = view.list(NODES).items;
  const eligible = nodes.filter((n) => shouldRun(ds, n));
  const events: EventRecord[] = [];
  if (ds.metadata.deletionTimestamp === undefined) writes.push(...manage(ds, owned, nodes, eligible, hash, view, now, events));
  writes.push(...events.map((e) => recordEvent(COMPONENT, e, now)));
  const status = daemonStatus(ds, owned, nodes, eligible, hash, now);
  if (!deepEqual(status, ds.status)) writes.push({ op: 'update', res: DAEMONSETS, object: { ...ds, status } });
  return { writes };
}

/** syncNodes: create where missing, delete where not wanted, then roll one outdated pod if all are available. */
function manage(ds: KObject, owned: KObject[], nodes: KObject[], eligible: KObject[], hash: string, view: ReadView, now: number, events: EventRecord[]): Mutation[] {
  const byNode = new Map<string, KObject[]>();
  for (const p of owned) byNode.set(targetNode(p) ?? '', [...(byNode.get(targetNode(p) ?? '') ?? []), p]);
  const wanted = new Set(eligible.map((n) => n.metadata.name!));
  const doomed: KObject[] = [];
  const create: string[] = [];
  for (const node of wanted) {
    const pods = (byNode.get(node) ?? []).sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    const failed = pods.filter((p) => podPhase(p) === 'Failed');
    const alive = pods.filter((p) => podPhase(p) !== 'Failed');
    doomed.push(...failed, ...alive.slice(1));
    if (alive.length === 0) create.push(node);
  }
  const existing = new Set(nodes.map((n) => n.metadata.name!));
  // A pod bound to a node that is gone is PodGC's to remove (the simulated kubelet does it), not ours.
  for (const [node, pods] of byNode) if (!wanted.has(node)) doomed.push(...pods.filter((p) => !podSpec(p).nodeName || existing.has(node)));
  if (doomed.length === 0 && create.length === 0) doomed.push(...outdatedToRoll(owned, hash, ds, now));
  const writes: Mutation[] = [];
  create.forEach((node, i) => {
    const pod = daemonPod(ds, hash, node, view, i);
    events.push({ object: ds, type: 'Normal', reason: 'SuccessfulCreate', message: `Created pod: ${pod.metadata.name}` });
    writes.push({ op: 'create', res: PODS, object: pod });
  });
  for (const p of doomed) {
    events.push({ object: ds, type: 'Normal', reason: 'SuccessfulDelete', message: `Deleted pod: ${p.metadata.name}` });
    writes.push(deleteObject(PODS, p, now));
  }
  return writes;
}

/** RollingUpdate with maxUnavailable 1: replace one pod of an older template, only while every pod is available. */
function outdatedToRoll(owned: KObject[], hash: string, ds: KObject, now: number): KObject[] {
  if ((ds.spec as { updateStrategy?: { type?: string } }).updateStrategy?.type === 'OnDelete') return [];
  if (!owned.every((p) => isPodAvailable(p, specOf(ds).minReadySeconds ?? 0, now))) return [];
  const old = owned.find((p) => p.metadata.labels?.[REVISION_HASH] !== hash);
  return old ? [old] : [];
}

function daemonStatus(ds: KObject, owned: KObject[], nodes: KObject[], eligible: KObject[], hash: string, now: number): Record<string, unknown> {
  const wanted = new Set(eligible.map((n) => n.metadata.name!));
  const existing = new Set(nodes.map((n) => n.metadata.name!));
  const scheduled = owned.filter((p) => podSpec(p).nodeName);
  const onWanted = scheduled.filter((p) => wanted.has(podSpec(p).nodeName!));
  const ready = onWanted.filter(isPodReady).length;
  const available = onWanted.filter((p) => isPodAvailable(p, specOf(ds).minReadySeconds ?? 0, now)).length;
  const status: Record<string, unknown> = {
    currentNumberScheduled: new Set(onWanted.map((p) => podSpec(p).nodeName)).size,
    numberMisscheduled: scheduled.filter((p) => existing.has(podSpec(p).nodeName!) && !wanted.has(podSpec(p).nodeName!)).length,
    desiredNumberScheduled: wanted.size,
    numberReady: ready,
    observedGeneration: ds.metadata.generation ?? 1,
    updatedNumberScheduled: onWanted.filter((p) => p.metadata.labels?.[REVISION_HASH] === hash).length,
  };
  if (available) status.numberAvailable = available;
  if (wanted.size - available > 0) status.numberUnavailable = wanted.size - available;
  return status;
}

const allKeys = (view: ReadView): Key[] => view.list(DAEMONSETS).items.map((d) => objectKey(d.metadata.namespace ?? '', d.metadata.name!));

export const daemonSetController: ControllerFactory = (): Controller => ({
  name: 'daemonset',
  watches: [
    { res: DAEMONSETS, keys: (e) => [objectKey(e.ns, e.name)] },
    { res: PODS, keys: (e) => (controllerOf(e.object)?.kind === 'DaemonSet' ? [objectKey(e.ns, controllerOf(e.object)!.name)] : []) },
    { res: NODES, keys: (_e, view) => allKeys(view) },
  ],
  reconcile: reconcileDaemonSet,
});
