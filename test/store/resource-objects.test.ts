// The history index sets long-dead objects aside in tiers (store/resource-objects.ts); a past list
// must still find exactly the objects alive at its rev, in list order, whatever was set aside, and an
// object re-created after being set aside must be listed again. Checked against brute force on a
// random history with heavy churn, with tiers made tiny so that many are cut and many are scanned.
import t from 'tap';
import { pick, randomInt, seededRandom } from '../../core/random.ts';
import { RevIndex } from '../../store/rev-index.ts';

const rng = seededRandom('resource-objects');
const RES = 'v1/pods';
const NAMESPACES = ['a', 'a-b', 'a.b', 'b', 'kube-system'];

/** What the index must answer, computed from the raw history. */
function bruteForce(history: Map<string, number[]>, rev: number, namespace?: string): { keys: string[]; revs: number[] } {
  const rows: Array<{ ns: string; name: string; key: string; rev: number }> = [];
  for (const [key, revs] of history) {
    const [, ns, name] = key.split('|');
    if (namespace !== undefined && ns !== namespace) continue;
    const last = revs.filter((r) => Math.abs(r) <= rev).pop();
    if (last !== undefined && last > 0) rows.push({ ns, name, key, rev: last });
  }
  rows.sort((x, y) => (x.ns < y.ns ? -1 : x.ns > y.ns ? 1 : x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
  return { keys: rows.map((r) => r.key), revs: rows.map((r) => r.rev) };
}

t.test('past lists over a churning history equal brute force, tiers or not', async (t) => {
  const index = new RevIndex(3);
  const history = new Map<string, number[]>();
  let rev = 0;
  let mismatches = 0;
  let checks = 0;
  for (let step = 0; step < 4000; step++) {
    // Mostly short-lived objects (a job's pods), some long-lived, some names re-used after deletion.
    const name = rng() < 0.1 ? `web-${randomInt(rng, 5)}` : rng() < 0.3 ? `reused-${randomInt(rng, 30)}` : `job-${step}`;
    const key = `${RES}|${pick(rng, NAMESPACES)}|${name}`;
    const revs = history.get(key) ?? [];
    const alive = revs.length > 0 && revs[revs.length - 1] > 0;
    const deleted = alive && rng() < 0.6;
    rev++;
    index.add(key, rev, deleted);
    revs.push(deleted ? -rev : rev);
    history.set(key, revs);
    if (step % 40 === 0) {
      for (const at of [rev, randomInt(rng, rev + 1), randomInt(rng, rev + 1)]) {
        const namespace = rng() < 0.3 ? pick(rng, NAMESPACES) : undefined;
        const got = index.liveRevs(RES, at, namespace);
        checks++;
        if (JSON.stringify({ keys: got.keys, revs: got.revs }) !== JSON.stringify(bruteForce(history, at, namespace))) mismatches++;
        for (let i = 0; i < got.keys.length; i++) {
          const own = history.get(got.keys[i])!;
          if (got.latest[i] !== (own[own.length - 1] === got.revs[i])) mismatches++;
        }
      }
    }
  }
  t.ok(checks > 250);
  t.equal(mismatches, 0, 'every list (keys, revs, latest) as brute force says');
});

t.test('an object re-created after it was set aside is listed again, once', async (t) => {
  const index = new RevIndex(2);
  let rev = 0;
  for (let i = 0; i < 6; i++) {
    index.add(`${RES}|default|p${i}`, ++rev);
    index.add(`${RES}|default|p${i}`, ++rev, true);
  }
  index.add(`${RES}|default|live`, ++rev);
  t.same(index.liveRevs(RES, rev).keys, [`${RES}|default|live`], 'the dead are gone (and set aside)');
  index.add(`${RES}|default|p2`, ++rev);
  t.same(index.liveRevs(RES, rev).keys, [`${RES}|default|live`, `${RES}|default|p2`]);
  t.same(index.liveRevs(RES, 5).keys, [`${RES}|default|p2`], 'its first life is still found in the past');
  t.same(index.liveRevs(RES, 1).keys, [`${RES}|default|p0`]);
});
