// Rederive mode: re-apply only the inputs of a trace — user writes (and the apiserver's own, actor
// "system") — as new mutations on a VirtualClock that follows the recorded times, let Rewind's
// controllers and simulated nodes re-derive everything else, then report where the re-derived
// history departs from the recorded one.
//
// Equivalence (what may differ without counting as a divergence): revisions, commit times and causes;
// uids, resourceVersions, creationTimestamps, managedFields; generated name suffixes (a name from
// generateName compares as its prefix); every RFC 3339 timestamp inside objects. Everything else —
// the order of events, their type, resource, namespace, and the objects' content — must match.

import { createHash } from 'node:crypto';
import { startControllers } from '../controllers/manager.ts';
import { runUntilSettled } from '../controllers/runtime/settle.ts';
import { admit } from '../core/admission.ts';
import { VirtualClock } from '../core/clock.ts';
import type { Event, Mutation } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import type { Db } from '../store/db.ts';
import { LevelStore } from '../store/level-store.ts';
import { patchBetween } from '../api/rewind/changes.ts';
import type { Trace } from './trace.ts';

const INPUT_ACTORS = new Set(['user', 'system']);

export interface Divergence {
  /** Position in the event sequence (0-based) and the two events there (either may be missing). */
  index: number;
  recorded?: EventSummary;
  rederived?: EventSummary;
  /** What differs in the object, as an RFC 6902 patch from recorded to rederived (normalized). */
  patch: unknown[];
}

export interface EventSummary {
  rev: number;
  type: string;
  res: string;
  ns: string;
  name: string;
  actor: string;
}

export interface RederiveReport {
  recorded: number;
  rederived: number;
  inputs: number;
  divergence?: Divergence;
  /** Events per "res type" that differ in count between the two histories. */
  summary: Record<string, { recorded: number; rederived: number }>;
}

export async function replayRederive(trace: Trace, db: Db, opts: { nodes?: number } = {}): Promise<RederiveReport> {
  if (trace.header.from !== 0) throw new Error('rederive needs a trace from the beginning (--since 0): the controllers start from an empty cluster');
  const recorded: Event[] = [];
  for await (const chunk of trace.chunks) recorded.push(...chunk);
  const inputs = recorded.filter((e) => INPUT_ACTORS.has(e.actor.kind));
  const nodes = opts.nodes ?? recorded.filter((e) => e.res === 'v1/nodes' && e.type === 'ADDED').length;
  const clock = new VirtualClock(recorded[0]?.ts ?? trace.header.fromTime);
  const store = await LevelStore.open(db, { clock, sync: 'none', admit });
  let manager: Awaited<ReturnType<typeof startControllers>> | undefined;
  for (const group of groups(inputs)) {
    if (manager) {
      await runUntilSettled(manager, clock, { maxVirtualMs: Math.max(0, group[0].ts - clock.now()) });
      await manager.whenIdle();
    }
    clock.advanceTo(group[0].ts);
    await store.commit(group.map((e) => mutationOf(e, store)), { actor: group[0].actor }).catch(() => undefined);
    // The controllers start once the first inputs (the system namespaces) exist, as `rewind serve` does.
    manager ??= await startControllers(store, { clock, nodes });
  }
  if (manager) {
    await runUntilSettled(manager, clock, { maxVirtualMs: Math.max(0, trace.header.toTime - clock.now()) });
    clock.advanceTo(trace.header.toTime);
    await manager.whenIdle();
    await manager.stop();
  }
  const rederived: Event[] = [];
  for await (const e of store.read(0)) rederived.push(e);
  await store.close();
  return { recorded: recorded.length, rederived: rederived.length, inputs: inputs.length, divergence: firstDivergence(recorded, rederived), summary: countDiff(recorded, rederived) };
}

/** Consecutive inputs with the same time and actor were one commit. */
function groups(inputs: Event[]): Event[][] {
  const out: Event[][] = [];
  for (const e of inputs) {
    const last = out[out.length - 1];
    if (last && last[0].ts === e.ts && last[0].actor.name === e.actor.name) last.push(e);
    else out.push([e]);
  }
  return out;
}

/** The recorded input as a mutation: its content, without what the server stamps. */
function mutationOf(e: Event, store: LevelStore): Mutation {
  if (e.type === 'DELETED') return { op: 'delete', res: e.res, ns: e.ns, name: e.name };
  const { uid: _u, resourceVersion: _rv, creationTimestamp: _c, generation: _g, managedFields: _m, ...metadata } = e.object.metadata as Record<string, unknown>;
  const object = { ...e.object, metadata } as KObject;
  if (e.type === 'ADDED') return { op: 'create', res: e.res, object };
  // An update keeps what the server owns now (status, identity) and takes the user's content.
  return { op: 'patch', res: e.res, ns: e.ns, name: e.name, apply: (cur) => ({ ...object, metadata: { ...cur.metadata, ...metadata }, status: (cur as { status?: unknown }).status }) as KObject };
}

function firstDivergence(a: Event[], b: Event[]): Divergence | undefined {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] && normalize(a[i]);
    const y = b[i] && normalize(b[i]);
    if (x && y && fingerprint(x) === fingerprint(y)) continue;
    return { index: i, recorded: a[i] && summaryOf(a[i]), rederived: b[i] && summaryOf(b[i]), patch: x && y ? patchBetween(x.object as KObject, y.object as KObject) : [] };
  }
  return undefined;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
const IGNORED_META = new Set(['uid', 'resourceVersion', 'creationTimestamp', 'managedFields', 'deletionTimestamp']);

/** An event as compared: type, resource, place, normalized name and object. */
function normalize(e: Event): { head: string; object: unknown } {
  const generate = e.object.metadata.generateName;
  const name = generate && e.name.startsWith(generate) ? `${generate}*` : e.name;
  return { head: `${e.type} ${e.res} ${e.ns}/${name}`, object: scrub(e.object, generate) };
}

function scrub(v: unknown, generate: string | undefined, key = ''): unknown {
  if (typeof v === 'string') {
    if (RFC3339.test(v)) return 'T';
    return generate && v.startsWith(generate) && v !== generate ? `${generate}*` : v;
  }
  if (Array.isArray(v)) return v.map((x) => scrub(x, generate));
  if (v === null || typeof v !== 'object') return v;
  // Keys sorted: an object's field order is not part of its content.
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))) {
    if (key === 'metadata' && IGNORED_META.has(k)) continue;
    if (k === 'uid') continue; // ownerReferences, claimRef, involvedObject: generated identities
    out[k] = scrub(x, generate, k);
  }
  return out;
}

const fingerprint = (n: { head: string; object: unknown }) => createHash('sha1').update(n.head).update(JSON.stringify(n.object)).digest('hex');

const summaryOf = (e: Event): EventSummary => ({ rev: e.rev, type: e.type, res: e.res, ns: e.ns, name: e.name, actor: `${e.actor.kind}/${e.actor.name}` });

function countDiff(a: Event[], b: Event[]): Record<string, { recorded: number; rederived: number }> {
  const counts: Record<string, { recorded: number; rederived: number }> = {};
  for (const [list, side] of [[a, 'recorded'], [b, 'rederived']] as const) {
    for (const e of list) (counts[`${e.res} ${e.type}`] ??= { recorded: 0, rederived: 0 })[side]++;
  }
  return Object.fromEntries(Object.entries(counts).filter(([, c]) => c.recorded !== c.rederived));
}
