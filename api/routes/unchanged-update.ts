// Updates that change nothing are not written, as in the apiserver: GuaranteedUpdate compares the
// object after patching, defaulting and admission with the stored one and, when they are equal,
// returns the stored object without a write — no new resourceVersion, no watch event. A Secret
// applied with stringData (turned into the same data), a StatefulSet whose volumeClaimTemplates
// kubectl re-sends (the server had defaulted them) or a repeated server-side apply all stay at their
// revision, so `kubectl diff` finds nothing to show and exits 0.
//
// A dry run writes nothing, so its result carries no new resourceVersion: a changed object keeps the
// stored one and a created object has none (the apiserver's DryRunnableStorage) — kubectl diff would
// otherwise show a resourceVersion line for every object.

import type { CommitOptions, EventType, Mutation } from '../../core/events.ts';
import { deepEqual } from '../../core/metadata.ts';
import type { KObject } from '../../core/object.ts';
import type { ApiContext } from '../context.ts';

export type PatchMutation = Extract<Mutation, { op: 'patch' }>;

export interface UpdateOutcome {
  type: EventType;
  object: KObject;
}

/**
 * Commit a patch mutation (PUT and PATCH are patches of the latest object) unless its result equals
 * the stored object. The change is decided once as a dry run; only a real change is then committed,
 * which decides it again on the latest state (a write landing in between is not lost).
 */
export async function commitUpdate(ctx: ApiContext, m: PatchMutation, opts: CommitOptions): Promise<UpdateOutcome> {
  const before = ctx.store.get(m.res, m.ns, m.name);
  const [trial] = await ctx.store.commit([m], { ...opts, dryRun: true });
  if (before && trial.type === 'MODIFIED') {
    if (sameButVersion(trial.object, before)) return { type: 'MODIFIED', object: before };
    if (opts.dryRun) return { type: 'MODIFIED', object: withVersion(trial.object, before) };
  }
  if (opts.dryRun) return { type: trial.type, object: trial.type === 'ADDED' ? unversioned(trial.object) : trial.object };
  const [e] = await ctx.store.commit([m], opts);
  return e;
}

/** A dry-run create's object: as it would be stored, without the resourceVersion it never got. */
export function unversioned(obj: KObject): KObject {
  const { resourceVersion: _none, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}

function sameButVersion(next: KObject, stored: KObject): boolean {
  return deepEqual(withVersion(next, stored), stored);
}

function withVersion(obj: KObject, stored: KObject): KObject {
  return { ...obj, metadata: { ...obj.metadata, resourceVersion: stored.metadata.resourceVersion } };
}
