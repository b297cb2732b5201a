// The selection of a trace's events a replay into a running server writes (replays/trace-upload.ts):
// a bit per event position, growing with the trace, so a million events cost 125 KB.

import t from 'tap';
import { Selection } from '../../replays/trace-upload.ts';

t.test('a selection holds exactly the positions added, however far', async (t) => {
  const s = new Selection();
  const added = [0, 7, 8, 8191, 8192, 1_000_000];
  for (const p of added) s.add(p);
  t.same([s.count, s.last], [added.length, 1_000_000]);
  for (const p of added) t.ok(s.has(p), `has ${p}`);
  for (const p of [1, 6, 9, 8190, 8193, 999_999, 1_000_001, 5_000_000]) t.notOk(s.has(p), `not ${p}`);
  t.notOk(new Selection().has(0), 'empty');
  t.equal(new Selection().last, -1);
});
