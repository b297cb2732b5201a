// Kubernetes Events as the real controllers record them (client-go tools/record): a v1 Event naming
// the involved object, with reason, message, type Normal/Warning, source.component and
// reportingComponent, firstTimestamp/lastTimestamp/count — so `kubectl describe` and
// `kubectl get events` tell the story of a rollout.
//
// Like client-go's EventCorrelator, an event identical to one recorded recently (same object, type,
// reason, message and component, last seen within 10 minutes) is not a new object: the existing one
// gets count + 1 and a new lastTimestamp. To find it without scanning, its name is deterministic:
// `<object name>.<16 hex digits>` derived from exactly those fields (client-go uses the creation time
// in nanoseconds; ours is the same shape and, like everything in Rewind, replays identically).
//
// Example: the replica set controller creating pod web-7d9c-x2b4q records
//   Normal SuccessfulCreate "Created pod: web-7d9c-x2b4q" on ReplicaSet web-7d9c,
// committed as a patch-or-create of Event "web-7d9c.1f0c…" in the replica set's namespace.

import { rfc3339 } from '../core/clock.ts';
import type { Mutation } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import { derive } from '../core/random.ts';

export const EVENTS_RES = 'v1/events';

/** client-go's defaultAggregateIntervalInSeconds: identical events within it share one object. */
const AGGREGATE_WINDOW_MS = 600_000;

export interface EventRecord {
  /** The object the event is about. */
  object: KObject;
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

/** The write recording `rec` at `now` on behalf of `component` (e.g. "deployment-controller"). */
export function recordEvent(component: string, rec: EventRecord, now: number): Mutation {
  const fresh = newEvent(component, rec, now);
  const stamp = rfc3339(now);
  return {
    op: 'patch',
    res: EVENTS_RES,
    ns: fresh.metadata.namespace!,
    name: fresh.metadata.name!,
    upsert: fresh,
    apply: (current) => {
      const last = Date.parse(String(current.lastTimestamp));
      if (now - last <= AGGREGATE_WINDOW_MS) return { ...current, count: Number(current.count) + 1, lastTimestamp: stamp };
      return { ...current, count: 1, firstTimestamp: stamp, lastTimestamp: stamp };
    },
  };
}

/** The event as first created; count 0 because the patch that creates it counts it. */
function newEvent(component: string, rec: EventRecord, now: number): KObject {
  const m = rec.object.metadata;
  const ns = m.namespace || 'default';
  const identity = [m.uid, rec.object.kind, ns, m.name, rec.type, rec.reason, rec.message, component].join('\0');
  const stamp = rfc3339(now);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${m.name}.${derive('event', 0, 0, identity).toString('hex').slice(0, 16)}`, namespace: ns },
    involvedObject: {
      apiVersion: rec.object.apiVersion,
      kind: rec.object.kind,
      ...(m.namespace ? { namespace: m.namespace } : {}),
      name: m.name,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
    },
    reason: rec.reason,
    message: rec.message,
    source: { component },
    firstTimestamp: stamp,
    lastTimestamp: stamp,
    count: 0,
    type: rec.type,
    eventTime: null,
    reportingComponent: component,
    reportingInstance: '',
  };
}
