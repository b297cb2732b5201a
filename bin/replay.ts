// `rewind replay TRACE --data DIR [--mode recorded|rederive] [--speed S] [--until POINT] [--quiet]`:
// load a trace into a fresh data directory that `rewind serve --data DIR` then serves (with
// --controllers=-* nothing moves). recorded: every event exactly as it was; rederive: user writes
// only, the controllers re-derive the rest, and the first divergence from the recording is reported
// (exit 1 if any). Time there is virtual: --speed 10x divides the recorded gaps (the events' times).
//
// Without --data, the trace goes to the server named like kubectl's (--server, --kubeconfig,
// --context): it streams the trace up (POST rewind.dev replays; the server checks it as it arrives and
// keeps it on disk, not in memory), which the server writes into its own
// log paced by the recorded gaps / --speed, and follows the server's progress with a progress bar, so
// `kubectl get pods -w` in another terminal shows the incident unfolding. docs/TRACES.md.

import { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ReplayObject } from '../api/rewind/replays.ts';
import { parseSpeed } from '../api/routes/at.ts';
import { REWIND_PREFIX } from '../api/routes/rewind.ts';
import { isStatusError } from '../core/errors.ts';
import { progressBar } from '../replays/progress.ts';
import { replayRederive, type EventSummary } from '../replays/rederive.ts';
import { replayRecorded } from '../replays/replay.ts';
import { readTrace, TraceError, type Trace } from '../replays/trace.ts';
import { classicDb } from '../store/index.ts';
import { ClientError, fileSize, RewindClient, runCommand, withClusterFlags, type ClusterFlags } from './client.ts';

interface Flags extends ClusterFlags {
  data?: string;
  mode: string;
  until?: string;
  speed: string;
  quiet?: boolean;
}

export function run(argv: string[]): Promise<number> {
  const cmd = withClusterFlags(new Command('rewind replay'))
    .description('replay a trace into a fresh data directory (--data) or into the running server of the kubeconfig')
    .argument('<TRACE>', 'a trace file (rewind record, rewind import, rewind scenario run --trace)')
    .option('--data <dir>', 'the data directory to create (default: replay into the server instead)')
    .option('--mode <mode>', 'recorded or rederive', 'recorded')
    .option('--until <point>', 'stop after this point: a rev, an RFC 3339 time, +90s from the start, -90s from the end')
    .option('--speed <speed>', 'recorded gaps divided by this: 1x, 100x, or max (no waiting; in a data directory, times as recorded)', 'max')
    .option('--quiet', 'no progress bar')
    .parse(argv, { from: 'user' });
  const flags = cmd.opts<Flags>();
  return runCommand(async () => {
    if (flags.mode !== 'recorded' && flags.mode !== 'rederive') throw new ClientError(`unknown mode "${flags.mode}": use recorded or rederive`);
    const speed = speedOf(flags.speed);
    return flags.data ? intoDataDir(cmd.args[0], flags.data, flags, speed) : intoServer(cmd.args[0], flags);
  });
}

function speedOf(text: string): number {
  try {
    return parseSpeed(text);
  } catch (err) {
    throw isStatusError(err) ? new ClientError(err.message) : err;
  }
}

async function intoDataDir(file: string, data: string, flags: Flags, speed: number): Promise<number> {
  const trace = await readTrace(file).catch((err: Error) => {
    throw new ClientError(err instanceof TraceError ? err.message : `cannot read ${file}: ${err.message}`);
  });
  mkdirSync(data, { recursive: true });
  try {
    return flags.mode === 'recorded' ? await recorded(trace, data, flags, speed) : await rederived(trace, data, flags, speed);
  } catch (err) {
    // Found cut short or corrupt part-way through: what came before it is in the data directory.
    if (err instanceof TraceError) throw new ClientError(`${err.message}; ${data} holds only the events before that point`);
    throw err;
  }
}

async function recorded(trace: Trace, data: string, flags: Flags, speed: number): Promise<number> {
  const rev = await replayRecorded(trace, classicDb(join(data, 'log')), { until: flags.until, progress: progressBar('replay', flags.quiet ?? false), speed });
  console.error(`replayed revs ${trace.header.from}..${rev} into ${data} (recorded)`);
  return 0;
}

async function rederived(trace: Trace, data: string, flags: Flags, speed: number): Promise<number> {
  const report = await replayRederive(trace, classicDb(join(data, 'log')), { until: flags.until, speed });
  console.log(`rederived ${report.rederived} events from ${report.inputs} inputs (recorded: ${report.recorded})`);
  const d = report.divergence;
  if (!d) {
    console.log('no divergence: the controllers re-derived the recorded history');
    return 0;
  }
  const show = (e: EventSummary | undefined) => (e ? `rev ${e.rev} ${e.type} ${e.res} ${e.ns ? `${e.ns}/` : ''}${e.name} by ${e.actor}` : '(none)');
  console.log(`first divergence at event #${d.index + 1}:\n  recorded:  ${show(d.recorded)}\n  rederived: ${show(d.rederived)}`);
  if (d.patch.length) console.log(`  object difference (recorded → rederived): ${JSON.stringify(d.patch)}`);
  for (const [k, c] of Object.entries(report.summary)) console.log(`  ${k}: recorded ${c.recorded}, rederived ${c.rederived}`);
  return 1;
}

async function intoServer(file: string, flags: Flags): Promise<number> {
  const client = RewindClient.fromFlags(flags);
  const started = await upload(client, file, flags);
  if (started.status.warning) console.error(`warning: ${started.status.warning}`);
  const progress = progressBar(started.metadata.name, flags.quiet ?? false);
  let last = started;
  progress.start(started.status.total);
  await client.stream(`${REWIND_PREFIX}/replays/${started.metadata.name}`, { follow: '1' }, (line) => {
    const r = line as ReplayObject;
    const done = r.status.applied + r.status.skipped;
    progress.tick(done - (last.status.applied + last.status.skipped));
    last = r;
  });
  progress.stop();
  const s = last.status;
  console.error(`${started.metadata.name}: ${s.phase}: ${s.applied} of ${s.total} events written to ${client.server} as revs ${s.startRev + 1}..${s.lastRev} (${last.spec.mode}, speed ${last.spec.speed})`);
  if (s.message) console.error(s.message);
  return s.phase === 'Succeeded' ? 0 : 1;
}

/** The trace sent as it is read from disk (the server checks it as it arrives), with a bar in KiB sent. */
async function upload(client: RewindClient, file: string, flags: Flags): Promise<ReplayObject> {
  const bar = progressBar('upload', flags.quiet ?? false, 'KiB');
  let sent = 0;
  let shown = 0;
  bar.start(Math.ceil(fileSize(file) / 1024));
  try {
    return await client.postFile<ReplayObject>(`${REWIND_PREFIX}/replays`, { mode: flags.mode, speed: flags.speed, until: flags.until }, file, (bytes) => {
      sent += bytes;
      bar.tick(Math.floor(sent / 1024) - shown);
      shown = Math.floor(sent / 1024);
    });
  } finally {
    bar.stop();
  }
}
