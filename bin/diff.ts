// `rewind diff POINT_A POINT_B [TYPE[/NAME]] [-n NS] [-o json]`: what was created, deleted and changed
// between two points, object by object, as unified diffs of the objects' YAML (bookkeeping fields
// that change on every write are left out); `-o json` prints each object's RFC 6902 JSON Patch.

import { Command } from 'commander';
import { createTwoFilesPatch } from 'diff';
import { stringify } from 'yaml';
import type { ObjectChange, PointDiff } from '../api/rewind/diff.ts';
import { REWIND_PREFIX } from '../api/routes/rewind.ts';
import type { KObject } from '../core/object.ts';
import { ClientError, parseTypeName, RewindClient, runCommand, withClusterFlags, type ClusterFlags } from './client.ts';

interface Flags extends ClusterFlags {
  namespace?: string;
  output?: string;
}

export function run(argv: string[]): Promise<number> {
  const cmd = withClusterFlags(new Command('rewind diff'))
    .description('objects created, deleted and changed between two points')
    .argument('<POINT_A>', 'from (a revision, an RFC 3339 time, -15m or now)')
    .argument('<POINT_B>', 'to')
    .argument('[TYPE[/NAME]]', 'only this type, or this object')
    .option('-n, --namespace <ns>', 'only this namespace')
    .option('-o, --output <format>', 'json: a JSON Patch per object')
    .parse(argv, { from: 'user' });
  const flags = cmd.opts<Flags>();
  return runCommand(async () => {
    const [from, to, scope] = cmd.args;
    const target = scope ? parseTypeName(scope) : undefined;
    const d = await RewindClient.fromFlags(flags).get<PointDiff>(`${REWIND_PREFIX}/diff`, { from, to, type: target?.type, name: target?.name, namespace: flags.namespace });
    if (flags.output === 'json') return console.log(JSON.stringify(asPatches(d), null, 2));
    if (flags.output) throw new ClientError(`unknown output format "${flags.output}": use json`);
    const changes = [...d.created, ...d.deleted, ...d.changed].sort((a, b) => label(a).localeCompare(label(b)));
    if (changes.length === 0) return console.log(`no changes between rev ${d.from} and rev ${d.to}`);
    for (const c of changes) process.stdout.write(unified(c, d));
  });
}

const label = (c: ObjectChange) => `${c.kind.toLowerCase()}/${c.ns ? `${c.ns}/` : ''}${c.name}`;

function unified(c: ObjectChange, d: PointDiff): string {
  const a = c.before ? yamlOf(c.before) : '';
  const b = c.after ? yamlOf(c.after) : '';
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
