// Running a scenario (replays/scenario-file.ts) in virtual time: a fresh in-memory cluster with every
// controller and simulated nodes on a VirtualClock, the start manifests at t=0, each step at its time
// (the clock jumps from timer to timer in between, controllers settling each time: hours run in
// seconds), expectations checked at every committed event. The result: a timeline, each expectation
// held or failed with why, and the digest of the log (same file, same digest: runs are deterministic).

import type { Subscription } from 'rxjs';
import { ensureSystemNamespaces } from '../api/bootstrap.ts';
import { startControllers, type Manager } from '../controllers/manager.ts';
import { runUntilSettled } from '../controllers/runtime/settle.ts';
import { admit } from '../core/admission.ts';
import { VirtualClock } from '../core/clock.ts';
import type { Actor, Mutation } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import { applyPatch } from '../core/patch/index.ts';
import { lookupKind } from '../core/registry.ts';
import { openStore, type Store } from '../store/index.ts';
import { logDigest } from './digest.ts';
import { recordTrace, storeSource } from './record.ts';
import { ScenarioError, type Expectation, type Scenario, type Step } from './scenario-file.ts';
import { waitHolds, waitObserved } from './scenario-wait.ts';

/** Every scenario starts at the same virtual instant, so two runs of one file give the same log. */
export const SCENARIO_EPOCH = Date.UTC(2026, 0, 1);
const ALICE: Actor = { kind: 'user', name: 'alice', userAgent: 'rewind-scenario' };

export interface ExpectationResult {
  text: string;
  held: boolean;
  /** Why: "held at t+47s", "was 3 at the end", "2 ready endpoints at t+95s". */
  detail: string;
}

export interface ScenarioResult {
  timeline: string[];
  results: ExpectationResult[];
  digest: string;
  ok: boolean;
}

export interface RunOptions {
  /** Also write the resulting log as a trace here (replays/trace.ts). */
  trace?: string;
}

export async function runScenario(s: Scenario, opts: RunOptions = {}): Promise<ScenarioResult> {
  const clock = new VirtualClock(SCENARIO_EPOCH);
  const store = await openStore({ clock, sync: 'none', admit });
  await ensureSystemNamespaces(store);
  const manager = await startControllers(store, { clock, nodes: s.nodes });
  const t = () => clock.now() - SCENARIO_EPOCH;
  const timeline: string[] = [];
  const failedWaits: ExpectationResult[] = [];
  const checks = s.expect.map((e) => checker(e, store, t));
  const sub: Subscription = store.events$.subscribe(() => checks.forEach((c) => c.check()));
  // Also at the edges of each window: a state can hold (or fail) at a moment when nothing is written.
  for (const c of checks) for (const at of c.moments) clock.after(SCENARIO_EPOCH + at - clock.now(), () => c.check());
  try {
    await runUntilSettled(manager, clock, { maxVirtualMs: 1000 });
    await commit(store, s.start.map(createOf));
    timeline.push(`t+0s     start: ${s.start.map(label).join(', ') || '(nothing)'}`);
    for (const step of s.steps) {
      await advance(manager, clock, SCENARIO_EPOCH + step.at);
      if (step.kind === 'wait') {
        const timedOut = await waitFor(step, manager, clock, store, t);
        timeline.push(`${stamp(t())} ${describe(step)}: ${timedOut ? `FAILED: ${timedOut.detail}; the steps after it did not run` : 'met'}`);
        if (timedOut) {
          failedWaits.push(timedOut);
          break;
        }
        continue;
      }
      await commit(store, mutationsOf(step, store));
      timeline.push(`${stamp(step.at)} ${describe(step)}`);
    }
    await advance(manager, clock, SCENARIO_EPOCH + s.duration);
    checks.forEach((c) => c.check());
  } finally {
    sub.unsubscribe();
    await manager.stop();
  }
  const results = [...failedWaits, ...checks.map((c) => c.result())];
  for (const r of results) timeline.push(`${r.held ? 'held  ' : 'FAILED'}   ${r.text}: ${r.detail}`);
  const digest = await logDigest(store);
  if (opts.trace) await recordTrace(storeSource(store, async (p) => Number(p)), opts.trace);
  await store.close();
  return { timeline, results, digest, ok: results.every((r) => r.held) };
}

/** Let the controllers work and the clock jump from timer to timer until `until`, then stand there. */
async function advance(manager: Manager, clock: VirtualClock, until: number): Promise<void> {
  if (until > clock.now()) await runUntilSettled(manager, clock, { maxVirtualMs: until - clock.now() });
  clock.advanceTo(until);
  await manager.whenIdle();
}

/**
 * Run until the wait holds (checked whenever the cluster is idle, as kubectl re-checks on each watch
 * event) or its timeout passes; undefined when it held, else the failure to report.
 */
async function waitFor(step: Extract<Step, { kind: 'wait' }>, manager: Manager, clock: VirtualClock, store: Store, t: () => number): Promise<ExpectationResult | undefined> {
  const object = () => store.get(step.ref.info.res, step.ref.ns, step.ref.name);
  const deadline = clock.now() + step.timeout;
  const r = await runUntilSettled(manager, clock, { maxVirtualMs: step.timeout, until: () => waitHolds(step.for, object()) });
  if (r.settled) return undefined;
  await advance(manager, clock, deadline);
  if (waitHolds(step.for, object())) return undefined;
  const text = `wait for ${step.forText} on ${step.ref.info.singular}/${step.ref.name}`;
  return { text, held: false, detail: `timed out after ${step.timeout / 1000}s at ${stamp(t()).trim()} (${waitObserved(step.for, object())})` };
}

async function commit(store: Store, mutations: Mutation[]): Promise<void> {
  if (mutations.length > 0) await store.commit(mutations, { actor: ALICE });
}

function createOf(o: KObject): Mutation {
  const info = lookupKind(o.apiVersion ?? '', o.kind ?? '');
  if (!info) throw new ScenarioError(`unknown kind ${o.apiVersion}/${o.kind} in the scenario`);
  const object = { ...o, metadata: { ...o.metadata, namespace: info.scope === 'Cluster' ? undefined : (o.metadata?.namespace ?? 'default') } };
  return { op: 'create', res: info.res, object };
}

function mutationsOf(step: Step, store: Store): Mutation[] {
  switch (step.kind) {
    case 'apply':
      return step.manifests.map((m) => {
        const create = createOf(m) as Extract<Mutation, { op: 'create' }>;
        const exists = store.get(create.res, create.object.metadata.namespace ?? '', create.object.metadata.name ?? '');
        return exists ? { op: 'update', res: create.res, object: { ...create.object, metadata: { ...exists.metadata, ...create.object.metadata, resourceVersion: exists.metadata.resourceVersion } } } : create;
      });
    case 'scale':
      return [patchOf(step.ref.info.res, step.ref.ns, step.ref.name, { spec: { replicas: step.replicas } })];
    case 'patch':
      return [patchOf(step.ref.info.res, step.ref.ns, step.ref.name, step.patch)];
    case 'delete':
      return [{ op: 'delete', res: step.ref.info.res, ns: step.ref.ns, name: step.ref.name }];
    case 'wait':
      return [];
    case 'node': {
      // docs/SIMULATION.md: the kubelet of a node stops while the node carries this annotation.
      const value = step.action === 'stop' ? 'stopped' : null;
      return [patchOf('v1/nodes', '', step.node, { metadata: { annotations: { 'sim.rewind.dev/kubelet': value } } })];
    }
  }
}

/** A strategic merge patch, as `kubectl patch` sends by default. */
function patchOf(res: string, ns: string, name: string, patch: unknown): Mutation {
  const body = JSON.stringify(patch);
  return { op: 'patch', res, ns, name, apply: (current) => applyPatch({ contentType: 'application/strategic-merge-patch+json', current, body, res }) };
}

interface Checker {
  /** Scenario times at which to check besides every event. */
  moments: number[];
  check(): void;
  result(): ExpectationResult;
}

function checker(e: Expectation, store: Store, t: () => number): Checker {
  if (e.kind === 'by') {
    let heldAt: number | undefined;
    const values = () => {
      const obj = store.get(e.ref.info.res, e.ref.ns, e.ref.name);
      return e.fields.map(([f]) => fieldAt(obj, f));
    };
    const holds = () => values().every((v, i) => JSON.stringify(v) === JSON.stringify(e.fields[i][1]));
    return {
      moments: [e.after, e.by],
      check: () => {
        if (heldAt === undefined && t() >= e.after && t() <= e.by && holds()) heldAt = t();
      },
      result: () =>
        heldAt !== undefined
          ? { text: e.text, held: true, detail: `held at ${stamp(heldAt).trim()}` }
          : { text: e.text, held: false, detail: `not by t+${e.by / 1000}s (at the end: ${JSON.stringify(values())})` },
    };
  }
  let violation: string | undefined;
  return {
    moments: [e.from],
    check: () => {
      const now = t();
      if (violation || now < e.from || (e.until !== undefined && now > e.until)) return;
      const ready = readyEndpoints(store, e.service.ns, e.service.name);
      if (ready < e.atLeast) violation = `${ready} ready at ${stamp(now).trim()}`;
    },
    result: () => (violation ? { text: e.text, held: false, detail: violation } : { text: e.text, held: true, detail: 'held throughout' }),
  };
}

/** Ready addresses of a service's Endpoints (subsets[].addresses; notReadyAddresses do not count). */
function readyEndpoints(store: Store, ns: string, name: string): number {
  const ep = store.get('v1/endpoints', ns, name) as { subsets?: { addresses?: unknown[] }[] } | undefined;
  return (ep?.subsets ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
}

function fieldAt(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

const stamp = (ms: number) => `t+${ms / 1000}s`.padEnd(8);
const label = (o: KObject) => `${(o.kind ?? '').toLowerCase()}/${o.metadata?.name ?? ''}`;

function describe(step: Step): string {
  const ref = 'ref' in step ? `${step.ref.info.singular}/${step.ref.name}` : '';
  switch (step.kind) {
    case 'apply':
      return `apply ${step.manifests.map(label).join(', ')}`;
    case 'scale':
      return `scale ${ref} → ${step.replicas}`;
    case 'patch':
      return `patch ${ref} ${JSON.stringify(step.patch)}`;
    case 'delete':
      return `delete ${ref}`;
    case 'node':
      return `node ${step.action} ${step.node}`;
    case 'wait':
      return `wait for ${step.forText} on ${ref} (timeout ${step.timeout / 1000}s)`;
  }
}
