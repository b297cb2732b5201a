// Deleting an object from a controller the way a DELETE through the API does it (the same rules as
// api/routes/deletion.ts planDeletion, which controllers cannot import: api sits above them):
// - a pod running on a node gets deletionTimestamp = now + grace period and deletionGracePeriodSeconds;
//   its kubelet stops it and removes it (graceful termination);
// - an object with finalizers gets deletionTimestamp = now and stays until they are removed;
// - anything else is removed at once (by uid, so a same-named successor is never hit).

import { rfc3339 } from '../../core/clock.ts';
import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { podPhase, podSpec } from './pods.ts';

/** A pod's default spec.terminationGracePeriodSeconds. */
const DEFAULT_GRACE_SECONDS = 30;

export function deleteObject(res: string, o: KObject, now: number): Mutation {
  const ns = o.metadata.namespace ?? '';
  const name = o.metadata.name!;
  const grace = gracePeriod(o);
  if (grace > 0) return markDeleted(res, o, rfc3339(now + grace * 1000), grace);
  if ((o.metadata.finalizers?.length ?? 0) > 0) return markDeleted(res, o, rfc3339(now), 0);
  return { op: 'delete', res, ns, name, expectedUid: o.metadata.uid };
}

/** The grace period of a pod bound to a node and not finished; 0 for everything else. */
function gracePeriod(o: KObject): number {
  if (o.kind !== 'Pod' || !podSpec(o).nodeName) return 0;
  if (podPhase(o) === 'Succeeded' || podPhase(o) === 'Failed') return 0;
  return podSpec(o).terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
}

function markDeleted(res: string, o: KObject, deletionTimestamp: string, grace: number): Mutation {
  return {
    op: 'patch',
    res,
    ns: o.metadata.namespace ?? '',
    name: o.metadata.name!,
    apply: (cur) => (cur.metadata.deletionTimestamp ? cur : { ...cur, metadata: { ...cur.metadata, deletionTimestamp, deletionGracePeriodSeconds: grace } }),
  };
}
