// A fork holds the original's history up to the fork point, event for event, and then goes its own way.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { VirtualClock } from '../../core/clock.ts';
import type { KObject } from '../../core/object.ts';
import { forkTimeline } from '../../replays/fork.ts';
import { diffTimelines } from '../../replays/timeline-diff.ts';
import { classicDb, LevelStore, openStore } from '../../store/index.ts';

const cm = (name: string, v: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { v } }) as KObject;
const actor = { kind: 'user' as const, name: 'alice' };

t.test('fork at a revision, then diverge', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-fork-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const original = await openStore({ clock, checkpointEvery: 4 });
  for (let i = 0; i < 10; i++) {
    await original.commit([{ op: 'create', res: 'v1/configmaps', object: cm(`c${i}`, '1') }], { actor });
    clock.advanceBy(1000);
  }
  const point = 6;
  await forkTimeline(original, point, classicDb(join(dir, 'fork')));
  const fork = await LevelStore.open(classicDb(join(dir, 'fork')), { clock });
  t.teardown(() => fork.close());
  t.equal(fork.rev, point);
  for (let r = 0; r <= point; r++) {
    t.same((await fork.at(r)).list('v1/configmaps').items, (await original.at(r)).list('v1/configmaps').items, `rev ${r}`);
  }
  const [e] = await fork.commit([{ op: 'create', res: 'v1/configmaps', object: cm('what-if', '2') }], { actor });
  t.equal(e.rev, point + 1, 'the fork goes on from the point');
  t.equal(original.get('v1/configmaps', 'default', 'what-if'), undefined, 'the original is untouched');
  t.equal(original.rev, 10);

  // Both timelines at 20 s after their start: the original made c6…c9, the fork what-if instead.
  const d = await diffTimelines(original, fork, '+20s');
  t.same(d.created.map((c) => c.name), ['what-if']);
  t.same(d.deleted.map((c) => c.name), ['c6', 'c7', 'c8', 'c9']);
  t.same(d.changed, []);
  const early = await diffTimelines(original, fork, '+3s');
  t.same([early.created, early.deleted, early.changed], [[], [], []], 'before the fork point they agree');
  await t.rejects(diffTimelines(original, fork, 'soon'), /not a time relative/);
  await original.close();
});
