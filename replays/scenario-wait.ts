// The `wait` step of a scenario: hold the steps after it until an object reaches a state, as
// `kubectl wait --for=…` does, in virtual time. The `for` forms are kubectl's:
//
//   condition=Available          status.conditions[type=Available].status is "True" (type and value
//   condition=Ready=False        compared case-insensitively, as kubectl's strings.EqualFold)
//   delete                       the object is gone (or never existed)
//   create                       the object exists
//   jsonpath={.status.phase}=Running   the field, printed as kubectl prints a scalar, equals the value;
//   jsonpath={.status.loadBalancer}    without a value: the field exists
//   rollout                      a Deployment's rollout is complete, as `kubectl rollout status`
//                                reports it (kubectl's DeploymentStatusViewer): the controller has
//                                observed the latest generation, every replica is updated and
//                                available, and no old replica is left (past its progress deadline
//                                a rollout is not complete either: the wait times out, where kubectl
//                                would stop at once)
//
// kubectl's default --timeout is 30s; a wait that times out fails the scenario.

import type { KObject } from '../core/object.ts';

export type WaitFor =
  | { kind: 'condition'; type: string; value: string }
  | { kind: 'delete' }
  | { kind: 'create' }
  | { kind: 'jsonpath'; path: (string | number)[]; value?: string }
  | { kind: 'rollout' };

export const DEFAULT_WAIT_TIMEOUT_MS = 30_000;

/** Parse a `for:` text; undefined when it is none of kubectl's forms. */
export function parseWaitFor(text: string): WaitFor | undefined {
  if (text === 'delete' || text === 'create' || text === 'rollout') return { kind: text };
  const condition = /^condition=([^=]+)(?:=(.+))?$/.exec(text);
  if (condition) return { kind: 'condition', type: condition[1], value: condition[2] ?? 'True' };
  const jsonpath = /^jsonpath=\{((?:\.[\w-]+|\[\d+\])+)\}(?:=(.*))?$/.exec(text);
  if (!jsonpath) return undefined;
  const path = [...jsonpath[1].matchAll(/\.([\w-]+)|\[(\d+)\]/g)].map((m) => (m[1] !== undefined ? m[1] : Number(m[2])));
  return jsonpath[2] === undefined ? { kind: 'jsonpath', path } : { kind: 'jsonpath', path, value: jsonpath[2] };
}

/** Whether the object (undefined: absent) is in the awaited state. */
export function waitHolds(w: WaitFor, obj: KObject | undefined): boolean {
  switch (w.kind) {
    case 'delete':
      return obj === undefined;
    case 'create':
      return obj !== undefined;
    case 'condition': {
      const conditions = ((obj as { status?: { conditions?: { type?: string; status?: string }[] } } | undefined)?.status?.conditions ?? []);
      const c = conditions.find((x) => sameText(x.type, w.type));
      return c !== undefined && sameText(c.status, w.value);
    }
    case 'jsonpath': {
      const v = valueAt(obj, w.path);
      if (w.value === undefined) return v !== undefined;
      return v !== null && typeof v !== 'object' && String(v) === w.value;
    }
    case 'rollout':
      return obj !== undefined && rolloutPending(obj) === undefined;
  }
}

type DeploymentLike = { metadata: { generation?: number }; spec?: { replicas?: number }; status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number } };

/** What a Deployment's rollout still waits for, in kubectl rollout status' words; undefined when complete. */
function rolloutPending(obj: KObject): string | undefined {
  const d = obj as unknown as DeploymentLike;
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  const [updated, replicas, available] = [s.updatedReplicas ?? 0, s.replicas ?? 0, s.availableReplicas ?? 0];
  if ((s.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) return 'Waiting for deployment spec update to be observed';
  if (updated < want) return `${updated} out of ${want} new replicas have been updated`;
  if (replicas > updated) return `${replicas - updated} old replicas are pending termination`;
  if (available < updated) return `${available} of ${updated} updated replicas are available`;
  return undefined;
}

/** What the object shows for the awaited state now, for a timeout's message. */
export function waitObserved(w: WaitFor, obj: KObject | undefined): string {
  if (obj === undefined) return 'the object does not exist';
  if (w.kind === 'condition') {
    const c = ((obj as { status?: { conditions?: { type?: string; status?: string }[] } }).status?.conditions ?? []).find((x) => sameText(x.type, w.type));
    return c ? `${w.type} is ${c.status}` : `no ${w.type} condition`;
  }
  if (w.kind === 'jsonpath') return `the field is ${JSON.stringify(valueAt(obj, w.path)) ?? 'absent'}`;
  if (w.kind === 'rollout') return rolloutPending(obj) ?? 'the rollout is complete';
  return 'the object exists';
}

const sameText = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

function valueAt(obj: unknown, path: (string | number)[]): unknown {
  let cur = obj;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}
