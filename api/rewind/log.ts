// The event log as the rewind.dev API serves it: one entry per event (without the object, unless
// asked), filtered by resource, namespace, actor name and a label selector on the object.

import { rfc3339 } from '../../core/clock.ts';
import type { Actor, Event, EventType } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { parseLabelSelector } from '../../core/selectors.ts';

/** What every answer about one event says: which event, when, what happened to which object, by whom. */
export interface EventHeader {
  rev: number;
  time: string;
  type: EventType;
  res: string;
  kind: string;
  ns: string;
  name: string;
  actor: Actor;
}

export interface LogEntry extends EventHeader {
  /** Commit time in ms (time is its RFC 3339 form, to the second). */
  ts: number;
  cause?: number;
  object?: KObject;
}

export interface LogFilterSpec {
  res?: string;
  ns?: string;
  actor?: string;
  labelSelector?: string;
}

export function logFilter(spec: LogFilterSpec): (e: Event) => boolean {
  const labels = spec.labelSelector ? parseLabelSelector(spec.labelSelector) : undefined;
  return (e) =>
    (spec.res === undefined || e.res === spec.res) &&
    (spec.ns === undefined || e.ns === spec.ns) &&
    (spec.actor === undefined || e.actor.name === spec.actor) &&
    (labels === undefined || labels(e.object.metadata.labels));
}

export function logEntry(e: Event, withObject: boolean): LogEntry {
  const entry: LogEntry = { rev: e.rev, time: rfc3339(e.ts), ts: e.ts, type: e.type, res: e.res, kind: e.object.kind ?? '', ns: e.ns, name: e.name, actor: e.actor };
  if (e.cause !== undefined) entry.cause = e.cause;
  if (withObject) entry.object = e.object;
  return entry;
}
