// A batch that fails to write: its callers (and those of the batch prepared on top of it) are
// rejected, nothing of it is applied or emitted, and later commits carry on from the durable head.
import t from 'tap';
import { MemoryLevel } from 'memory-level';
import type { Event } from '../../core/events.ts';
import { openStore, type Db } from '../../store/index.ts';
import { pod, user } from './fixtures.ts';

t.test('a failed batch write rejects its commits and changes nothing', async (t) => {
  const db = new MemoryLevel<Buffer, Buffer>({ keyEncoding: 'buffer', valueEncoding: 'buffer' }) as unknown as Db;
  let failNext = false;
  // The store writes through chained batches: make the next one's write fail.
  const batch = db.batch.bind(db) as () => { write(o?: object): Promise<void> };
  (db as unknown as { batch: unknown }).batch = () => {
    const b = batch();
    const write = b.write.bind(b);
    b.write = async (o?: object) => {
      if (!failNext) return write(o);
      failNext = false;
      await new Promise((r) => setImmediate(r)); // fail while the next batch is being prepared
      throw new Error('disk full');
    };
    return b;
  };
  const s = await openStore({ db });
  const emitted: Event[] = [];
  s.events$.subscribe((e) => emitted.push(e));
  await s.commit([{ op: 'create', res: 'v1/pods', object: pod('a') }], { actor: user });
  failNext = true;
  // 600 single commits: the first batch (64) fails, and the one prepared on top of it must fail too.
  const results = await Promise.allSettled(Array.from({ length: 600 }, (_, i) => s.commit([{ op: 'create', res: 'v1/pods', object: pod(`p${i}`) }], { actor: user })));
  const failed = results.filter((r) => r.status === 'rejected').length;
  t.equal(failed, 128, 'two batches of 64 rejected');
  t.equal(s.rev, 1 + (600 - failed), 'the head counts only durable events');
  t.same(emitted.map((e) => e.rev), Array.from({ length: s.rev }, (_, i) => i + 1), 'emitted: gap-free, nothing of the failed batch');
  t.equal(s.list('v1/pods').items.length, s.rev, 'the view holds exactly the durable creates');
  const [next] = await s.commit([{ op: 'create', res: 'v1/pods', object: pod('after') }], { actor: user });
  t.equal(next.rev, s.rev, 'revisions continue without a gap');
  const log: number[] = [];
  for await (const e of s.read(0)) log.push(e.rev);
  t.same(log, Array.from({ length: s.rev }, (_, i) => i + 1));
  await s.close();
});
