// A refused pod write, reported as client-go's pod control does (controller_utils.go CreatePods and
// DeletePod): a Warning Event on the owner, FailedCreate "Error creating: <the API error>" or
// FailedDelete "Error deleting: <the API error>". The replica set, daemon set and job controllers
// hand this to the runtime as their onCommitError (the replica set adds its ReplicaFailure condition).
// Example: a quota with pods=2 refuses a third pod → Warning FailedCreate "Error creating: pods
// "web-7d9c-x2b4q" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2".

import type { Mutation } from '../core/events.ts';
import { recordEvent } from './events.ts';
import { PODS } from './runtime/pods.ts';
import { splitKey, type CommitFailure, type Controller, type ReconcileContext } from './runtime/types.ts';

interface PodFailure {
  reason: 'FailedCreate' | 'FailedDelete';
  message: string;
}

/** What a refused commit says about pods: a create refused wins over a delete; undefined if it wrote no pod. */
export function podFailure({ error, writes }: CommitFailure): PodFailure | undefined {
  if (writes.some((w) => w.op === 'create' && w.res === PODS)) return { reason: 'FailedCreate', message: `Error creating: ${error.message}` };
  if (writes.some((w) => w.op !== 'create' && w.res === PODS)) return { reason: 'FailedDelete', message: `Error deleting: ${error.message}` };
  return undefined;
}

/** The onCommitError of a controller whose key names an object of `res`: the Warning Event only. */
export function reportPodFailure(component: string, res: string): NonNullable<Controller['onCommitError']> {
  return (key, failure, { view, now }: ReconcileContext): Mutation[] => {
    const { ns, name } = splitKey(key);
    const owner = view.get(res, ns, name);
    const f = podFailure(failure);
    return owner && f ? [recordEvent(component, { object: owner, type: 'Warning', ...f }, now)] : [];
  };
}
