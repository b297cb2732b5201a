// Replaying an uploaded trace into a running server (api/routes/rewind-replays.ts; docs/TRACES.md,
// "Into a running server"). The trace's events become new events of the server's own log, after
// what it already holds: each is written with its recorded actor (the user agent names the replay
// and the recorded rev), its cause remapped to the rev the caused event got here, and uids in
// references (ownerReferences, claimRef, involvedObject) remapped to the uids the server assigned.
// A trace that starts at rev A > 0 first writes its state at A (the base), at once.
//
// Pacing: event i is written (ts_i − fromTime) / speed after the replay began, waiting on the
// server's clock (a VirtualClock in tests, so the gaps can be asserted exactly); speed max writes
// without waiting. A write the server refuses (a delete of something already gone, a validation
// error) is counted as skipped, with the first refusal kept in the status message; the replay goes on.

import { tmpdir } from 'node:os';
import { BehaviorSubject, of, type Observable } from 'rxjs';
import type { PreparedReplay, ReplayObject, ReplayService, ReplaySpec } from '../api/rewind/replays.ts';
import type { Clock } from '../core/clock.ts';
import { conflict, isStatusError } from '../core/errors.ts';
import type { Actor, Event } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import type { Store } from '../store/store.ts';
import { replayMutation } from './replay-mutation.ts';
import { readTrace } from './trace.ts';
import { receiveTrace, selectedEvents, type ReceivedTrace } from './trace-upload.ts';

/** Finished replays kept for GET …/replays/NAME. */
const KEEP_FINISHED = 20;
const REPLAYS = { group: 'rewind.dev', resource: 'replays' };

/** A replay: the uploaded trace as received (spooled on disk, its events to write selected), and how. */
interface Plan extends ReceivedTrace {
  name: string;
  spec: ReplaySpec;
}

export class LiveReplays implements ReplayService {
  private readonly replays = new Map<string, BehaviorSubject<ReplayObject>>();
  private running: string | undefined;
  private made = 0;

  /**
   * `controllers`: the names of the controllers running in this server (manager.controllers);
   * `spoolDir`: where uploads are kept while they are replayed.
   */
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly controllers: readonly string[] = [],
    private readonly spoolDir: string = tmpdir(),
  ) {}

  async prepare(upload: AsyncIterable<Buffer>, spec: ReplaySpec): Promise<PreparedReplay> {
    this.refuseWhileRunning();
    const received = await receiveTrace(upload, spec, this.spoolDir);
    return { writes: received.writes, start: () => this.start(spec, received), discard: received.discard };
  }

  get(name: string): ReplayObject | undefined {
    return this.replays.get(name)?.value;
  }

  follow(name: string): Observable<ReplayObject> | undefined {
    const subject = this.replays.get(name);
    // A completed subject would give a late follower nothing: an ended replay is its last state.
    return subject && (subject.value.status.phase === 'Running' ? subject.asObservable() : of(subject.value));
  }

  private refuseWhileRunning(): void {
    if (this.running) throw conflict(REPLAYS, this.running, 'a replay is running; one replay at a time (follow it with GET replays/NAME?follow=1)');
  }

  private start(spec: ReplaySpec, received: ReceivedTrace): ReplayObject {
    if (this.running) received.discard();
    this.refuseWhileRunning();
    const plan: Plan = { ...received, name: `replay-${++this.made}`, spec };
    this.running = plan.name;
    const subject = new BehaviorSubject<ReplayObject>(initial(plan, this.store.rev, this.controllers));
    this.replays.set(plan.name, subject);
    for (const old of [...this.replays.keys()].slice(0, Math.max(0, this.replays.size - KEEP_FINISHED - 1))) this.replays.delete(old);
    void this.run(plan, subject).finally(() => {
      plan.discard();
      this.running = undefined;
      subject.complete();
    });
    return subject.value;
  }

  private async run(plan: Plan, subject: BehaviorSubject<ReplayObject>): Promise<void> {
    const writer = new EventWriter(this.store, plan);
    const began = this.clock.now();
    const every = Math.max(1, Math.floor(plan.total / 100));
    let i = 0;
    try {
      for await (const e of selectedEvents(await readTrace(plan.path), plan.selection)) {
        const due = began + Math.max(0, e.ts - plan.header.fromTime) / plan.spec.speed;
        // Before a wait, what is in flight is written: each paced event is committed at its time.
        if (due > this.clock.now()) await writer.drain();
        await this.waitUntil(due);
        await writer.write(e);
        // Progress at each event when paced (a watcher sees each write), else at each 1%.
        if (plan.spec.speed !== Infinity || i++ % every === every - 1) subject.next(progress(subject.value, writer, 'Running'));
      }
      await writer.drain();
      subject.next(progress(subject.value, writer, 'Succeeded'));
    } catch (err) {
      subject.next(progress(subject.value, writer, 'Failed', (err as Error).message));
    }
  }

  private waitUntil(due: number): Promise<void> {
    const wait = due - this.clock.now();
    if (!(wait > 0) || !Number.isFinite(wait)) return Promise.resolve();
    return new Promise((resolve) => this.clock.after(wait, resolve));
  }
}

/**
 * Commits a replay keeps in flight at once. Each event is its own commit (its own actor and cause,
 * and a refusal skips only it), so written one after another every event would wait for its own
 * fsync; in flight together, the store's group commit acknowledges them with one (store/group-commit.ts).
 */
const IN_FLIGHT = 64;

/**
 * Writes recorded events into the store in order, remapping causes and uids as it goes. An event
 * whose cause, or an object it references by uid, is still in flight waits for what is in flight:
 * its remapped rev or uid is known only once that commit is done.
 */
class EventWriter {
  private readonly revs = new Map<number, number>();
  private readonly uids = new Map<string, string>();
  private readonly inFlight = new Map<number, Promise<void>>();
  private readonly uidsInFlight = new Set<string>();
  applied = 0;
  skipped = 0;
  lastRev = 0;
  firstRefusal: string | undefined;
  private failure: Error | undefined;

  constructor(
    private readonly store: Store,
    private readonly plan: Plan,
  ) {}

  async write(e: Event): Promise<void> {
    if (this.failure) throw this.failure;
    const needs = (e.cause !== undefined && this.inFlight.has(e.cause)) || uidRefs(e.object).some((uid) => this.uidsInFlight.has(uid));
    if (needs) await this.drain();
    this.inFlight.set(e.rev, this.commit(e));
    if (e.object.metadata.uid) this.uidsInFlight.add(e.object.metadata.uid);
    if (this.inFlight.size >= IN_FLIGHT) await this.drain();
  }

  /** Wait for every commit in flight; rejects with the first failure that is not a refusal. */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight.values());
    this.inFlight.clear();
    this.uidsInFlight.clear();
    if (this.failure) throw this.failure;
  }

  private async commit(e: Event): Promise<void> {
    try {
      const recorded = { ...e, object: remapUids(e.object, this.uids) };
      const mutation = replayMutation(recorded, { status: this.plan.spec.mode === 'recorded' ? 'recorded' : 'current' });
      const actor: Actor = { ...e.actor, userAgent: `rewind-replay/${this.plan.name} (rev ${e.rev})` };
      const cause = e.cause === undefined ? undefined : this.revs.get(e.cause);
      const [written] = await this.store.commit([mutation], cause === undefined ? { actor } : { actor, cause });
      this.revs.set(e.rev, written.rev);
      const uid = e.object.metadata.uid;
      if (uid && written.object.metadata.uid) this.uids.set(uid, written.object.metadata.uid);
      this.applied++;
      this.lastRev = Math.max(this.lastRev, written.rev);
    } catch (err) {
      // Never rejects (a commit in flight has no listener yet): anything but a refusal — a
      // malformed event, the store closing — is kept and ends the replay as Failed.
      if (!isStatusError(err)) this.failure ??= err as Error;
      else {
        this.skipped++;
        this.firstRefusal ??= `rev ${e.rev} ${e.type} ${e.res} ${e.ns ? `${e.ns}/` : ''}${e.name}: ${err.message}`;
      }
    }
  }
}

/** The uids an object references (owner references, claim refs…), not its own. */
function uidRefs(obj: KObject): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string): void => {
    if (key === 'uid' && typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach((x) => walk(x, ''));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  const { uid: _own, ...metadata } = obj.metadata;
  walk({ ...obj, metadata }, '');
  return out;
}

/** The object with every `uid` field that names a replayed object's recorded uid given the new one. */
function remapUids(obj: KObject, uids: Map<string, string>): KObject {
  if (uids.size === 0) return obj;
  const walk = (v: unknown, key: string): unknown => {
    if (key === 'uid' && typeof v === 'string') return uids.get(v) ?? v;
    if (Array.isArray(v)) return v.map((x) => walk(x, ''));
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
  };
  // The object's own uid is the server's to assign (replay-mutation.ts drops it).
  return walk(obj, '') as KObject;
}

function initial(plan: Plan, head: number, controllers: readonly string[]): ReplayObject {
  const { from, to, events, source } = plan.header;
  const speed = plan.spec.speed === Infinity ? 'max' : `${plan.spec.speed}x`;
  const spec: ReplayObject['spec'] = { mode: plan.spec.mode, speed, trace: { from, to, events, source } };
  if (plan.spec.until !== undefined) spec.until = plan.spec.until;
  const status: ReplayObject['status'] = { phase: 'Running', total: plan.total, applied: 0, skipped: 0, startRev: head, lastRev: head };
  if (plan.spec.mode === 'recorded' && controllers.length > 0) {
    status.warning = `${controllers.length} controllers run in this server and react to the replayed writes too (duplicate pods, rescheduling): serve with --controllers=-* to see the trace alone, or replay with --mode rederive`;
  }
  return { apiVersion: 'rewind.dev/v1', kind: 'Replay', metadata: { name: plan.name }, spec, status };
}

function progress(r: ReplayObject, w: EventWriter, phase: ReplayObject['status']['phase'], failure?: string): ReplayObject {
  const status: ReplayObject['status'] = { ...r.status, phase, applied: w.applied, skipped: w.skipped, lastRev: w.lastRev || r.status.lastRev };
  const message = failure ?? (w.firstRefusal && `${w.skipped} write(s) refused by the server; the first: ${w.firstRefusal}`);
  if (message) status.message = message;
  return { ...r, status };
}
