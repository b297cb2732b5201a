// The event, Rewind's unit of truth (see shared DESIGN.md, "The event"), and the Mutation, the only
// way to ask for a change. Both are plain data; the store turns mutations into events.

import type { KObject } from './object.ts';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type ActorKind = 'user' | 'controller' | 'kubelet' | 'scheduler' | 'replay' | 'system';

export interface Actor {
  kind: ActorKind;
  /** User name ("alice", "anonymous"), or the controller's name ("deployment", "replicaset"). */
  name: string;
  groups?: string[];
  userAgent?: string;
}

export interface Event {
  /** Global revision: 1-based, gap-free, strictly increasing; also the object's resourceVersion. */
  rev: number;
  /** Clock time of the commit in ms; non-decreasing in rev. */
  ts: number;
  type: EventType;
  /** Storage resource key, e.g. "apps/v1/deployments". */
  res: string;
  ns: string;
  name: string;
  /** The full object after the change; for DELETED, its last state. */
  object: KObject;
  actor: Actor;
  /** The rev of the event this write reacted to (controllers always set it). */
  cause?: number;
}

/**
 * A request for one change of one object. `expectedRV` gives optimistic concurrency: when set and
 * the object's current resourceVersion differs, the commit fails with Conflict and writes nothing.
 */
export type Mutation =
  | { op: 'create'; res: string; object: KObject }
  | { op: 'update'; res: string; object: KObject; expectedRV?: string }
  | {
      op: 'patch';
      res: string;
      ns: string;
      name: string;
      /** Pure function from the current object (at commit time, never stale) to the next one. */
      apply: (current: KObject) => KObject;
      expectedRV?: string;
      /** If the object does not exist, create `apply(upsert)` instead of failing with NotFound (server-side apply). */
      upsert?: KObject;
      /**
       * The subresource written through ("ephemeralcontainers"), when its own rules apply in admission
       * instead of the object's (kube-apiserver's per-subresource strategy).
       */
      subresource?: string;
      /**
       * Write nothing when the result equals the stored object but for its resourceVersion (the
       * apiserver's GuaranteedUpdate): the commit then has no event for this mutation.
       */
      unlessUnchanged?: boolean;
    }
  | { op: 'delete'; res: string; ns: string; name: string; expectedRV?: string; expectedUid?: string };

export interface CommitOptions {
  actor: Actor;
  cause?: number;
  /** Validate and compute the result but write nothing (`dryRun=All`). */
  dryRun?: boolean;
}
