// The controller contract (in the manner of controller-runtime): a controller maps events to keys,
// and a pure reconcile turns one key plus the current view into the exact list of writes. One shared
// runtime (controllers/runtime/) does all RxJS wiring, per-key serialization, coalescing, retries with
// backoff, resync and committing with `actor` and `cause`. A controller file holds no subscriptions.
//
// Retry rules: reconcile throws → retried with exponential backoff (5 ms doubling to 1000 s, per key,
// through the clock); it returns `requeueAfter` → run again after that many ms; a commit Conflict is
// an ordinary retry (the view was stale by the time of commit; the next run sees the new state); a
// commit refused for another reason (admission, quota) is reported through `onCommitError` first.

import type { StatusError } from '../../core/errors.ts';
import type { Actor, Event, Mutation } from '../../core/events.ts';
import type { ReadView } from '../../store/store.ts';

/** A reconcile key: "namespace/name" for namespaced objects, "name" for cluster-scoped ones. */
export type Key = string;

export interface ReconcileContext {
  /** The current view (read-only; strongly consistent: it includes every write this controller has made). */
  view: ReadView;
  /** Clock time now (ms). Never read the wall clock in a controller. */
  now: number;
}

export interface ReconcileResult {
  /** Mutations to commit, in order, atomically. An empty list means "in sync". */
  writes: Mutation[];
  /** Run this key again after this many ms (timed work: latencies, grace periods, backoffs). */
  requeueAfter?: number;
}

export interface Watch {
  /** Storage key of the resource watched, e.g. "v1/pods". */
  res: string;
  /** Which keys an event of this resource should reconcile (the object itself, its owner, …). */
  keys: (event: Event, view: ReadView) => Key[];
}

export interface Controller {
  /** Name used in actor.name, metrics and `--controllers`, e.g. "deployment", "scheduler". */
  name: string;
  /** Actor kind recorded on its writes (default "controller"). */
  actorKind?: Actor['kind'];
  watches: Watch[];
  /**
   * Called with every committed event of a watched resource, in rev order, before its keys: for a
   * controller that keeps a cache derived from the log between reconciles, as kube-scheduler keeps
   * its NodeInfo cache from its informers (scheduler/cache.ts). Optional; most controllers read
   * everything from the view.
   */
  observe?: (event: Event) => void;
  /** Pure: same key, view and now give the same result. May throw to ask for a retry. */
  reconcile(key: Key, ctx: ReconcileContext): ReconcileResult;
  /** Reconcile every key of the primary resource this often (ms); none if undefined. */
  resyncEvery?: number;
  /** Keys to reconcile at start-up (default: every object of watches[0].res). */
  initialKeys?: (view: ReadView) => Key[];
  /**
   * Pure, optional: the writes that report a refused commit of `key`'s reconcile — what a client-go
   * controller does with the error of a failed create (a Warning Event, a failure condition such as
   * a ReplicaSet's ReplicaFailure). Called with the view as it is without the refused writes; never
   * for a Conflict (mere staleness). Its writes are committed on their own (a refusal of them is
   * dropped), then the key is retried with backoff as for any error.
   */
  onCommitError?(key: Key, failure: CommitFailure, ctx: ReconcileContext): Mutation[];
}

/** A commit the store refused: the error (a Kubernetes Status) and the writes it refused. */
export interface CommitFailure {
  error: StatusError;
  writes: Mutation[];
}

/** "ns/name" or "name". */
export function objectKey(ns: string, name: string): Key {
  return ns ? `${ns}/${name}` : name;
}

export function splitKey(key: Key): { ns: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { ns: '', name: key } : { ns: key.slice(0, i), name: key.slice(i + 1) };
}

/**
 * What the manager hands each controller factory (controllers/index.ts): the clock and the
 * simulation settings of `rewind serve` (`--nodes`, kubelet latencies in ms; zero for benchmarks).
 */
export interface ControllerOptions {
  clock: import('../../core/clock.ts').Clock;
  nodes?: number;
  kubelet?: Record<string, number | undefined>;
}

/** Builds one controller; the manager builds every factory in controllers/index.ts, then filters by name. */
export type ControllerFactory = (opts: ControllerOptions) => Controller;
