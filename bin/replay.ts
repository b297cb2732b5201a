// `rewind replay TRACE --data DIR [--mode recorded|rederive] [--until POINT] [--quiet]`: load a trace
// into a fresh data directory that `rewind serve --data DIR` then serves (with --controllers=-* nothing
// moves). recorded: every event exactly as it was; rederive: user writes only, the controllers
// re-derive the rest, and the first divergence from the recording is reported (exit 1 if any).

import { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { progressBar } from '../replays/progress.ts';
import { replayRederive, type EventSummary } from '../replays/rederive.ts';
import { replayRecorded } from '../replays/replay.ts';
import { readTrace } from '../replays/trace.ts';
import { classicDb } from '../store/index.ts';
import { ClientError, runCommand } from './client.ts';

interface Flags {
  data: string;
  mode: string;
  until?: string;
  speed?: string;
  quiet?: boolean;
}

export function run(argv: string[]): Promise<number> {
  const cmd = new Command('rewind replay')
    .description('replay a trace into a fresh data directory')
    .argument('<TRACE>', 'a trace file (rewind record, rewind import)')
    .requiredOption('--data <dir>', 'the data directory to create')
    .option('--mode <mode>', 'recorded or rederive', 'recorded')
    .option('--until <point>', 'stop after this point: a rev, an RFC 3339 time, +90s from the start, -90s from the end')
    .option('--speed <speed>', 'max (a replay into a data directory always runs at full speed)', 'max')
    .option('--quiet', 'no progress bar')
    .parse(argv, { from: 'user' });
  const flags = cmd.opts<Flags>();
  return runCommand(async () => {
    if (flags.speed !== 'max') throw new ClientError('a replay into a data directory runs at full speed: use --speed max, or watch it paced under /at/ (?speed=)');
    const trace = await readTrace(cmd.args[0]).catch((err: Error) => {
      throw new ClientError(err.message);
    });
    mkdirSync(flags.data, { recursive: true });
    const progress = progressBar('replay', flags.quiet ?? false);
    if (flags.mode === 'recorded') {
      const rev = await replayRecorded(trace, classicDb(join(flags.data, 'log')), { until: flags.until, progress });
      console.error(`replayed revs ${trace.header.from}..${rev} into ${flags.data} (recorded)`);
      return;
    }
    if (flags.mode !== 'rederive') throw new ClientError(`unknown mode "${flags.mode}": use recorded or rederive`);
    const report = await replayRederive(trace, classicDb(join(flags.data, 'log')));
    console.log(`rederived ${report.rederived} events from ${report.inputs} inputs (recorded: ${report.recorded})`);
    const d = report.divergence;
    if (!d) return console.log('no divergence: the controllers re-derived the recorded history');
    const show = (e: EventSummary | undefined) => (e ? `rev ${e.rev} ${e.type} ${e.res} ${e.ns ? `${e.ns}/` : ''}${e.name} by ${e.actor}` : '(none)');
    console.log(`first divergence at event #${d.index + 1}:\n  recorded:  ${show(d.recorded)}\n  rederived: ${show(d.rederived)}`);
    if (d.patch.length) console.log(`  object difference (recorded → rederived): ${JSON.stringify(d.patch)}`);
    for (const [k, c] of Object.entries(report.summary)) console.log(`  ${k}: recorded ${c.recorded}, rederived ${c.rederived}`);
    return 1;
  });
}
