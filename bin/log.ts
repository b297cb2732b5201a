// `rewind log [--follow] [--since P] [--until P] [-l selector] [--actor NAME] [--type TYPE] [-n NS] [-o json|yaml]`:
// the event log itself, one line per event: rev, time, type, object, actor and cause.

import { Command } from 'commander';
import { stringify } from 'yaml';
import { describeActor } from '../api/rewind/actor.ts';
import type { LogEntry } from '../api/rewind/log.ts';
import { REWIND_PREFIX } from '../api/routes/rewind.ts';
import { ClientError, parseTypeName, RewindClient, runCommand, withClusterFlags, type ClusterFlags } from './client.ts';
import { outputFormat } from './print.ts';

interface Flags extends ClusterFlags {
  follow?: boolean;
  since?: string;
  until?: string;
  selector?: string;
  actor?: string;
  type?: string;
  namespace?: string;
  output?: string;
}

export function run(argv: string[]): Promise<number> {
  const flags = withClusterFlags(new Command('rewind log'))
    .description('the event log, one line per event')
    .option('-f, --follow', 'keep printing new events as they are committed')
    .option('--since <point>', 'only events after this point')
    .option('--until <point>', 'only events at or before this point (not with --follow)')
    .option('-l, --selector <selector>', 'label selector on the objects')
    .option('--actor <name>', 'only events written by this actor (alice, replicaset, …)')
    .option('--type <type>', 'only this resource type (pods, deploy, …)')
    .option('-n, --namespace <ns>', 'only this namespace')
    .option('-o, --output <format>', 'json (one JSON object per line) or yaml (one document per event)')
    .parse(argv, { from: 'user' })
    .opts<Flags>();
  return runCommand(async () => {
    const format = outputFormat(flags.output);
    if (flags.follow && flags.until) throw new ClientError('--until cannot be used with --follow: a followed log has no end');
    if (flags.type) parseTypeName(flags.type);
    const client = RewindClient.fromFlags(flags);
    const query = { since: flags.since, labelSelector: flags.selector, actor: flags.actor, type: flags.type, namespace: flags.namespace };
    // JSON lines and YAML documents, so a follower can read each event as it comes.
    const print = (e: LogEntry) => (format === 'yaml' ? process.stdout.write(`---\n${stringify(e)}`) : console.log(format === 'json' ? JSON.stringify(e) : logLine(e)));
    if (!flags.follow) {
      const log = await client.get<{ items: LogEntry[] }>(`${REWIND_PREFIX}/events`, { ...query, until: flags.until });
      log.items.forEach(print);
      return;
    }
    const stop = new AbortController();
    process.once('SIGINT', () => stop.abort());
    await client.stream(`${REWIND_PREFIX}/events`, { ...query, follow: '1' }, (e) => print(e as LogEntry), stop.signal);
  });
}

/** "812 2026-11-22T10:42:00Z ADDED pod default/web-7d9c-x2b4 by replicaset controller (cause 811)". */
export function logLine(e: LogEntry): string {
  const object = `${e.kind.toLowerCase()} ${e.ns ? `${e.ns}/` : ''}${e.name}`;
  const cause = e.cause === undefined ? '' : ` (cause ${e.cause})`;
  return `${e.rev} ${e.time} ${e.type} ${object} by ${describeActor(e.actor)}${cause}`;
}
