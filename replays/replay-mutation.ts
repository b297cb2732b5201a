// A recorded event written again into a store that stamps its own identities (a running server, or a
// rederive timeline): the event's content as a mutation, without what the server owns — uid,
// resourceVersion, creationTimestamp, generation, managedFields — which the store assigns anew.
//
// ADDED and MODIFIED are one upserting patch: the object is created when absent and otherwise
// becomes the recorded content under its current identity (a replay into a server that already
// has the namespace "default" updates it instead of failing with AlreadyExists). DELETED deletes.

import type { Event, Mutation } from '../core/events.ts';
import type { KObject } from '../core/object.ts';

const SERVER_OWNED = new Set(['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields']);

export interface ReplayMutationOptions {
  /**
   * "recorded": the object's status as recorded (every write is replayed); "current": the status the
   * object has now (only inputs are replayed, the controllers own status — rederive mode).
   */
  status: 'recorded' | 'current';
}

export function replayMutation(e: Event, opts: ReplayMutationOptions): Mutation {
  if (e.type === 'DELETED') return { op: 'delete', res: e.res, ns: e.ns, name: e.name };
  const metadata = Object.fromEntries(Object.entries(e.object.metadata).filter(([k]) => !SERVER_OWNED.has(k)));
  const object = { ...e.object, metadata } as KObject;
  const apply = (cur: KObject): KObject => {
    const next = { ...object, metadata: { ...cur.metadata, ...metadata } } as KObject & { status?: unknown };
    const status = (cur as { status?: unknown }).status;
    if (opts.status === 'current') {
      if (status === undefined) delete next.status;
      else next.status = status;
    }
    return next;
  };
  const subresource = hasEphemeralContainers(e) ? 'ephemeralcontainers' : undefined;
  return { op: 'patch', res: e.res, ns: e.ns, name: e.name, apply, upsert: object, ...(subresource ? { subresource } : {}) };
}

/**
 * A pod's ephemeral containers were added through pods/ephemeralcontainers, whose changes the pod's
 * own update rules refuse; so a write of a pod that has some is replayed under that subresource's
 * rules (the recorded write passed the rules of the path it took).
 */
function hasEphemeralContainers(e: Event): boolean {
  const ephemeral = (e.object.spec as { ephemeralContainers?: unknown[] } | undefined)?.ephemeralContainers;
  return e.res === 'v1/pods' && Array.isArray(ephemeral) && ephemeral.length > 0;
}
