// The state at a revision as the events that produced it: the last event of every object alive at
// `rev` (an object's resourceVersion is the rev of its last write) plus the event at `rev` itself.
// This is a trace's base (replays/trace.ts): enough to rebuild every read at `rev` and after, exactly.

import type { Event } from '../../core/events.ts';
import { RESOURCES } from '../../core/registry.ts';
import type { Store } from '../../store/store.ts';

export async function stateEvents(store: Store, rev: number): Promise<Event[]> {
  if (rev === 0) return [];
  const view = await store.at(rev);
  const revs = new Set<number>([rev]);
  for (const res of new Set(RESOURCES.map((r) => r.res))) {
    for (const o of view.list(res).items) revs.add(Number(o.metadata.resourceVersion));
  }
  const events: Event[] = [];
  for (const r of [...revs].sort((a, b) => a - b)) {
    const e = await store.event(r);
    if (e) events.push(e);
  }
  return events;
}
