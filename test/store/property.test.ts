// Property test: random (seeded) sequences of creates, updates, patches and deletes over several
// kinds, some rejected, some several to a commit. After every step the live view must equal the
// state rebuilt from the log alone; at(r) for random earlier r must equal the snapshot taken right
// after r; and all of it must still hold after close and reopen (a small K exercises checkpoints).
import t from 'tap';
import { VirtualClock } from '../../core/clock.ts';
import { isStatusError } from '../../core/errors.ts';
import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { pick, randomInt, seededRandom } from '../../core/random.ts';
import { classicBackend, collect, entries, replay, user, viewState, type TestStore } from './fixtures.ts';

const STEPS = 400;
const KINDS = [
  { res: 'v1/pods', kind: 'Pod', api: 'v1', namespaced: true },
  { res: 'apps/v1/deployments', kind: 'Deployment', api: 'apps/v1', namespaced: true },
  { res: 'v1/configmaps', kind: 'ConfigMap', api: 'v1', namespaced: true },
  { res: 'v1/nodes', kind: 'Node', api: 'v1', namespaced: false },
];
const RESOURCES = KINDS.map((k) => k.res);
const rng = seededRandom('store-property');

function randomObject(): { res: string; obj: KObject } {
  const k = pick(rng, KINDS);
  const metadata: KObject['metadata'] = { name: `o${randomInt(rng, 6)}` };
  if (k.namespaced) metadata.namespace = pick(rng, ['a', 'b']);
  if (rng() < 0.3) metadata.labels = { app: pick(rng, ['web', 'db']) };
  const body = k.kind === 'ConfigMap' ? { data: { v: String(randomInt(rng, 100)) } } : { spec: { n: randomInt(rng, 100), deep: { list: [randomInt(rng, 3)] } } };
  return { res: k.res, obj: { apiVersion: k.api, kind: k.kind, metadata, ...body } };
}

/** A random mutation: mostly valid for the object's current state, sometimes NotFound/AlreadyExists/Conflict. */
function randomMutation(s: TestStore): Mutation {
  const { res, obj } = randomObject();
  const ns = obj.metadata.namespace ?? '';
  const name = obj.metadata.name!;
  const current = s.get(res, ns, name);
  const wrong = rng() < 0.12; // aim at the wrong state on purpose
  if (!current !== wrong) return { op: 'create', res, object: obj };
  const roll = rng();
  if (roll < 0.4) {
    const rv = rng() < 0.1 ? '1' : current?.metadata.resourceVersion;
    return { op: 'update', res, object: { ...obj, metadata: { ...obj.metadata, resourceVersion: rv } } };
  }
  if (roll < 0.75) return { op: 'patch', res, ns, name, apply: (o) => ({ ...o, status: { seen: randomInt(rng, 1000) } }) };
  return { op: 'delete', res, ns, name };
}

t.test('live view, log replay and time travel agree at every step', async (t) => {
  const backend = classicBackend.create();
  const clock = new VirtualClock();
  const opts = { clock, checkpointEvery: 7 };
  let s = await backend.open(opts);
  const snapshots = new Map<number, ReturnType<typeof entries>>([[0, []]]);
  let mismatches = 0;
  let rejected = 0;

  const checkPast = async (label: string) => {
    const revs = [...snapshots.keys()];
    for (let i = 0; i < 6; i++) {
      const r = pick(rng, revs);
      const view = await s.at(r);
      const expected = snapshots.get(r)!;
      // Point reads first: they take the per-object index, until a list materializes the view.
      const got = entries(new Map(expected.map(([k]) => {
        const [res, ns, name] = k.split('|');
        return [k, view.get(res, ns, name)!];
      })));
      const listed = entries(viewState(view, RESOURCES));
      if (!t.same(listed, expected, `${label}: at(${r}).list`) || !t.same(got, expected, `${label}: at(${r}).get`)) mismatches++;
      const { res, obj } = randomObject();
      const k = `${res}|${obj.metadata.namespace ?? ''}|${obj.metadata.name}`;
      const absent = !expected.some(([key]) => key === k);
      if (absent) t.equal(view.get(res, obj.metadata.namespace ?? '', obj.metadata.name!), undefined, `${label}: at(${r}) has no ${k}`);
    }
  };

  for (let step = 1; step <= STEPS; step++) {
    clock.advanceBy(randomInt(rng, 3) * 1000);
    const muts = Array.from({ length: rng() < 0.15 ? 2 + randomInt(rng, 3) : 1 }, () => randomMutation(s));
    const before = s.rev;
    try {
      const evs = await s.commit(muts, { actor: user });
      t.equal(s.rev, before + evs.length);
    } catch (e) {
      if (!isStatusError(e)) throw e;
      rejected++;
      if (s.rev !== before) t.fail(`step ${step}: a rejected commit wrote ${s.rev - before} events`);
    }
    const live = entries(viewState(s, RESOURCES));
    const fromLog = entries(replay(await collect(s.read(0))));
    if (JSON.stringify(live) !== JSON.stringify(fromLog)) {
      t.same(live, fromLog, `step ${step}: live view = log replay`);
      mismatches++;
    }
    snapshots.set(s.rev, live);
    if (step % 25 === 0) await checkPast(`step ${step}`);
    if (step % 100 === 0) {
      await s.close();
      s = await backend.open(opts);
      t.same(entries(viewState(s, RESOURCES)), live, `step ${step}: reopened view = view before close`);
      await checkPast(`after reopen at step ${step}`);
    }
  }
  t.equal(mismatches, 0, "no mismatch in any step");
  const checkpoints = (s as unknown as { checkpoints: { count: number } }).checkpoints.count;
  t.ok(checkpoints >= 5, `reads crossed ${checkpoints} checkpoints (K = 7, or the view's size)`);
  t.ok(rejected > 20 && rejected < STEPS / 2, `a fair share of commits was rejected (${rejected})`);
  t.ok(s.rev > STEPS / 2, `the log grew to ${s.rev} events`);
  await s.close();
  backend.cleanup();
});
