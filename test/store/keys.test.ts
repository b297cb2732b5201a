// The worked example in store/keys.ts's header, byte for byte, and the property the layout exists
// for: byte order is revision (and time) order.
import t from 'tap';
import { checkpointKey, eventKey, indexKey, parseCheckpointKey, parseTimeKey, revOfEventKey, timeBound, timeKey } from '../../store/keys.ts';

const hex = (b: Buffer) => b.toString('hex').toUpperCase().match(/../g)!.join(' ');

t.test('the header example', async (t) => {
  const ts = Date.UTC(2026, 0, 1);
  t.equal(hex(eventKey(258)), '65 00 00 00 00 00 00 01 02');
  t.equal(hex(timeKey(ts, 258)), '74 00 00 01 9B 76 DA A8 00 00 00 00 00 00 00 01 02');
  t.equal(hex(checkpointKey(1000, 1)), '63 00 00 00 00 00 00 03 E8 00 00 00 01');
  t.equal(hex(indexKey(1000)), '78 00 00 00 00 00 00 03 E8');
});

t.test('byte order is numeric order; keys parse back', async (t) => {
  const revs = [0, 1, 255, 256, 65_535, 2 ** 32 - 1, 2 ** 32, 2 ** 40 + 7];
  const keys = revs.map(eventKey);
  t.same([...keys].sort(Buffer.compare).map(revOfEventKey), revs);
  t.same(parseTimeKey(timeKey(2 ** 41 + 3, 2 ** 33)), { ts: 2 ** 41 + 3, rev: 2 ** 33 });
  t.same(parseCheckpointKey(checkpointKey(77, 5)), { rev: 77, chunk: 5 });
  t.ok(Buffer.compare(timeKey(10, 2 ** 40), timeBound(10)) < 0, 'every entry at time 10 sorts below the bound for 10');
  t.ok(Buffer.compare(timeKey(11, 0), timeBound(10)) >= 0, 'entries after 10 do not');
});
