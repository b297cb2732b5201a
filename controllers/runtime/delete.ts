// Deleting an object from a controller the way a DELETE through the API does it: core/deletion.ts
// planDeletion decides (graceful termination for a pod on a node, a terminating mark for an object
// with finalizers or a propagation policy, removal otherwise); this turns its plan into a Mutation.
// A removal names the uid, so a same-named successor is never hit.

import { planDeletion, type DeletionOptions } from '../../core/deletion.ts';
import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';

export function deleteObject(res: string, o: KObject, now: number, opts: DeletionOptions = {}): Mutation {
  const key = { res, ns: o.metadata.namespace ?? '', name: o.metadata.name! };
  const plan = planDeletion(o, opts, now);
  if (plan.action === 'remove') return { op: 'delete', ...key, expectedUid: o.metadata.uid };
  // 'none' (already terminating): a patch that keeps the object as it is.
  return { op: 'patch', ...key, apply: plan.action === 'mark' ? plan.apply : (cur) => cur };
}
