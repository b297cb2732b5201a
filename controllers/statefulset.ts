// StatefulSet (k8s.io/kubernetes pkg/controller/statefulset): pods with stable identities
// `<name>-0 … <name>-(N-1)`, each with hostname = its name, subdomain = spec.serviceName, the label
// statefulset.kubernetes.io/pod-name (so a Service can select one pod) and its own
// PersistentVolumeClaims `<claim>-<name>-<ordinal>` from volumeClaimTemplates, which outlive the pod
// (retention policy Retain) so a rescheduled pod finds its data again.
//
// podManagementPolicy OrderedReady (the default): pod i+1 is created only when pods 0…i are Running
// and Ready; scaling down removes the highest ordinal first, one at a time, and only while all the
// others are Running and Ready; a failed pod is deleted and recreated under the same name. Parallel
// creates and deletes without waiting. RollingUpdate replaces pods of an older template from the
// highest ordinal down to spec.updateStrategy.rollingUpdate.partition, one at a time; a pod below the
// partition that has to be (re)created gets the current revision's template, not the new one.
// Each template is a ControllerRevision (history.ts); status.updateRevision names the newest,
// status.currentRevision the one all pods ran before the update, and each pod's
// controller-revision-hash label names its own (`kubectl rollout history|undo|status sts/x`).
// Example: replicas 3 → web-0 created; web-0 Ready → web-1 created; web-1 Ready → web-2 created.

import { deepEqual } from '../core/metadata.ts';
import type { Mutation } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import { selectorFromSpec, type LabelSelector } from '../core/selectors.ts';
import type { ReadView } from '../store/store.ts';
import { recordEvent, type EventRecord } from './events.ts';
import { constructHistory, CONTROLLER_REVISIONS, REVISION_HASH, revisionTemplate, templateHash, truncateHistory, type History } from './history.ts';
import { deleteObject } from './runtime/delete.ts';
import { claim, controllerKeys } from './runtime/ownership.ts';
import { controllerRef, isPodAvailable, isPodReady, PODS, podPhase, type PodTemplate } from './runtime/pods.ts';
import { objectKey, splitKey, type CommitFailure, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from './runtime/types.ts';

export const STATEFULSETS = 'apps/v1/statefulsets';
export const PVCS = 'v1/persistentvolumeclaims';
const COMPONENT = 'statefulset-controller';
export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

interface StatefulSetSpec {
  replicas?: number;
  selector?: LabelSelector;
  template?: PodTemplate;
  serviceName?: string;
  podManagementPolicy?: string;
  minReadySeconds?: number;
  updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  volumeClaimTemplates?: KObject[];
}

const specOf = (s: KObject) => (s.spec ?? {}) as StatefulSetSpec;

/** The revisions a reconcile works with: names (the pods' label values) and the current template when it differs. */
interface Revisions {
  update: string;
  current: string;
  currentTemplate?: PodTemplate;
}

/** getStatefulSetRevisions: the update revision is the template's; the current one is status.currentRevision while it exists. */
function revisionsOf(set: KObject, history: History | undefined): Revisions {
  const update = history?.current.metadata.name ?? `${set.metadata.name}-${templateHash(set)}`;
  const named = (set.status as { currentRevision?: string } | undefined)?.currentRevision;
  const current = named ? history?.all.find((r) => r.metadata.name === named) : undefined;
  if (!current || named === update) return { update, current: update };
  return { update, current: named!, currentTemplate: revisionTemplate(current) };
}

/** The ordinal of a pod named `<set>-<n>`, or undefined for any other name. */
export function ordinalOf(set: KObject, pod: KObject): number | undefined {
  const m = /^(.*)-(\d+)$/.exec(pod.metadata.name ?? '');
  return m && m[1] === set.metadata.name ? Number(m[2]) : undefined;
}

const isRunningAndReady = (p: KObject) => podPhase(p) === 'Running' && isPodReady(p) && p.metadata.deletionTimestamp === undefined;

/** `<claim>-<set>-<ordinal>`, the name that ties a claim to one identity for good. */
export const claimName = (template: KObject, set: KObject, ordinal: number) => `${template.metadata.name}-${set.metadata.name}-${ordinal}`;

export function reconcileStatefulSet(key: Key, { view, now }: ReconcileContext): ReconcileResult {
  const { ns, name } = splitKey(key);
  const set = view.get(STATEFULSETS, ns, name);
  if (!set) return { writes: [] };
  const selects = selectorFromSpec(specOf(set).selector);
  const candidates = view.list(PODS, { namespace: ns }).items;
  const { owned, writes } = claim(set, PODS, candidates, (p) => selects(p.metadata.labels) && ordinalOf(set, p) !== undefined);
  const history = set.metadata.deletionTimestamp === undefined ? constructHistory(set, view) : undefined;
  const revs = revisionsOf(set, history);
  const events: EventRecord[] = [];
  if (history) {
    writes.push(...history.writes, ...manage(set, owned, revs, view, now, events));
    const live = new Set([revs.update, revs.current, ...owned.map((p) => p.metadata.labels?.[REVISION_HASH] ?? '')]);
    writes.push(...truncateHistory(set, history.all, live, new Set()));
  }
  writes.push(...events.map((e) => recordEvent(COMPONENT, e, now)));
  const status = setStatus(set, owned, revs.update, now);
  if (!deepEqual(status, set.status)) writes.push({ op: 'update', res: STATEFULSETS, object: { ...set, status } });
  return { writes };
}

/** The one next step (OrderedReady) or all steps (Parallel) toward spec.replicas and the current template. */
function manage(set: KObject, owned: KObject[], revs: Revisions, view: ReadView, now: number, events: EventRecord[]): Mutation[] {
  const spec = specOf(set);
  const replicas = spec.replicas ?? 1;
  const parallel = spec.podManagementPolicy === 'Parallel';
  const byOrdinal = new Map(owned.map((p) => [ordinalOf(set, p)!, p]));
  const writes: Mutation[] = [];
  for (let i = 0; i < replicas; i++) {
    const pod = byOrdinal.get(i);
    if (!pod) {
      writes.push(...createPod(set, i, revs, view, events));
      if (!parallel) return writes;
    } else if (podPhase(pod) === 'Failed' && pod.metadata.deletionTimestamp === undefined) {
      writes.push(deletePod(set, pod, now, events));
      if (!parallel) return writes;
    } else if (!parallel && !isRunningAndReady(pod)) return writes;
  }
  const surplus = [...byOrdinal].filter(([i, p]) => i >= replicas && p.metadata.deletionTimestamp === undefined).sort((a, b) => b[0] - a[0]);
  if (surplus.length > 0) {
    if (!parallel && owned.some((p) => p.metadata.deletionTimestamp !== undefined)) return writes;
    return [...writes, ...(parallel ? surplus : surplus.slice(0, 1)).map(([, p]) => deletePod(set, p, now, events))];
  }
  return [...writes, ...rollOne(set, byOrdinal, revs.update, now, events)];
}

/** RollingUpdate: the highest-ordinal pod of an older template at or above the partition, when all pods are Running and Ready. */
function rollOne(set: KObject, byOrdinal: Map<number, KObject>, revision: string, now: number, events: EventRecord[]): Mutation[] {
  const strategy = specOf(set).updateStrategy;
  if (strategy?.type === 'OnDelete' || ![...byOrdinal.values()].every(isRunningAndReady)) return [];
  const partition = partitionOf(set);
  const outdated = [...byOrdinal].filter(([i, p]) => i >= partition && p.metadata.labels?.[REVISION_HASH] !== revision).sort((a, b) => b[0] - a[0]);
  return outdated.length > 0 ? [deletePod(set, outdated[0][1], now, events)] : [];
}

/** Pods below this ordinal keep the current revision during a RollingUpdate. */
const partitionOf = (set: KObject) => (specOf(set).updateStrategy?.type === 'OnDelete' ? 0 : (specOf(set).updateStrategy?.rollingUpdate?.partition ?? 0));

function createPod(set: KObject, ordinal: number, revs: Revisions, view: ReadView, events: EventRecord[]): Mutation[] {
  const spec = specOf(set);
  const name = `${set.metadata.name}-${ordinal}`;
  const ns = set.metadata.namespace ?? '';
  const claims = (spec.volumeClaimTemplates ?? []).map((t) => ({ template: t, name: claimName(t, set, ordinal) }));
  const writes: Mutation[] = [];
  for (const c of claims.filter((c) => !view.get(PVCS, ns, c.name))) {
    writes.push({ op: 'create', res: PVCS, object: newClaim(set, c.template, c.name) });
    events.push({ object: set, type: 'Normal', reason: 'SuccessfulCreate', message: `create Claim ${c.name} Pod ${name} in StatefulSet ${set.metadata.name} success` });
  }
  const keepCurrent = revs.currentTemplate !== undefined && ordinal < partitionOf(set);
  const [template, revision] = keepCurrent ? [revs.currentTemplate!, revs.current] : [specOf(set).template ?? {}, revs.update];
  writes.push({ op: 'create', res: PODS, object: newPod(set, ordinal, template, revision, claims) });
  events.push({ object: set, type: 'Normal', reason: 'SuccessfulCreate', message: `create Pod ${name} in StatefulSet ${set.metadata.name} successful` });
  return writes;
}

function deletePod(set: KObject, pod: KObject, now: number, events: EventRecord[]): Mutation {
  events.push({ object: set, type: 'Normal', reason: 'SuccessfulDelete', message: `delete Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful` });
  return deleteObject(PODS, pod, now);
}

/** newVersionedStatefulSetPod: identity labels, hostname/subdomain, and the claims as volumes. */
function newPod(set: KObject, ordinal: number, template: PodTemplate, revision: string, claims: { template: KObject; name: string }[]): KObject {
  const spec = specOf(set);
  const name = `${set.metadata.name}-${ordinal}`;
  const labels = { ...template.metadata?.labels, [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [REVISION_HASH]: revision };
  const podSpec = structuredClone(template.spec ?? {}) as { volumes?: { name: string }[] } & Record<string, unknown>;
  const volumes = (podSpec.volumes ?? []).filter((v) => !claims.some((c) => c.template.metadata.name === v.name));
  podSpec.volumes = [...volumes, ...claims.map((c) => ({ name: c.template.metadata.name!, persistentVolumeClaim: { claimName: c.name } }))];
  if (podSpec.volumes.length === 0) delete podSpec.volumes;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: set.metadata.namespace,
      labels,
      ...(template.metadata?.annotations ? { annotations: { ...template.metadata.annotations } } : {}),
      ownerReferences: [controllerRef(set)],
    },
    spec: { ...podSpec, hostname: name, ...(spec.serviceName ? { subdomain: spec.serviceName } : {}) },
  };
}

/** A claim from a volumeClaimTemplate: its labels plus the set's selector labels, no owner (Retain). */
function newClaim(set: KObject, template: KObject, name: string): KObject {
  const selectorLabels = specOf(set).selector?.matchLabels ?? {};
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, namespace: set.metadata.namespace, labels: { ...template.metadata.labels, ...selectorLabels } },
    spec: structuredClone(template.spec ?? {}),
  };
}

function setStatus(set: KObject, owned: KObject[], revision: string, now: number): Record<string, unknown> {
  const live = owned.filter((p) => p.metadata.deletionTimestamp === undefined);
  const updated = live.filter((p) => p.metadata.labels?.[REVISION_HASH] === revision).length;
  const ready = live.filter(isPodReady).length;
  const previous = (set.status ?? {}) as { currentRevision?: string };
  // completeRollingUpdate: the update revision becomes current once every pod runs it and is ready.
  const current = updated === live.length && ready === live.length ? revision : (previous.currentRevision ?? revision);
  return {
    observedGeneration: set.metadata.generation ?? 1,
    replicas: live.length,
    readyReplicas: ready,
    currentReplicas: live.filter((p) => p.metadata.labels?.[REVISION_HASH] === current).length,
    updatedReplicas: updated,
    currentRevision: current,
    updateRevision: revision,
    collisionCount: 0,
    availableReplicas: live.filter((p) => isPodAvailable(p, specOf(set).minReadySeconds ?? 0, now)).length,
  };
}

/** onCommitError, as recordPodEvent words a refused pod write: "create Pod web-0 in StatefulSet web failed error: …". */
function reportFailure(key: Key, { error, writes }: CommitFailure, { view, now }: ReconcileContext): Mutation[] {
  const { ns, name } = splitKey(key);
  const set = view.get(STATEFULSETS, ns, name);
  const w = writes.find((m) => m.res === PODS);
  if (!set || !w) return [];
  const [verb, pod] = w.op === 'create' || w.op === 'update' ? ['create', w.object.metadata.name] : ['delete', w.name];
  const message = `${verb} Pod ${pod} in StatefulSet ${name} failed error: ${error.message}`;
  return [recordEvent(COMPONENT, { object: set, type: 'Warning', reason: verb === 'create' ? 'FailedCreate' : 'FailedDelete', message }, now)];
}

export const statefulSetController: ControllerFactory = (): Controller => ({
  name: 'statefulset',
  watches: [
    { res: STATEFULSETS, keys: (e) => [objectKey(e.ns, e.name)] },
    { res: PODS, keys: controllerKeys('StatefulSet') },
    { res: CONTROLLER_REVISIONS, keys: controllerKeys('StatefulSet') },
  ],
  reconcile: reconcileStatefulSet,
  onCommitError: reportFailure,
});
