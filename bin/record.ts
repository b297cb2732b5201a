// `rewind record [--since A] [--until B] -o FILE [--data DIR] [--quiet]`: write a trace of the window
// (A, B] — the state at A and every event up to B — from a running server (the rewind.dev API, found
// like kubectl finds its cluster) or, with --data, from a data directory (its server must be stopped).

import { Command } from 'commander';
import { join } from 'node:path';
import type { LogEntry } from '../api/rewind/log.ts';
import { REWIND_PREFIX } from '../api/routes/rewind.ts';
import { RealClock } from '../core/clock.ts';
import type { Event } from '../core/events.ts';
import { parsePoint } from '../core/point.ts';
import { progressBar } from '../replays/progress.ts';
import { recordTrace, storeSource, type TraceSource } from '../replays/record.ts';
import { openStore, type Store } from '../store/index.ts';
import { RewindClient, runCommand, withClusterFlags, type ClusterFlags } from './client.ts';

interface Flags extends ClusterFlags {
  since?: string;
  until?: string;
  output: string;
  data?: string;
  quiet?: boolean;
}

export function run(argv: string[]): Promise<number> {
  const flags = withClusterFlags(new Command('rewind record'))
    .description('record a trace: the state at --since and every event up to --until')
    .option('--since <point>', 'start of the window (default: the beginning)')
    .option('--until <point>', 'end of the window (default: now)')
    .requiredOption('-o, --output <file>', 'the trace file to write')
    .option('--data <dir>', 'read a data directory instead of a server')
    .option('--quiet', 'no progress bar')
    .parse(argv, { from: 'user' })
    .opts<Flags>();
  return runCommand(async () => {
    const progress = progressBar('record', flags.quiet ?? false);
    const opts = { since: flags.since, until: flags.until, progress };
    let store: Store | undefined;
    try {
      let src: TraceSource;
      if (flags.data) {
        const s = (store = await openStore({ path: join(flags.data, 'log') }));
        src = storeSource(s, async (p) => {
          const point = parsePoint(p, new RealClock().now());
          return 'rev' in point ? point.rev : s.revAtTime(point.time);
        });
      } else src = serverSource(RewindClient.fromFlags(flags));
      const r = await recordTrace(src, flags.output, opts);
      console.error(`recorded revs ${r.from}..${r.to} (${r.events} events) to ${flags.output}`);
    } finally {
      await store?.close();
    }
  });
}

/** A trace source over the rewind.dev API. */
function serverSource(client: RewindClient): TraceSource {
  const point = (at: string) => client.get<{ rev: number; ts: number; head: number }>(`${REWIND_PREFIX}/point`, { at });
  return {
    head: async () => (await point('')).head,
    rev: async (p) => (await point(p)).rev,
    timeOf: async (rev) => (await point(String(rev))).ts,
    base: async (rev) => (await client.get<{ items: Event[] }>(`${REWIND_PREFIX}/state`, { at: String(rev) })).items,
    events: (from, to) => serverEvents(client, from, to),
  };
}

/** Events read in windows of PAGE revisions, so a long window never becomes one huge response. */
const PAGE = 10_000;

async function* serverEvents(client: RewindClient, from: number, to: number): AsyncIterable<Event> {
  for (let lo = from; lo < to; lo += PAGE) {
    const hi = Math.min(lo + PAGE, to);
    const log = await client.get<{ items: LogEntry[] }>(`${REWIND_PREFIX}/events`, { since: String(lo), until: String(hi), objects: '1' });
    yield* log.items.map(eventOf);
  }
}

/** A log entry with its object back as the store's Event. */
function eventOf(e: LogEntry): Event {
  const event: Event = { rev: e.rev, ts: e.ts, type: e.type, res: e.res, ns: e.ns, name: e.name, object: e.object!, actor: e.actor };
  if (e.cause !== undefined) event.cause = e.cause;
  return event;
}
