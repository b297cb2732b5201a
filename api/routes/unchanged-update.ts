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
import { withVersionOf } from '../../core/metadata.ts';
import type { KObject } from '../../core/object.ts';
import type { ApiContext } from '../context.ts';

export type PatchMutation = Extract<Mutation, { op: 'patch' }>;

export interface UpdateOutcome {
  type: EventType;
  object: KObject;
}

/**
 * Commit a patch mutation (PUT and PATCH are patches of the latest object) unless its result equals
 * the stored object: the store decides that in the same decision as the write (the mutation's
 * `unlessUnchanged`), on the latest state, so a write landing in between is not lost.
 */
export async function commitUpdate(ctx: ApiContext, m: PatchMutation, opts: CommitOptions): Promise<UpdateOutcome> {
  const before = ctx.store.get(m.res, m.ns, m.name);
  const [e] = await ctx.store.commit([{ ...m, unlessUnchanged: true }], opts);
  if (!e) return { type: 'MODIFIED', object: ctx.store.get(m.res, m.ns, m.name) ?? before! };
  if (!opts.dryRun) return e;
  if (before && e.type === 'MODIFIED') return { type: 'MODIFIED', object: withVersionOf(e.object, before) };
  return { type: e.type, object: e.type === 'ADDED' ? unversioned(e.object) : e.object };
}

/** A dry-run create's object: as it would be stored, without the resourceVersion it never got. */
export function unversioned(obj: KObject): KObject {
  const { resourceVersion: _none, ...metadata } = obj.metadata;
  return { ...obj, metadata };
}
