// A checkpoint rides on the next batch of events (written in the same atomic LevelDB batch, no fsync
// of its own): the batch already prepared under load, or the next commit's when the store is quiet.
// If that batch fails, the checkpoint is not recorded and is taken again later. Either way a reopen
// sees the same state as the live view.
import t from 'tap';
import { MemoryLevel } from 'memory-level';
import { openStore, type Db } from '../../store/index.ts';
import { CHECKPOINT, EVENT } from '../../store/keys.ts';
import { pod, user } from './fixtures.ts';

/** A memory db that records the key prefixes of every batch written, and can fail the next write. */
function recordingDb(): { db: Db; batches: Array<Set<number>>; failNextWith: (f: (prefixes: Set<number>) => boolean) => void } {
  const db = new MemoryLevel<Buffer, Buffer>({ keyEncoding: 'buffer', valueEncoding: 'buffer' }) as unknown as Db;
  const batches: Array<Set<number>> = [];
  let shouldFail: ((prefixes: Set<number>) => boolean) | undefined;
  type Chained = { put(k: Buffer, v: Buffer): unknown; write(o?: object): Promise<void> };
  const batch = db.batch.bind(db) as () => Chained;
  (db as unknown as { batch: unknown }).batch = () => {
    const b = batch();
    const prefixes = new Set<number>();
    const put = b.put.bind(b);
    const write = b.write.bind(b);
    b.put = (k: Buffer, v: Buffer) => (prefixes.add(k[0]), put(k, v));
    b.write = async (o?: object) => {
      if (shouldFail?.(prefixes)) {
        shouldFail = undefined;
        throw new Error('disk full');
      }
      await write(o);
      batches.push(prefixes);
    };
    return b;
  };
  return { db, batches, failNextWith: (f) => (shouldFail = f) };
}

const creates = (from: number, n: number) => Array.from({ length: n }, (_, i) => [{ op: 'create' as const, res: 'v1/pods', object: pod(`p${from + i}`) }]);

t.test('a checkpoint due under load is written in the next batch of events', async (t) => {
  const { db, batches } = recordingDb();
  const s = await openStore({ db, checkpointEvery: 100 });
  await Promise.all(creates(0, 300).map((m) => s.commit(m, { actor: user })));
  const riding = batches.filter((p) => p.has(CHECKPOINT) && p.has(EVENT));
  t.ok(riding.length >= 1, 'a batch holds both events and a checkpoint');
  t.equal(batches.filter((p) => p.has(CHECKPOINT) && !p.has(EVENT)).length, 0, 'no checkpoint batch of its own while commits queue');
  const atCheckpoint = await s.at(150);
  t.equal(atCheckpoint.list('v1/pods').items.length, 150, 'a past list across the checkpoint');
  const live = s.list('v1/pods').items;
  await s.close();
  const reopened = await openStore({ db });
  t.same(reopened.list('v1/pods').items, live, 'reopen gives the live view');
  await reopened.close();
});

t.test('a checkpoint due when the store goes quiet is written with the next commit', async (t) => {
  const { db, batches } = recordingDb();
  const s = await openStore({ db, checkpointEvery: 10 });
  for (const m of creates(0, 10)) await s.commit(m, { actor: user });
  t.notOk(batches.some((p) => p.has(CHECKPOINT)), 'nothing written while quiet');
  await s.commit(creates(10, 1)[0], { actor: user });
  t.ok(batches[batches.length - 1].has(CHECKPOINT), 'the next commit carries the checkpoint of rev 10');
  t.equal(batches.filter((p) => p.has(CHECKPOINT) && !p.has(EVENT)).length, 0, 'no batch of its own');
  await s.close();
});

t.test('a checkpoint riding on a failed batch is not recorded, and is taken again', async (t) => {
  const { db, batches, failNextWith } = recordingDb();
  const s = await openStore({ db, checkpointEvery: 100 });
  failNextWith((p) => p.has(CHECKPOINT) && p.has(EVENT));
  const results = await Promise.allSettled(creates(0, 400).map((m) => s.commit(m, { actor: user })));
  t.ok(results.some((r) => r.status === 'rejected'), 'the batch carrying the checkpoint failed');
  await Promise.all(creates(400, 300).map((m) => s.commit(m, { actor: user })));
  t.ok(batches.some((p) => p.has(CHECKPOINT)), 'a later checkpoint was written');
  const live = s.list('v1/pods').items;
  const rev = s.rev;
  await s.close();
  const reopened = await openStore({ db });
  t.equal(reopened.rev, rev);
  t.same(reopened.list('v1/pods').items, live, 'reopen gives the live view');
  t.equal((await reopened.at(rev - 1)).list('v1/pods').items.length, live.length - 1, 'past lists still read from the checkpoints');
  await reopened.close();
});

// Group commit issues the next batch before it settles the durable one, so a checkpoint taken while
// settling must not join a batch already handed to LevelDB: it would be recorded as written (and its
// history segment counted) without being in the database.
t.test('checkpoints taken while the next batch is in flight are all in the database after reopen', async (t) => {
  const { db } = recordingDb();
  const s = await openStore({ db, checkpointEvery: 50 });
  await Promise.all(creates(0, 1000).map((m) => s.commit(m, { actor: user })));
  await s.close();
  const reopened = await openStore({ db });
  const wrong: number[] = [];
  for (let rev = 1; rev <= 1000; rev += 7) {
    if ((await reopened.at(rev)).list('v1/pods').items.length !== rev) wrong.push(rev);
  }
  t.same(wrong, [], 'every past list holds the pods created up to its rev');
  await reopened.close();
});
