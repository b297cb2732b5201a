// The record of group-commit batch sizes (LevelStore.batchSizes) stays bounded: a server writes
// batches for days, and one number per batch kept forever would be a leak.
import t from 'tap';
import { openStore } from '../../store/index.ts';
import { pod, user } from './fixtures.ts';

t.test('batchSizes keeps every size up to 8,192 batches, then the newest 4,096 or more', async (t) => {
  const s = await openStore({ sync: 'none' });
  for (let i = 0; i < 8192; i++) await s.commit([{ op: 'create', res: 'v1/pods', object: pod(`p${i}`) }], { actor: user });
  t.equal(s.batchSizes.length, 8192, 'all of the first 8,192');
  await s.commit([{ op: 'create', res: 'v1/pods', object: pod('last-1') }, { op: 'create', res: 'v1/pods', object: pod('last-2') }], { actor: user });
  t.equal(s.batchSizes.length, 4097, 'the oldest half dropped');
  t.equal(s.batchSizes[s.batchSizes.length - 1], 2, 'the newest batch last');
  await s.close();
});
