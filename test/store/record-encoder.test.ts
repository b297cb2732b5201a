// The codec's fast encoder (store/record-encoder.ts) writes exactly msgpackr's bytes for values of
// known shapes, and declines everything else — so the decoder, the log and the structure table
// cannot tell which encoder wrote a value.
import t from 'tap';
import { Packr } from 'msgpackr';
import { seededRandom } from '../../core/random.ts';
import { RecordEncoder, type StructureTable } from '../../store/record-encoder.ts';
import { Codec } from '../../store/codec.ts';

/** msgpackr configured as the codec configures it, and a fast encoder over its table. */
function pair(): { packr: Packr; fast: RecordEncoder } {
  const packr = new Packr({ useRecords: true, structures: [], maxSharedStructures: 32, saveStructures: () => true } as ConstructorParameters<typeof Packr>[0]);
  const fast = new RecordEncoder(() => (packr as unknown as { structures: StructureTable }).structures);
  return { packr, fast };
}

/** Scalars at every boundary of msgpack's encodings, as msgpackr chooses them. */
const SCALARS: unknown[] = [
  0, 1, 0x3f, 0x40, 0x7f, 0xff, 0x100, 0xffff, 0x10000, 0xffffffff, 0x100000000, 2 ** 53, -1, -0x20, -0x21, -0x80, -0x81, -0x8000,
  -0x8001, -(2 ** 31), -(2 ** 31) - 1, 1.5, -2.25, 1e-7, NaN, Infinity, -Infinity, -0, true, false, null, undefined,
  '', 'a', 'x'.repeat(31), 'x'.repeat(32), 'x'.repeat(63), 'x'.repeat(64), 'x'.repeat(255), 'x'.repeat(256), 'x'.repeat(70_000),
  'é', 'é'.repeat(16), 'é'.repeat(40), '中文', '中'.repeat(30), '😀', '😀'.repeat(20), 'a\ud800b', '\udc00', 'x\ud800'.repeat(40),
  // long strings whose UTF-8 needs a bigger header than their length suggests (msgpackr moves the bytes)
  'é'.repeat(200), '中'.repeat(100), 'é'.repeat(40_000),
];

/** Lone surrogates do not survive msgpackr's own round trip (its decoder replaces them): not for decode tests. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const WELL_FORMED = SCALARS.filter((v) => typeof v !== 'string' || !LONE_SURROGATE.test(v));

function randomValue(random: () => number, depth: number, scalars = SCALARS): unknown {
  const r = random();
  if (depth < 4 && r < 0.3) return randomObject(random, depth + 1, scalars);
  if (depth < 4 && r < 0.4) return Array.from({ length: Math.floor(random() * 5) }, () => randomValue(random, depth + 1, scalars));
  if (r < 0.45) return Array.from({ length: 16 + Math.floor(random() * 3) }, (_, i) => i);
  return scalars[Math.floor(random() * scalars.length)];
}

/** Objects of 16 shapes (up to three keys of four, one integer-like: for…in puts it first), nested. */
function randomObject(random: () => number, depth: number, scalars = SCALARS): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const fields = Math.floor(random() * 4);
  for (let k = 0; k < fields; k++) o[['metadata', 'spec', '7', 'a-b'][Math.floor(random() * 4)]] = randomValue(random, depth, scalars);
  return o;
}

t.test('values of known shapes: the same bytes as msgpackr, and most values take the fast path', async (t) => {
  const { packr, fast } = pair();
  const random = seededRandom('record-encoder');
  let fastOnes = 0;
  let differing = 0;
  for (let i = 0; i < 20_000; i++) {
    const value = { rev: i, object: randomObject(random, 0), list: [randomValue(random, 2)] };
    const ours = fast.encode(value);
    const copy = ours && Buffer.from(ours); // msgpackr's own buffer is separate, but keep ours safe from later writes
    const theirs = packr.pack(value);
    if (copy) {
      fastOnes++;
      if (!copy.equals(theirs)) differing++;
    }
  }
  t.equal(differing, 0, 'no value of the fast path differs by a byte');
  t.ok(fastOnes > 19_000, `${fastOnes} of 20,000 values took the fast path`);
});

t.test('every scalar, alone and in a record, as msgpackr writes it', async (t) => {
  const { packr, fast } = pair();
  packr.pack({ v: 0 }); // makes {v} a shared shape
  for (const v of SCALARS) {
    const label = typeof v === 'string' ? `string of ${v.length}` : String(v);
    t.same(fast.encode(v), packr.pack(v), label);
    t.same(fast.encode({ v }), packr.pack({ v }), `{v: ${label}}`);
  }
});

t.test('declines new shapes and values msgpackr writes as extensions; the next value is still right', async (t) => {
  const { packr, fast } = pair();
  packr.pack({ a: 1 });
  t.equal(fast.encode({ b: 1 }), undefined, 'a shape not in the shared table');
  t.equal(fast.encode({ a: { b: 1 } }), undefined, 'a nested one');
  t.equal(fast.encode({ a: new Date(0) }), undefined, 'a Date');
  t.equal(fast.encode({ a: new Map() }), undefined, 'a Map');
  t.equal(fast.encode({ a: 10n }), undefined, 'a bigint');
  t.equal(fast.encode(Object.assign(Object.create(null), { a: 1 })), undefined, 'an object without Object.prototype');
  t.same(fast.encode({ a: [1, 'x'] }), packr.pack({ a: [1, 'x'] }));
  packr.pack({ b: 1 }); // now shared
  t.same(fast.encode({ b: 2 }), packr.pack({ b: 2 }), 'a shape shared since is taken');
});

t.test('values written earlier are not overwritten as the output buffer fills and is replaced', async (t) => {
  const { packr, fast } = pair();
  packr.pack({ s: '' });
  const kept: Array<[Buffer, Buffer]> = [];
  for (let i = 0; i < 2_000; i++) {
    const value = { s: `value ${i} `.repeat(1 + (i % 50)) + (i % 97 === 0 ? 'y'.repeat(100_000) : '') };
    kept.push([fast.encode(value)!, Buffer.from(packr.pack(value))]);
  }
  t.ok(kept.every(([ours, theirs]) => ours.equals(theirs)), 'every value still holds its bytes');
});

t.test('the codec decodes what it encodes, shapes learned on the way included', async (t) => {
  const codec = Codec.fromTable(undefined);
  const random = seededRandom('record-encoder-codec');
  let wrong = 0;
  for (let i = 0; i < 5_000; i++) {
    const value = { rev: i, object: randomObject(random, 0, WELL_FORMED) };
    const text = JSON.stringify(value);
    if (JSON.stringify(codec.decode(codec.encode(value))) !== text) wrong++;
  }
  t.equal(wrong, 0);
});

/** Whether every object and array in `v` is frozen. */
function deeplyFrozen(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return true;
  return Object.isFrozen(v) && Object.values(v).every(deeplyFrozen);
}

t.test('the commit path encodes and deep-freezes in one walk: same bytes, frozen all the way down, fast path or not', async (t) => {
  const codec = Codec.fromTable(undefined);
  const plain = Codec.fromTable(undefined);
  const random = seededRandom('record-encoder-frozen');
  let wrongBytes = 0;
  let thawed = 0;
  for (let i = 0; i < 5_000; i++) {
    // A part already frozen (as the view's objects are) beside new ones; every fifth value has a
    // Map, which the fast path declines part way through (msgpackr then encodes it).
    const shared = Object.freeze({ kept: Object.freeze([1, 2]) });
    const value = { rev: i, object: randomObject(random, 0, WELL_FORMED), shared, ...(i % 5 === 0 ? { odd: new Map([['k', { v: 1 }]]) } : {}) };
    const expected = Buffer.from(plain.encodeEvent(value as never));
    if (!Buffer.from(codec.encodeEventFrozen(value as never)).equals(expected)) wrongBytes++;
    if (!deeplyFrozen(value)) thawed++;
  }
  t.equal(wrongBytes, 0, 'the bytes an unfrozen encode writes');
  t.equal(thawed, 0, 'every object and array frozen');
});
