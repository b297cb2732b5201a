// A data directory written before the derived keys changed layout (checkpoints as objects, history
// segments without deletion marks) still opens: its checkpoints and segments are dropped and rebuilt
// from the log (store/layout.ts). The fixture was written by the store of commit 375a0d9: 30
// ConfigMaps created (revs 1–30), every third updated (31–40), six deleted (41–46), checkpoints
// every 10 revs.
import t from 'tap';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../store/index.ts';

const fixture = fileURLToPath(new URL('./fixtures/layout-1', import.meta.url));
const names = (items: Array<{ metadata: { name?: string } }>) => items.map((o) => o.metadata.name).sort();

t.test('a layout-1 data directory opens, answers the present and the past, and reopens', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-layout-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(fixture, dir, { recursive: true });

  const store = await openStore({ path: dir, checkpointEvery: 10 });
  t.equal(store.rev, 46);
  t.equal(store.list('v1/configmaps').items.length, 24, 'six of thirty deleted');
  t.same(store.get('v1/configmaps', 'b', 'c0')?.data, { v: 'two' });
  t.equal(store.get('v1/configmaps', 'a', 'c1'), undefined);

  const before = await store.at(30);
  t.equal(before.list('v1/configmaps').items.length, 30, 'all thirty at rev 30');
  t.same(before.get('v1/configmaps', 'b', 'c0')?.data, { v: 'one' });
  const afterDeletes = await store.at(46);
  t.notOk(names(afterDeletes.list('v1/configmaps').items).includes('c1'), 'a deleted object is not listed in the past');
  t.same((await store.history('v1/configmaps', 'b', 'c0')).map((e) => e.type), ['ADDED', 'MODIFIED']);

  const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'new', namespace: 'a' }, data: { v: 'x' } };
  await store.commit([{ op: 'create', res: 'v1/configmaps', object }], { actor: { kind: 'user', name: 'bob' } });
  await store.close();

  const again = await openStore({ path: dir });
  t.equal(again.rev, 47);
  t.equal(again.list('v1/configmaps').items.length, 25);
  t.equal((await again.at(30)).list('v1/configmaps').items.length, 30);
  await again.close();
});
