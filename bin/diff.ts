// `rewind diff POINT_A POINT_B [TYPE[/NAME]] [-n NS] [-o json]`: what was created, deleted and changed
// between two points, object by object, as unified diffs of the objects' YAML (bookkeeping fields
// that change on every write are left out; list elements with a merge key, such as conditions by type,
// are matched by that key, not by position); `-o json|yaml` prints each object's RFC 6902 JSON Patch.
// `rewind diff --timeline DIR_A --timeline DIR_B --at +120s [TYPE[/NAME]]` compares two timelines
// (data directories, e.g. an original and its fork) at the same time after each one's start.

import { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { ObjectChange, PointDiff } from '../api/rewind/diff.ts';
import { alignedTo } from '../api/rewind/changes.ts';
import { REWIND_PREFIX } from '../api/routes/rewind.ts';
import type { KObject } from '../core/object.ts';
import { diffTimelines } from '../replays/timeline-diff.ts';
import { openStore } from '../store/index.ts';
import { join } from 'node:path';
import { ClientError, parseTypeName, RewindClient, runCommand, withClusterFlags, type ClusterFlags } from './client.ts';
import { operandsLast } from './operands.ts';
import { outputFormat, printValue } from './print.ts';

interface Flags extends ClusterFlags {
  namespace?: string;
  output?: string;
  timeline: string[];
  at?: string;
}

export function run(argv: string[]): Promise<number> {
  // POINTs may be relative (-15m): operandsLast keeps commander from reading them as options.
  const cmd = withClusterFlags(new Command('rewind diff'))
    .description('objects created, deleted and changed between two points')
    .argument('[POINT_A]', 'from (a revision, an RFC 3339 time, -15m or now)')
    .argument('[POINT_B]', 'to')
    .argument('[TYPE[/NAME]]', 'only this type, or this object')
    .option('--timeline <dir>', 'compare two data directories (give it twice) instead of two points', (v: string, all: string[]) => [...all, v], [])
    .option('--at <offset>', 'with --timeline: the time after each timeline\'s start (+120s)')
    .option('-n, --namespace <ns>', 'only this namespace')
    .option('-o, --output <format>', 'json or yaml: a JSON Patch per object');
  const flags = cmd.parse(operandsLast(cmd, argv), { from: 'user' }).opts<Flags>();
  return runCommand(async () => {
    const format = outputFormat(flags.output);
    const d = flags.timeline.length > 0 ? await timelineDiff(flags, cmd.args[0]) : await pointDiff(flags, cmd.args);
    if (format) return printValue(asPatches(d), format);
    const changes = [...d.created, ...d.deleted, ...d.changed].sort((a, b) => label(a).localeCompare(label(b)));
    if (changes.length === 0) return console.log(`no changes between rev ${d.from} and rev ${d.to}`);
    for (const c of changes) process.stdout.write(unified(c, d));
  });
}

async function pointDiff(flags: Flags, args: string[]): Promise<PointDiff> {
  const [from, to, scope] = args;
  if (!from || !to) throw new ClientError('usage: rewind diff POINT_A POINT_B [TYPE[/NAME]], or --timeline A --timeline B --at +120s');
  const target = scope ? parseTypeName(scope) : undefined;
  return RewindClient.fromFlags(flags).get<PointDiff>(`${REWIND_PREFIX}/diff`, { from, to, type: target?.type, name: target?.name, namespace: flags.namespace });
}

async function timelineDiff(flags: Flags, scope: string | undefined): Promise<PointDiff> {
  if (flags.timeline.length !== 2 || !flags.at) throw new ClientError('--timeline needs two data directories and --at +OFFSET');
  const target = scope ? parseTypeName(scope) : undefined;
  const [a, b] = await Promise.all(flags.timeline.map((dir) => openStore({ path: join(dir, 'log') })));
  try {
    return await diffTimelines(a, b, flags.at, { res: target?.info.res, ns: flags.namespace, name: target?.name });
  } catch (err) {
    throw new ClientError((err as Error).message);
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}

const label = (c: ObjectChange) => `${c.kind.toLowerCase()}/${c.ns ? `${c.ns}/` : ''}${c.name}`;

function unified(c: ObjectChange, d: PointDiff): string {
  const a = c.before ? yamlOf(c.before) : '';
  // Keyed lists (conditions by type, containers by name) in the old order: changes show in place.
  const b = c.after ? yamlOf(c.before ? alignedTo(c.before, c.after) : c.after) : '';
  return createTwoFilesPatch(`${label(c)}@${d.from}`, `${label(c)}@${d.to}`, a, b, c.before ? '' : '(created)', c.after ? '' : '(deleted)');
}

/** The object's YAML without the fields every write changes. */
function yamlOf(o: KObject): string {
  const { resourceVersion: _rv, managedFields: _mf, generation: _g, ...metadata } = o.metadata as Record<string, unknown>;
  return stringify({ ...o, metadata });
}

function asPatches(d: PointDiff) {
  const entry = (change: string) => (c: ObjectChange) => ({ change, kind: c.kind, namespace: c.ns, name: c.name, patch: c.patch });
  return { from: d.from, to: d.to, objects: [...d.created.map(entry('created')), ...d.deleted.map(entry('deleted')), ...d.changed.map(entry('changed'))] };
}
