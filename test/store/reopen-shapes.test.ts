// A log with many object shapes must decode after reopen: the shared-structure table is part of the
// data (store/codec.ts). Regression: with more than 32 shared shapes a reopened store could not read
// its own checkpoint.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../store/index.ts';

const actor = { kind: 'user' as const, name: 'test' };

t.test('a store with hundreds of object shapes reopens and reads every object', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-shapes-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const store = await openStore({ path: dir, checkpointEvery: 50 });
  for (let i = 0; i < 300; i++) {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}`, namespace: 'default' }, data: { [`k${i}`]: 'v' } };
    await store.commit([{ op: 'create', res: 'v1/configmaps', object }], { actor });
  }
  await store.close();
  const again = await openStore({ path: dir });
  t.equal(again.rev, 300);
  t.same(again.get('v1/configmaps', 'default', 'c299')?.data, { k299: 'v' });
  t.equal(again.list('v1/configmaps').items.length, 300);
  const past = await again.at(120);
  t.same(past.get('v1/configmaps', 'default', 'c100')?.data, { k100: 'v' });
  await again.close();
});
