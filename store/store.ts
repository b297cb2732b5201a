// The Store interface: everything above store/ depends on this file, never on LevelDB. Its
// semantics are pinned by one contract suite (test/store/contract.ts) that every backend runs.

import type { Observable } from 'rxjs';
import type { CommitOptions, Event, Mutation } from '../core/events.ts';
import type { KObject } from '../core/object.ts';

export interface ListOptions {
  /** Only this namespace; undefined = all namespaces. */
  namespace?: string;
  /** Keep only objects for which this returns true (label and field selectors compile to this). */
  filter?: (obj: KObject) => boolean;
  /**
   * Keep only objects whose field (a field-selector path of the resource, core/field-selectors.ts)
   * reads exactly this value — the equality terms of a field selector such as `spec.nodeName=node-1`,
   * which is how a real kubelet watches its pods. The answer is the one a `filter` testing the same
   * fields gives; a view may serve it from an index (the live view indexes pods by spec.nodeName, so
   * listing one node's pods costs that node's pods, not the cluster's). A field the resource does not
   * expose is a BadRequest, as in a field selector.
   */
  fields?: Record<string, string>;
  /** Page size; 0 or undefined = everything. */
  limit?: number;
  /** Opaque token from a previous page; the next page is read at that page's revision. */
  continue?: string;
}

export interface ListResult {
  /** Objects in (namespace, name) order; each carries metadata.resourceVersion. */
  items: KObject[];
  /** The revision this list is consistent with (the list's metadata.resourceVersion). */
  rev: number;
  /** Token for the next page, when `limit` cut the list. */
  continue?: string;
  /** Objects left after this page, when `limit` cut the list (metadata.remainingItemCount). */
  remaining?: number;
}

/** A consistent, read-only view of the cluster at one revision. */
export interface ReadView {
  readonly rev: number;
  /** Clock time of the commit of `rev` (ms); 0 for an empty store. */
  readonly ts: number;
  get(res: string, ns: string, name: string): KObject | undefined;
  list(res: string, opts?: ListOptions): ListResult;
  /**
   * Optional: read ahead, asynchronously, what a list of `res` (of one namespace, if given) will
   * read, so the synchronous `list` that follows finds it ready. A past view reads its events from
   * the log this way; the live view has nothing to read.
   */
  prefetch?(res: string, namespace?: string): Promise<void>;
}

/** A point in history: a revision, or a clock time (resolved to the last rev committed at or before it). */
export type Point = number | { time: number };

/** What the store hands its admission hook for each create, update or patch. */
export interface AdmitRequest {
  op: 'create' | 'update';
  res: string;
  object: KObject;
  old?: KObject;
  /** The subresource an update is written through (a patch Mutation's `subresource`). */
  subresource?: string;
  /**
   * Every object of a resource as this write sees it: committed state plus the earlier writes of the
   * same call and of batches still in flight. Admission that allocates from a shared pool (a
   * Service's cluster IP and node ports) reads what is taken here, so two services created in one
   * batch never get the same address. With `namespace`, only that namespace's objects (ResourceQuota
   * admission counts its namespace per create). The list may be the view's own: read it, never edit it.
   */
  peers?: (res: string, namespace?: string) => KObject[];
}

export interface StoreOptions {
  /** Clock for event timestamps and creationTimestamp. */
  clock?: import('../core/clock.ts').Clock;
  /** Take a checkpoint every K revisions (default 1000). */
  checkpointEvery?: number;
  /** 'batch' (default): every group-commit batch is fsynced before it is acknowledged; 'none': never. */
  sync?: 'batch' | 'none';
  /**
   * Admission: defaulting and validation of the object a create/update/patch would store. Called
   * inside the commit, with the current object (`old`) for updates and patches. Throws a StatusError
   * to reject; returns the (possibly defaulted) object to store.
   */
  admit?: (ctx: AdmitRequest) => KObject;
  /** Seed for generated names and UIDs (default 0). The same seed and inputs give the same log. */
  seed?: number;
}

export interface Store extends ReadView {
  /**
   * Committed events, in rev order, each emitted once after its batch is durable and applied to the
   * view. A subscriber sees only events committed after it subscribed (use `watch` to start earlier).
   */
  readonly events$: Observable<Event>;

  /**
   * Commit the mutations atomically (all or none) with one revision each, in order. Resolves with
   * the events once durable (none for a patch with `unlessUnchanged` whose result changes nothing). Fails with a StatusError (NotFound, AlreadyExists, Conflict, Invalid…)
   * and writes nothing if any mutation is rejected. Concurrent callers share LevelDB batches.
   * With `dryRun`, returns the events that would be written (rev = the rev they would get) and
   * writes nothing.
   *
   * The store takes ownership of the objects it is given (`object`, an `apply` function's result,
   * the actor): once committed they are deep-frozen in place and ARE the stored state, shared with
   * every reader — no copy is made. A caller that wants to keep editing an object commits a copy.
   */
  commit(mutations: Mutation[], opts: CommitOptions): Promise<Event[]>;

  /** A read-only view at a past point (rev 0 = the empty cluster). A rev beyond head rejects with BadRequest. */
  at(point: Point): Promise<ReadView>;

  /** The last revision committed at or before `timeMs` (0 if none). */
  revAtTime(timeMs: number): Promise<number>;

  /** Every event of one object (all its lifetimes, by name), oldest first, optionally within revs. */
  history(res: string, ns: string, name: string, range?: { fromRev?: number; toRev?: number }): Promise<Event[]>;

  /** The object's change between two revisions as an RFC 6902 JSON Patch (from the state at `fromRev` to `toRev`). */
  diff(res: string, ns: string, name: string, fromRev: number, toRev: number): Promise<JsonPatchOp[]>;

  /** Events with rev in (fromRev, toRev] read from the log (toRev defaults to head), in order. */
  read(fromRev: number, toRev?: number): AsyncIterable<Event>;

  /** One event by revision. */
  event(rev: number): Promise<Event | undefined>;

  /**
   * Every event with rev > fromRev, in order, exactly once: the log first, then live events, with no
   * gap and no duplicate at the seam. Completes only when the store closes.
   */
  watch(fromRev: number): Observable<Event>;

  /** Take a checkpoint now (also done every K revisions and at close). */
  checkpoint(): Promise<void>;

  /** Checkpoint and close the log; events$ and open watches complete. */
  close(): Promise<void>;
}

export interface JsonPatchOp {
  op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test';
  path: string;
  value?: unknown;
  from?: string;
}
