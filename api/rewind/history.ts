// The history of one object: every event of it (all its lifetimes), each with what it changed since
// the event before it. Kubernetes keeps ten ReplicaSets of rollout history; this keeps everything.

import { rfc3339 } from '../../core/clock.ts';
import { notFound } from '../../core/errors.ts';
import type { Actor, Event, EventType } from '../../core/events.ts';
import { refOf } from '../../core/registry.ts';
import type { Store, JsonPatchOp } from '../../store/store.ts';
import { describeChanges, patchBetween } from './changes.ts';
import type { ObjectRef } from './query.ts';

export interface HistoryEntry {
  rev: number;
  time: string;
  type: EventType;
  actor: Actor;
  cause?: number;
  /** Compact change phrases (changes.ts). */
  changes: string[];
  /** RFC 6902 from the previous revision of the object (from {} after a create). */
  patch: JsonPatchOp[];
}

/** The object's revisions in (fromRev, toRev]; NotFound, as kubectl get says it, for an object that never existed by toRev. */
export async function objectHistory(store: Store, ref: ObjectRef, fromRev: number, toRev: number): Promise<HistoryEntry[]> {
  const all = await store.history(ref.info.res, ref.ns, ref.name, { toRev });
  if (all.length === 0) throw notFound(refOf(ref.info.res), ref.name);
  const entries: HistoryEntry[] = [];
  all.forEach((e, i) => {
    if (e.rev <= fromRev) return;
    // A create starts a new lifetime: its diff is from nothing, not from the last deleted state.
    const before = e.type === 'ADDED' ? undefined : all[i - 1]?.object;
    entries.push(entryOf(e, before));
  });
  return entries;
}

function entryOf(e: Event, before: Event['object'] | undefined): HistoryEntry {
  const patch = e.type === 'DELETED' ? [] : patchBetween(before, e.object);
  const entry: HistoryEntry = { rev: e.rev, time: rfc3339(e.ts), type: e.type, actor: e.actor, changes: e.type === 'MODIFIED' ? describeChanges(before, e.object) : [], patch };
  if (e.cause !== undefined) entry.cause = e.cause;
  return entry;
}
