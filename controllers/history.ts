// ControllerRevisions: the template history of DaemonSets and StatefulSets (k8s.io/kubernetes
// pkg/controller/history, and constructHistory / cleanupHistory / truncateHistory of the daemon and
// statefulset controllers). Each distinct pod template an owner has had is one ControllerRevision:
//
//   name      <owner>-<hash of the template>       (the same template gives the same name again)
//   labels    the template's labels + controller-revision-hash: <hash>  (kubectl finds revisions by
//             the owner's selector, then keeps those the owner controls)
//   data      getPatch: {"spec":{"template":{…the template…,"$patch":"replace"}}}, keys sorted as Go's
//             json.Marshal of a map writes them — `kubectl rollout undo` sends it back to the owner
//             as a strategic merge patch, and compares it byte for byte to skip a no-op undo
//   revision  1, 2, 3… ; a template that comes back (an undo) takes the next number again
//
// Example: ds "fluentd" with image v1 → fluentd-<h1> revision 1; set image v2 → fluentd-<h2>
// revision 2; `rollout undo` → fluentd-<h1> becomes revision 3. Old revisions beyond
// spec.revisionHistoryLimit (default 10) are deleted, oldest first, unless a pod still runs them.

import type { Mutation } from '../core/events.ts';
import { canonicalJson, podTemplateHash } from '../core/hash.ts';
import type { KObject } from '../core/object.ts';
import { selectorFromSpec, type LabelSelector } from '../core/selectors.ts';
import type { ReadView } from '../store/store.ts';
import { claim } from './runtime/ownership.ts';
import { controllerRef, type PodTemplate } from './runtime/pods.ts';

export const CONTROLLER_REVISIONS = 'apps/v1/controllerrevisions';
/** The label carrying the hash of the template a revision, a daemon pod or a stateful pod was made from. */
export const REVISION_HASH = 'controller-revision-hash';

export type Revision = KObject & { data?: unknown; revision?: number };

interface OwnerSpec {
  selector?: LabelSelector;
  template?: PodTemplate;
  revisionHistoryLimit?: number;
}

const specOf = (o: KObject) => (o.spec ?? {}) as OwnerSpec;

/** Object keys sorted at every level, as Go's json.Marshal writes a map[string]interface{}. */
function sortKeys(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(sortKeys);
  const o = v as Record<string, unknown>;
  return Object.fromEntries(Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => [k, sortKeys(o[k])]));
}

/** getPatch: the revision data of an owner's current template. */
export function revisionData(owner: KObject): Record<string, unknown> {
  const template = structuredClone(specOf(owner).template ?? {}) as Record<string, unknown>;
  // A Go PodTemplateSpec marshals its zero creationTimestamp as null; kubectl compares bytes.
  template.metadata = { creationTimestamp: null, ...(template.metadata as object | undefined) };
  return sortKeys({ spec: { template: { ...template, $patch: 'replace' } } }) as Record<string, unknown>;
}

/** The template hash of an owner: names its revision and labels its pods. */
export function templateHash(owner: KObject): string {
  // A StatefulSet reports collisionCount 0 from the start; only a real collision (≥ 1) changes the hash.
  const collisions = (owner.status as { collisionCount?: number } | undefined)?.collisionCount;
  return podTemplateHash(specOf(owner).template ?? {}, collisions || undefined);
}

/** The template a revision holds (what the owner looked like at that revision). */
export function revisionTemplate(rev: Revision): PodTemplate {
  const template = { ...((rev.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template ?? {}) };
  delete template.$patch;
  return template as PodTemplate;
}

/**
 * controlledHistories: the revisions the owner's selector matches and the owner controls, oldest
 * revision first — adopting orphans that match (a revision left by `kubectl delete ds x
 * --cascade=orphan` belongs to the next owner of the same name and selector) and releasing its own
 * that stopped matching, as ClaimControllerRevisions does.
 */
function controlledRevisions(owner: KObject, view: ReadView): { revisions: Revision[]; claims: Mutation[] } {
  const selects = selectorFromSpec(specOf(owner).selector);
  const candidates = view.list(CONTROLLER_REVISIONS, { namespace: owner.metadata.namespace ?? '' }).items;
  const { owned, writes } = claim(owner, CONTROLLER_REVISIONS, candidates, (r) => selects(r.metadata.labels));
  return { revisions: (owned as Revision[]).sort((a, b) => (a.revision ?? 0) - (b.revision ?? 0)), claims: writes };
}

export interface History {
  /** The revision of the owner's current template, as it will be after `writes` (while adopting: as it will be made next). */
  current: Revision;
  /** Every revision as it will be after `writes` (current included), oldest first. */
  all: Revision[];
  writes: Mutation[];
}

/**
 * constructHistory: find the revision matching the owner's template, or create it with the next
 * number; renumber a matching older one to the next number (a rollback).
 */
export function constructHistory(owner: KObject, view: ReadView, opts: { annotations?: boolean } = {}): History {
  const { revisions, claims } = controlledRevisions(owner, view);
  // Adoptions and releases go alone (their events bring the owner back): a renumbering in the same
  // commit would update a revision the adoption has just changed.
  if (claims.length > 0) return { current: newRevision(owner, 0, false), all: revisions, writes: claims };
  const data = canonicalJson(revisionData(owner));
  const matching = revisions.filter((r) => canonicalJson(r.data) === data);
  const old = revisions.filter((r) => !matching.includes(r));
  const next = Math.max(0, ...old.map((r) => r.revision ?? 0)) + 1;
  // dedupCurHistories: of several matching revisions the newest is kept; the GC of duplicates is skipped (ours never duplicate).
  const found = matching[matching.length - 1];
  if (found && (found.revision ?? 0) >= next) return { current: found, all: revisions, writes: [] };
  const current: Revision = found ? { ...found, revision: next } : newRevision(owner, next, opts.annotations === true);
  const all = [...old, ...matching.filter((r) => r !== found), current];
  return { current, all, writes: [found ? { op: 'update', res: CONTROLLER_REVISIONS, object: current } : { op: 'create', res: CONTROLLER_REVISIONS, object: current }] };
}

/**
 * The DaemonSet snapshot / history.NewControllerRevision: labels from the template plus the hash,
 * owned by the owner. A DaemonSet's revision also carries the owner's annotations (so `rollout
 * history` shows its change-cause); a StatefulSet's does not.
 */
function newRevision(owner: KObject, revision: number, withAnnotations: boolean): Revision {
  const hash = templateHash(owner);
  const metadata: KObject['metadata'] = {
    name: `${owner.metadata.name}-${hash}`,
    namespace: owner.metadata.namespace,
    labels: { ...specOf(owner).template?.metadata?.labels, [REVISION_HASH]: hash },
    ownerReferences: [controllerRef(owner)],
  };
  const annotations = owner.metadata.annotations;
  if (withAnnotations && annotations && Object.keys(annotations).length > 0) metadata.annotations = { ...annotations };
  return { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata, data: revisionData(owner), revision };
}

/**
 * truncateHistory: delete the oldest revisions that no pod runs and that are neither `live` names
 * (current and update revision) until at most revisionHistoryLimit such historic ones are left.
 */
export function truncateHistory(owner: KObject, all: Revision[], live: Set<string>, liveHashes: Set<string>): Mutation[] {
  const historic = all.filter((r) => !live.has(r.metadata.name!) && !liveHashes.has(r.metadata.labels?.[REVISION_HASH] ?? ''));
  const excess = historic.length - (specOf(owner).revisionHistoryLimit ?? 10);
  return historic.slice(0, Math.max(0, excess)).map((r) => ({
    op: 'delete',
    res: CONTROLLER_REVISIONS,
    ns: r.metadata.namespace ?? '',
    name: r.metadata.name!,
    ...(r.metadata.uid ? { expectedUid: r.metadata.uid } : {}),
  }));
}
