// A log with many object shapes must decode after reopen: the shared-structure table is part of the
// data (store/codec.ts). Regression: with more than 32 shared shapes a reopened store could not read
// its own checkpoint.
import t from 'tap';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../store/index.ts';
import { Codec } from '../../store/codec.ts';
import { seededRandom } from '../../core/random.ts';

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

// Regression: msgpackr's `progressiveRecords` option (tried for a faster encode) made values whose
// nested shapes mixed shared and inline records unreadable right after they were written — "Data
// read, but end of buffer not reached" from the writer's own decode, and a crashed commit pipeline.
t.test('values of thousands of random nested shapes decode to what was encoded', async (t) => {
  const codec = Codec.fromTable(undefined);
  const random = seededRandom('codec-shapes');
  const shape = (depth: number): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    const fields = 1 + Math.floor(random() * 6);
    for (let k = 0; k < fields; k++) {
      const key = `f${Math.floor(random() * 12)}`;
      o[key] = depth < 3 && random() < 0.4 ? shape(depth + 1) : random() < 0.5 ? `v${k}` : k;
    }
    return o;
  };
  let wrong = 0;
  for (let rev = 1; rev <= 20_000; rev++) {
    const value = { rev, type: 'MODIFIED', object: shape(0) };
    try {
      if (JSON.stringify(codec.decode(codec.encode(value))) !== JSON.stringify(value)) wrong++;
    } catch {
      wrong++;
    }
  }
  t.equal(wrong, 0, 'every value decodes to itself');
});
