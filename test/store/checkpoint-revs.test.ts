// A checkpoint names the event holding each object alive at its rev (store/checkpoint.ts), not the
// objects themselves: the log already holds them. Reopening from one reads those events back and
// gives the live view, after updates and deletes too; a checkpoint of the older format (objects) is
// refused with an error that says what to do.
import t from 'tap';
import { MemoryLevel } from 'memory-level';
import { Codec } from '../../store/codec.ts';
import { openStore, type Db } from '../../store/index.ts';
import { checkpointKey } from '../../store/keys.ts';
import { pod, user } from './fixtures.ts';

const memoryDb = () => new MemoryLevel<Buffer, Buffer>({ keyEncoding: 'buffer', valueEncoding: 'buffer' }) as unknown as Db;

t.test('a checkpoint holds the revs of the live objects, and reopening from it gives the live view', async (t) => {
  const db = memoryDb();
  const s = await openStore({ db, checkpointEvery: 10 });
  for (let i = 0; i < 30; i++) await s.commit([{ op: 'create', res: 'v1/pods', object: pod(`p${i}`, i % 2 ? 'a' : 'b') }], { actor: user });
  for (let i = 0; i < 30; i += 3) await s.commit([{ op: 'patch', res: 'v1/pods', ns: i % 2 ? 'a' : 'b', name: `p${i}`, apply: (p) => ({ ...p, metadata: { ...p.metadata, labels: { v: '2' } } }) }], { actor: user });
  for (let i = 0; i < 30; i += 5) await s.commit([{ op: 'delete', res: 'v1/pods', ns: i % 2 ? 'a' : 'b', name: `p${i}` }], { actor: user });
  const live = s.list('v1/pods').items;
  const rev = s.rev;
  await s.close(); // checkpoints at the head
  await db.open();
  const revs = Codec.fromTable(undefined).decodeRevs((await db.get(checkpointKey(rev, 0)))!);
  t.same(revs, live.map((p) => Number(p.metadata.resourceVersion)).sort((a, b) => a - b), 'one rev per live object: its last event');
  const reopened = await openStore({ db });
  t.equal(reopened.rev, rev);
  t.same(reopened.list('v1/pods').items, live, 'reopen gives the live view');
  await reopened.close();
});

t.test('a checkpoint of the older format (the objects) is refused, saying why', async (t) => {
  const db = memoryDb();
  const s = await openStore({ db });
  await s.commit([{ op: 'create', res: 'v1/pods', object: pod('p') }], { actor: user });
  const obj = s.get('v1/pods', 'default', 'p')!;
  await s.close();
  await db.open();
  await db.put(checkpointKey(1, 0), Codec.fromTable(undefined).encode(['v1/pods', obj]));
  await t.rejects(openStore({ db }), { code: 500, message: /older Rewind/ });
});
