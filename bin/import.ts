// `rewind import AUDIT.log -o cluster.trace [--quiet]`: a Kubernetes audit log (audit.k8s.io/v1 JSON
// lines at level RequestResponse) as a trace (replays/import-audit.ts), to replay with `rewind replay`
// and query with at/history/diff/why.

import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { importAudit } from '../replays/import-audit.ts';
import { progressBar } from '../replays/progress.ts';
import { TraceWriter } from '../replays/trace.ts';
import { ClientError, runCommand } from './client.ts';

export function run(argv: string[]): Promise<number> {
  const cmd = new Command('rewind import')
    .description('turn a Kubernetes audit log into a trace')
    .argument('<AUDIT_LOG>', 'audit.k8s.io/v1 events, one JSON object per line, level RequestResponse')
    .requiredOption('-o, --output <file>', 'the trace file to write')
    .option('--quiet', 'no progress bar')
    .parse(argv, { from: 'user' });
  const flags = cmd.opts<{ output: string; quiet?: boolean }>();
  return runCommand(async () => {
    let text: string;
    try {
      text = readFileSync(cmd.args[0], 'utf8');
    } catch (err) {
      throw new ClientError(`cannot read ${cmd.args[0]}: ${(err as Error).message}`);
    }
    const result = importAudit(text);
    if (result.events.length === 0) throw new ClientError(`${cmd.args[0]}: no successful writes at level RequestResponse to import`);
    const { events } = result;
    const progress = progressBar('import', flags.quiet ?? false);
    const header = { from: 0, to: events.length, fromTime: events[0].ts, toTime: events[events.length - 1].ts, baseEvents: 0, events: events.length, source: 'audit' };
    const w = await TraceWriter.create(flags.output, header, []);
    progress.start(events.length);
    for (const e of events) {
      await w.add(e);
      progress.tick();
    }
    await w.close();
    progress.stop();
    const invalid = result.invalid.length ? `, ${result.invalid.length} invalid (lines ${result.invalid.slice(0, 5).join(', ')})` : '';
    console.error(`imported ${events.length} events from ${result.lines} audit lines (${result.skipped} skipped: reads, failures, other stages or levels${invalid}) to ${flags.output}`);
  });
}
