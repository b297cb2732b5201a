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
import type { Event } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import type { Db } from '../store/db.ts';
import { LogImporter } from '../store/import.ts';
import { LevelStore } from '../store/level-store.ts';
import { patchBetween } from '../api/rewind/changes.ts';
import { timeScale, untilTest } from './replay.ts';
import { replayMutation } from './replay-mutation.ts';
import type { Trace } from './trace.ts';

export const INPUT_ACTORS = new Set(['user', 'system']);

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

export interface RederiveOptions {
  /** Simulated nodes (default: as many as the trace holds). */
  nodes?: number;
  /** Stop after this point of the trace (as recorded mode's --until). */
  until?: string;
  /** Recorded gaps between inputs divided by this (replay.ts timeScale; default 1). */
  speed?: number;
}

/**
 * A trace of a window (from > 0, `rewind record --since A`) starts from its recorded state at A: the
 * base is imported verbatim as the first batch (same revs, uids and times: store/import.ts), the
 * controllers start on it, and only the events after A are re-derived and compared.
 */
export async function replayRederive(trace: Trace, db: Db, opts: RederiveOptions = {}): Promise<RederiveReport> {
  const { header } = trace;
  const recorded = await windowEvents(trace, opts.until);
  const time = timeScale(header, opts.speed);
  const inputs = recorded.filter((e) => INPUT_ACTORS.has(e.actor.kind));
  const isNode = (e: Event) => e.res === 'v1/nodes' && e.type !== 'DELETED';
  const nodes = opts.nodes ?? trace.base.filter(isNode).length + recorded.filter((e) => isNode(e) && e.type === 'ADDED').length;
  const clock = new VirtualClock(header.from > 0 ? header.fromTime : time(recorded[0]?.ts ?? header.fromTime));
  if (header.from > 0) await (await LogImporter.start(db, header.from, trace.base)).finish();
  const store = await LevelStore.open(db, { clock, sync: 'none', admit });
  // From the empty cluster, the controllers start once the first inputs (the system namespaces)
  // exist, as `rewind serve` does; from a recorded state, at once.
  let manager = header.from > 0 ? await startControllers(store, { clock, nodes }) : undefined;
  for (const group of groups(inputs)) {
    const at = time(group[0].ts);
    if (manager) {
      await runUntilSettled(manager, clock, { maxVirtualMs: Math.max(0, at - clock.now()) });
      await manager.whenIdle();
    }
    clock.advanceTo(at);
    await store.commit(group.map((e) => replayMutation(e, { status: 'current' })), { actor: group[0].actor }).catch(() => undefined);
    manager ??= await startControllers(store, { clock, nodes });
  }
  if (manager) {
    const end = time(recorded[recorded.length - 1]?.ts ?? header.toTime);
    await runUntilSettled(manager, clock, { maxVirtualMs: Math.max(0, end - clock.now()) });
    clock.advanceTo(Math.max(end, clock.now()));
    await manager.whenIdle();
    await manager.stop();
  }
  const rederived: Event[] = [];
  for await (const e of store.read(header.from)) rederived.push(e);
  await store.close();
  return { recorded: recorded.length, rederived: rederived.length, inputs: inputs.length, divergence: firstDivergence(recorded, rederived), summary: countDiff(recorded, rederived) };
}

/** The trace's events after its start, up to `until`. */
async function windowEvents(trace: Trace, until: string | undefined): Promise<Event[]> {
  const keep = until === undefined ? () => true : untilTest(until, trace.header);
  const events: Event[] = [];
  for await (const chunk of trace.chunks) {
    for (const e of chunk) {
      if (!keep(e.rev, e.ts)) return events;
      events.push(e);
    }
  }
  return events;
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
