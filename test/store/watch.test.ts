// Watch from an old revision while writes continue: every event after the start exactly once, in
// order — across the seam where the log read hands over to the live stream.
import t from 'tap';
import type { Event } from '../../core/events.ts';
import { randomInt, seededRandom } from '../../core/random.ts';
import { classicBackend, pod, user } from './fixtures.ts';

t.test('watchers started at old revisions during a write storm see each event once, in order', async (t) => {
  const backend = classicBackend.create();
  const s = await backend.open({ sync: 'none' });
  const rng = seededRandom('watch-test');
  let stop = false;
  let n = 0;
  const writer = async () => {
    while (!stop) {
      const name = `p${randomInt(rng, 300)}`;
      const op = s.get('v1/pods', 'default', name) ? { op: 'delete' as const, res: 'v1/pods', ns: 'default', name } : { op: 'create' as const, res: 'v1/pods', object: pod(name) };
      await s.commit([op], { actor: user }).catch(() => {});
      n++;
    }
  };
  // A history of a few thousand events first, so replaying it takes many ticks.
  for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 100 }, (_, j) => s.commit([{ op: 'create', res: 'v1/pods', object: pod(`seed-${i}-${j}`) }], { actor: user })));
  const writers = Array.from({ length: 8 }, writer);

  const watchers: Array<{ from: number; got: Event[]; done: Promise<void> }> = [];
  for (let w = 0; w < 6; w++) {
    await new Promise((r) => setImmediate(r));
    const from = randomInt(rng, s.rev + 1);
    const got: Event[] = [];
    const done = new Promise<void>((resolve) => s.watch(from).subscribe({ next: (e) => got.push(e), complete: resolve }));
    watchers.push({ from, got, done });
  }
  while (s.rev < 4000) await new Promise((r) => setImmediate(r));
  stop = true;
  await Promise.all(writers);
  const head = s.rev;
  await s.close(); // completes every watch after the live tail
  await Promise.all(watchers.map((w) => w.done));
  for (const w of watchers) {
    const revs = w.got.map((e) => e.rev);
    const expected = Array.from({ length: head - w.from }, (_, i) => w.from + 1 + i);
    t.same(revs.length, expected.length, `watch(${w.from}): ${revs.length} events`);
    t.ok(revs.every((r, i) => r === expected[i]), `watch(${w.from}): exactly ${w.from + 1}..${head}, in order`);
  }
  t.ok(n > 1000, `${n} commits raced the watchers`);
  backend.cleanup();
});
