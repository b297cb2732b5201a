// The sharing decoder (store/sharing-decoder.ts) must yield exactly what msgpackr yields for every
// value the codec writes — many shapes (so inline "own" records beyond the 32 shared), nesting,
// every scalar kind and boundary — deep-frozen, with byte-identical subtrees shared as one object,
// and values outside its subset handed to msgpackr.
import t from 'tap';
import { isDeepStrictEqual } from 'node:util';
import { Codec } from '../../store/codec.ts';
import { seededRandom } from '../../core/random.ts';
import type { Event } from '../../core/events.ts';

const random = seededRandom('sharing-decoder');
const SCALARS: unknown[] = [
  0, 1, 63, 64, 127, 128, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129,
  -32_768, -32_769, -(2 ** 31), -(2 ** 31) - 1, 0.5, -1.25, 1e300, true, false, null, undefined, '',
  'a', 'x'.repeat(31), 'x'.repeat(32), 'x'.repeat(33), 'y'.repeat(255), 'z'.repeat(256), 'w'.repeat(70_000),
  'héllo wörld', '日本語のテキスト', 'emoji 🙂 inside', 'MODIFIED', 'nginx:1.27',
];

function scalar(): unknown {
  return SCALARS[Math.floor(random() * SCALARS.length)];
}

function value(depth: number): unknown {
  const r = random();
  if (depth >= 4 || r < 0.35) return scalar();
  if (r < 0.55) return Array.from({ length: Math.floor(random() * 5) }, () => value(depth + 1));
  const o: Record<string, unknown> = {};
  const fields = Math.floor(random() * 7);
  for (let k = 0; k < fields; k++) o[`f${Math.floor(random() * 40)}`] = value(depth + 1);
  return o;
}

function deepFrozen(x: unknown): boolean {
  if (x === null || typeof x !== 'object') return true;
  return Object.isFrozen(x) && Object.values(x).every(deepFrozen);
}

t.test('decodes what msgpackr decodes, deep-frozen, for thousands of random values of many shapes', async (t) => {
  const codec = Codec.fromTable(undefined);
  let wrong = 0;
  let thawed = 0;
  for (let rev = 1; rev <= 5_000; rev++) {
    const event = { rev, ts: rev * 1000, type: 'MODIFIED', res: 'v1/configmaps', ns: 'default', name: `c${rev % 50}`, object: value(0) };
    const bytes = codec.encode(event);
    const shared = codec.decodeEventShared(bytes);
    if (!isDeepStrictEqual(shared, codec.decodeEvent(bytes))) wrong++;
    if (!deepFrozen(shared)) thawed++;
  }
  t.equal(wrong, 0, 'every value equals msgpackr\'s decoding of it');
  t.equal(thawed, 0, 'every value is deep-frozen');
});

t.test('byte-identical subtrees of different events are one object; different ones are not', async (t) => {
  const codec = Codec.fromTable(undefined);
  const spec = (image: string) => ({ containers: [{ name: 'web', image, ports: [{ containerPort: 80, protocol: 'TCP' }], env: [{ name: 'MODE', value: 'production' }] }], restartPolicy: 'Always', dnsPolicy: 'ClusterFirst' });
  const pod = (rev: number, name: string, image: string): Event =>
    ({ rev, ts: rev, type: 'ADDED', res: 'v1/pods', ns: 'default', name, object: { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: 'web', tier: 'frontend', 'app.kubernetes.io/part-of': 'the-online-shop-of-rewind' } }, spec: spec(image) }, actor: { kind: 'user', name: 'alice' } }) as Event;
  const [a, b, c] = [pod(1, 'web-a', 'nginx:1.27'), pod(2, 'web-b', 'nginx:1.27'), pod(3, 'web-c', 'nginx:1.28')].map((e) => codec.decodeEventShared(codec.encode(e)));
  t.equal(a.object!.spec, b.object!.spec, 'same spec bytes: the same object');
  t.not(a.object!.spec, c.object!.spec, 'another image: another object');
  const specOf = (e: Event) => e.object!.spec as ReturnType<typeof spec>;
  t.equal(specOf(a).restartPolicy, specOf(c).restartPolicy);
  t.not(a.object!.metadata, b.object!.metadata, 'another name: another metadata');
  t.equal(a.object!.metadata.labels, c.object!.metadata.labels, 'shared below a differing parent');
  t.equal(b.object!.metadata.name, 'web-b');
  t.equal(specOf(c).containers[0].image, 'nginx:1.28');
});

t.test('values outside its subset are decoded by msgpackr', async (t) => {
  const codec = Codec.fromTable(undefined);
  const odd = { rev: 1, big: 2n ** 60n, bytes: new Uint8Array([1, 2, 3]), when: new Date(Date.UTC(2026, 0, 1)) };
  const bytes = codec.encode(odd);
  t.same(codec.decodeEventShared(bytes), codec.decodeEvent(bytes));
  t.throws(() => codec.decodeEventShared(bytes.subarray(0, bytes.length - 2)), 'a truncated value is msgpackr\'s error');
});
