// The scenario file (YAML), parsed and checked. Documented in replays/scenarios/README.md.
//
//   name: rolling-update
//   nodes: 3                       # simulated nodes (default 3)
//   duration: 10m                  # how long to run (default: the last step or expectation + 1m)
//   start: [ …manifests… ]         # applied at t=0, as user "alice"
//   steps:
//     - at: 60s
//       apply: { …manifest… }      # or a list of manifests
//     - at: 90s
//       scale: { deployment: web, replicas: 5 }          # any type with replicas: deployment, statefulset, replicaset
//     - at: 2m
//       patch: { deployment: web, patch: { spec: { … } } }  # strategic merge patch, as kubectl patch
//     - at: 3m
//       delete: { pod: web-0 }
//     - at: 4m
//       node: { stop: node-2 }     # or { start: node-2 }: the kubelet stops or starts (docs/SIMULATION.md)
//     - wait: { for: condition=Available, object: deployment/web, timeout: 2m }   # as kubectl wait
//                                  # (scenario-wait.ts); `at` optional: by default right after the step
//                                  # before; the steps after it run once it holds (or at their `at`)
//   expect:
//     - by: 2m                     # at some moment at or before t+2m (and at or after `after:`) …
//       object: deployment/web     # TYPE/NAME (namespace: default unless `namespace:`)
//       field: status.availableReplicas
//       equals: 5                  # or several at once: fields: { status.observedGeneration: 2, … }
//     - always: { readyEndpoints: { service: web, atLeast: 3 } }   # at every moment …
//       from: 30s                  # … from t+30s (default 0) until the end (or `until:`)

import { parse } from 'yaml';
import type { KObject } from '../core/object.ts';
import { parseDuration } from '../core/point.ts';
import { resolveTypeName, type ResourceInfo } from '../core/registry.ts';
import { DEFAULT_WAIT_TIMEOUT_MS, parseWaitFor, type WaitFor } from './scenario-wait.ts';

export interface ObjectRef {
  info: ResourceInfo;
  name: string;
  ns: string;
}

export type Step =
  | { at: number; kind: 'apply'; manifests: KObject[] }
  | { at: number; kind: 'scale'; ref: ObjectRef; replicas: number }
  | { at: number; kind: 'patch'; ref: ObjectRef; patch: unknown }
  | { at: number; kind: 'delete'; ref: ObjectRef }
  | { at: number; kind: 'node'; action: 'stop' | 'start'; node: string }
  | { at: number; kind: 'wait'; for: WaitFor; forText: string; ref: ObjectRef; timeout: number };

export type Expectation =
  | { kind: 'by'; by: number; after: number; ref: ObjectRef; fields: [string, unknown][]; text: string }
  | { kind: 'always'; from: number; until?: number; service: ObjectRef; atLeast: number; text: string };

export interface Scenario {
  name: string;
  nodes: number;
  duration: number;
  start: KObject[];
  steps: Step[];
  expect: Expectation[];
}

export class ScenarioError extends Error {}

type Raw = Record<string, unknown>;

export function parseScenario(text: string): Scenario {
  const raw = parse(text) as Raw;
  if (!raw || typeof raw !== 'object') throw new ScenarioError('a scenario is a YAML mapping');
  // A step without `at` (a wait) comes right after the one before it; the sort is stable.
  let previous: Step | 0 = 0;
  const steps = list(raw.steps, 'steps')
    .map((s, i) => (previous = parseStep(s, i, previous)))
    .sort((a, b) => a.at - b.at);
  const expect = list(raw.expect, 'expect').map(parseExpectation);
  const last = Math.max(0, ...steps.map((s) => s.at + (s.kind === 'wait' ? s.timeout : 0)), ...expect.map((e) => (e.kind === 'by' ? e.by : (e.until ?? e.from))));
  return {
    name: typeof raw.name === 'string' ? raw.name : 'scenario',
    nodes: typeof raw.nodes === 'number' ? raw.nodes : 3,
    duration: raw.duration === undefined ? last + 60_000 : time(raw.duration, 'duration'),
    start: list(raw.start, 'start') as KObject[],
    steps,
    expect,
  };
}

function parseStep(s: unknown, i: number, previous: Step | 0): Step {
  const r = s as Raw;
  const where = `steps[${i}]`;
  if (r?.wait !== undefined) return parseWait(r, where, previous === 0 ? 0 : previous.at);
  const at = time(r?.at, `${where}.at`);
  if (r.apply !== undefined) return { at, kind: 'apply', manifests: (Array.isArray(r.apply) ? r.apply : [r.apply]) as KObject[] };
  if (r.scale !== undefined) {
    const x = r.scale as Raw;
    if (typeof x.replicas !== 'number') throw new ScenarioError(`${where}.scale.replicas must be a number`);
    return { at, kind: 'scale', ref: refIn(x, `${where}.scale`), replicas: x.replicas };
  }
  if (r.patch !== undefined) return { at, kind: 'patch', ref: refIn(r.patch as Raw, `${where}.patch`), patch: (r.patch as Raw).patch };
  if (r.delete !== undefined) return { at, kind: 'delete', ref: refIn(r.delete as Raw, `${where}.delete`) };
  if (r.node !== undefined) {
    const n = r.node as Raw;
    const action = n.stop !== undefined ? 'stop' : n.start !== undefined ? 'start' : undefined;
    if (!action) throw new ScenarioError(`${where}.node needs stop: NAME or start: NAME`);
    return { at, kind: 'node', action, node: String(n[action]) };
  }
  throw new ScenarioError(`${where}: unknown step (expected apply, scale, patch, delete, node or wait)`);
}

function parseWait(r: Raw, where: string, previousAt: number): Step {
  const w = r.wait as Raw;
  const forText = String(w?.for ?? '');
  const waitFor = parseWaitFor(forText);
  if (!waitFor) throw new ScenarioError(`${where}.wait.for: "${forText}" is not a kubectl wait condition (condition=Available, condition=Ready=False, delete, create, jsonpath={.status.phase}=Running, rollout)`);
  const ref = refOf(String(w.object ?? ''), w.namespace, `${where}.wait.object`);
  if (waitFor.kind === 'rollout' && ref.info.kind !== 'Deployment') throw new ScenarioError(`${where}.wait: for: rollout waits for a deployment, not a ${ref.info.singular}`);
  const at = r.at === undefined ? previousAt : time(r.at, `${where}.at`);
  const timeout = w.timeout === undefined ? DEFAULT_WAIT_TIMEOUT_MS : time(w.timeout, `${where}.wait.timeout`);
  return { at, kind: 'wait', for: waitFor, forText, ref, timeout };
}

function parseExpectation(e: unknown, i: number): Expectation {
  const r = e as Raw;
  const where = `expect[${i}]`;
  if (r?.by !== undefined) {
    const ref = refOf(String(r.object ?? ''), r.namespace, `${where}.object`);
    const fields: [string, unknown][] = typeof r.field === 'string' ? [[r.field, r.equals]] : Object.entries((r.fields ?? {}) as Raw);
    if (fields.length === 0) throw new ScenarioError(`${where} needs field and equals, or fields (e.g. field: status.availableReplicas)`);
    const text = `by t+${r.by} ${r.object} ${fields.map(([f, v]) => `${f} = ${JSON.stringify(v)}`).join(', ')}`;
    const after = r.after === undefined ? 0 : time(r.after, `${where}.after`);
    return { kind: 'by', by: time(r.by, `${where}.by`), after, ref, fields, text };
  }
  const ready = ((r?.always as Raw | undefined)?.readyEndpoints ?? undefined) as Raw | undefined;
  if (ready) {
    const service = refOf(`service/${String(ready.service)}`, ready.namespace, `${where}.always.readyEndpoints.service`);
    const atLeast = Number(ready.atLeast);
    const from = r.from === undefined ? 0 : time(r.from, `${where}.from`);
    const until = r.until === undefined ? undefined : time(r.until, `${where}.until`);
    const text = `never fewer than ${atLeast} ready endpoints for svc ${service.name} from t+${r.from ?? '0s'}${r.until ? ` until t+${r.until}` : ''}`;
    return { kind: 'always', from, until, service, atLeast, text };
  }
  throw new ScenarioError(`${where}: unknown expectation (expected by: … object/field/equals, or always: { readyEndpoints: … })`);
}

/** `{ deployment: web, namespace?: ns }`: the first key that names a type. */
function refIn(r: Raw, where: string): ObjectRef {
  for (const [k, v] of Object.entries(r ?? {})) {
    if (k === 'namespace' || k === 'replicas' || k === 'patch') continue;
    return refOf(`${k}/${String(v)}`, r.namespace, where);
  }
  throw new ScenarioError(`${where} needs the object, e.g. { deployment: web }`);
}

function refOf(typeName: string, ns: unknown, where: string): ObjectRef {
  const [type, name] = typeName.split('/');
  const info = resolveTypeName(type ?? '');
  if (!info || !name) throw new ScenarioError(`${where}: "${typeName}" is not TYPE/NAME of a known type`);
  return { info, name, ns: info.scope === 'Cluster' ? '' : typeof ns === 'string' ? ns : 'default' };
}

function time(v: unknown, where: string): number {
  const ms = typeof v === 'number' ? v * 1000 : parseDuration(`+${String(v)}`);
  if (ms === undefined || !Number.isFinite(ms)) throw new ScenarioError(`${where}: "${String(v)}" is not a duration (30s, 2m, 1h)`);
  return ms;
}

function list(v: unknown, where: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ScenarioError(`${where} must be a list`);
  return v;
}
