// Recording a trace of the window (from, to] of a cluster's history: the state at `from` plus every
// event up to `to`. The source is a data directory (a Store opened on it) or a running server (the
// rewind.dev API, bin/record.ts) — both give the same events, so both give the same trace.

import type { Event } from '../core/events.ts';
import type { Store } from '../store/store.ts';
import { stateEvents } from '../api/rewind/state.ts';
import type { Progress } from './progress.ts';
import { TraceWriter } from './trace.ts';

export interface TraceSource {
  /** The newest revision. */
  head(): Promise<number>;
  /** The revision a POINT names. */
  rev(point: string): Promise<number>;
  /** Commit time (ms) of the event at `rev` (0 for rev 0). */
  timeOf(rev: number): Promise<number>;
  /** The state at `rev` as events (api/rewind/state.ts). */
  base(rev: number): Promise<Event[]>;
  /** Events in (from, to], in order. */
  events(from: number, to: number): AsyncIterable<Event>;
}

export function storeSource(store: Store, rev: (point: string) => Promise<number>): TraceSource {
  return {
    head: async () => store.rev,
    rev,
    timeOf: async (r) => (await store.event(r))?.ts ?? 0,
    base: (r) => stateEvents(store, r),
    events: (from, to) => store.read(from, to),
  };
}

export interface RecordOptions {
  since?: string;
  until?: string;
  source?: string;
  progress?: Progress;
}

/** Write the trace to `path`; resolves with the window recorded. */
export async function recordTrace(src: TraceSource, path: string, opts: RecordOptions = {}): Promise<{ from: number; to: number; events: number }> {
  const from = opts.since ? await src.rev(opts.since) : 0;
  const to = opts.until ? await src.rev(opts.until) : await src.head();
  if (to < from) throw new Error(`--until (rev ${to}) is before --since (rev ${from})`);
  const base = await src.base(from);
  // From the beginning (rev 0), the window starts at the first event's time.
  const [fromTime, toTime] = await Promise.all([src.timeOf(from === 0 && to > 0 ? 1 : from), src.timeOf(to)]);
  const w = await TraceWriter.create(path, { from, to, fromTime, toTime, baseEvents: base.length, events: to - from, source: opts.source ?? 'rewind' }, base);
  opts.progress?.start(to - from);
  for await (const e of src.events(from, to)) {
    await w.add(e);
    opts.progress?.tick();
  }
  await w.close();
  opts.progress?.stop();
  return { from, to, events: to - from };
}
