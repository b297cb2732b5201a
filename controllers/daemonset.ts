// DaemonSet (k8s.io/kubernetes pkg/controller/daemon): one pod per eligible node. A node is eligible
// when the pod template's nodeSelector and required node affinity match it and no NoSchedule or
// NoExecute taint is left untolerated — counting the tolerations every daemon pod gets
// (util.AddOrUpdateDaemonPodTolerations: not-ready and unreachable NoExecute without a time limit,
// so daemon pods are never evicted from a failing node; the pressure taints and unschedulable, so
// cordon does not empty a node of its daemons).
//
// Each reconcile: claim pods by selector; record the template in a ControllerRevision (history.ts:
// `kubectl rollout history|undo ds/x`); for every eligible node without a daemon pod create one,
// pinned to the node by required node affinity on metadata.name (as the real controller does, so the
// default scheduler binds it); delete pods on nodes that are gone or no longer eligible, duplicates,
// and failed pods (recreated once gone); when nothing else is to do, take the next rolling-update
// step (daemonset-update.ts: maxUnavailable, maxSurge, OnDelete); then write the status kubectl
// shows (DESIRED CURRENT READY UP-TO-DATE AVAILABLE). A node whose pod is terminating gets its new
// pod once the old one is gone. Example: 3 nodes, one labelled disk=ssd, nodeSelector disk=ssd → desired 1.

import { deepEqual } from '../core/metadata.ts';
import type { Mutation } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import { selectorFromSpec, type LabelSelector } from '../core/selectors.ts';
import type { ReadView } from '../store/store.ts';
import { allowsSurge, rollingUpdate, surplusOnNode, type NodePods } from './daemonset-update.ts';
import { recordEvent, type EventRecord } from './events.ts';
import { reportPodFailure } from './pod-failures.ts';
import { constructHistory, CONTROLLER_REVISIONS, REVISION_HASH, templateHash, truncateHistory } from './history.ts';
import { NODES } from './nodes/node.ts';
import { untoleratedTaint, taintsOf, tolerationsOf, UNREACHABLE, UNSCHEDULABLE, type Toleration } from './nodes/taints.ts';
import { NOT_READY } from './nodes/lifecycle.ts';
import { deleteObject } from './runtime/delete.ts';
import { claim, controllerKeys } from './runtime/ownership.ts';
import { isPodAvailable, isPodReady, PODS, podFromTemplate, podPhase, podSpec, requeueForAvailability, type PodTemplate } from './runtime/pods.ts';
import { objectKey, splitKey, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from './runtime/types.ts';
import { matchesNodeSelectors } from './scheduler/filters.ts';

export const DAEMONSETS = 'apps/v1/daemonsets';
const COMPONENT = 'daemonset-controller';

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
  const { owned, writes } = claim(ds, PODS, view.list(PODS, { namespace: ns }).items, (p) => selects(p.metadata.labels));
  const hash = templateHash(ds);
  const nodes = view.list(NODES).items;
  const eligible = nodes.filter((n) => shouldRun(ds, n));
  const events: EventRecord[] = [];
  if (ds.metadata.deletionTimestamp === undefined) {
    const history = constructHistory(ds, view, { annotations: true });
    const liveHashes = new Set(owned.map((p) => p.metadata.labels?.[REVISION_HASH] ?? ''));
    writes.push(...history.writes, ...manage(ds, owned, nodes, eligible, hash, view, now, events));
    writes.push(...truncateHistory(ds, history.all, new Set([history.current.metadata.name!]), liveHashes));
  }
  writes.push(...events.map((e) => recordEvent(COMPONENT, e, now)));
  const running = owned.filter((p) => p.metadata.deletionTimestamp === undefined);
  const status = daemonStatus(ds, running, nodes, eligible, hash, now);
  if (!deepEqual(status, ds.status)) writes.push({ op: 'update', res: DAEMONSETS, object: { ...ds, status } });
  return { writes, ...requeueForAvailability(specOf(ds).minReadySeconds ?? 0, running, now) };
}

/** syncNodes: create where missing, delete where not wanted, then take a rolling-update step when nothing else is to do. */
function manage(ds: KObject, owned: KObject[], nodes: KObject[], eligible: KObject[], hash: string, view: ReadView, now: number, events: EventRecord[]): Mutation[] {
  const byNode = new Map<string, KObject[]>();
  for (const p of owned) byNode.set(targetNode(p) ?? '', [...(byNode.get(targetNode(p) ?? '') ?? []), p]);
  const wanted = new Set(eligible.map((n) => n.metadata.name!));
  const surge = allowsSurge(ds, wanted.size);
  const doomed: KObject[] = [];
  const create: string[] = [];
  const perNode: NodePods[] = [];
  for (const node of wanted) {
    const pods = (byNode.get(node) ?? []).sort((a, b) => (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? ''));
    if (pods.length === 0) create.push(node);
    const live = pods.filter((p) => p.metadata.deletionTimestamp === undefined);
    const running = live.filter((p) => podPhase(p) !== 'Failed');
    const surplus = surplusOnNode(running, hash, surge, (p) => isPodAvailable(p, specOf(ds).minReadySeconds ?? 0, now));
    doomed.push(...live.filter((p) => podPhase(p) === 'Failed'), ...surplus);
    perNode.push({ node, running: running.filter((p) => !surplus.includes(p)) });
  }
  const existing = new Set(nodes.map((n) => n.metadata.name!));
  // A pod bound to a node that is gone is PodGC's to remove (the simulated kubelet does it), not ours.
  for (const [node, pods] of byNode) {
    if (!wanted.has(node)) doomed.push(...pods.filter((p) => p.metadata.deletionTimestamp === undefined && (!podSpec(p).nodeName || existing.has(node))));
  }
  if (doomed.length === 0 && create.length === 0) {
    const step = rollingUpdate(ds, perNode, hash, now);
    doomed.push(...step.delete);
    create.push(...step.create);
  }
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

/** updateDaemonSetStatus: per eligible node, its oldest running pod decides ready, available and updated. */
function daemonStatus(ds: KObject, running: KObject[], nodes: KObject[], eligible: KObject[], hash: string, now: number): Record<string, unknown> {
  const wanted = new Set(eligible.map((n) => n.metadata.name!));
  const existing = new Set(nodes.map((n) => n.metadata.name!));
  const scheduled = running.filter((p) => podSpec(p).nodeName);
  const oldest = new Map<string, KObject>();
  for (const p of [...scheduled].sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))) {
    if (wanted.has(podSpec(p).nodeName!)) oldest.set(podSpec(p).nodeName!, p);
  }
  const first = [...oldest.values()];
  const available = first.filter((p) => isPodAvailable(p, specOf(ds).minReadySeconds ?? 0, now)).length;
  const status: Record<string, unknown> = {
    currentNumberScheduled: oldest.size,
    numberMisscheduled: scheduled.filter((p) => existing.has(podSpec(p).nodeName!) && !wanted.has(podSpec(p).nodeName!)).length,
    desiredNumberScheduled: wanted.size,
    numberReady: first.filter(isPodReady).length,
    observedGeneration: ds.metadata.generation ?? 1,
    updatedNumberScheduled: first.filter((p) => p.metadata.labels?.[REVISION_HASH] === hash).length,
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
    { res: PODS, keys: controllerKeys('DaemonSet') },
    { res: CONTROLLER_REVISIONS, keys: controllerKeys('DaemonSet') },
    { res: NODES, keys: (_e, view) => allKeys(view) },
  ],
  reconcile: reconcileDaemonSet,
  onCommitError: reportPodFailure(COMPONENT, DAEMONSETS),
});
