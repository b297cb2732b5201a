// The importer (store/import.ts) writes a log that a store opens and serves exactly like the original:
// every event, history, list at every rev, and the last rev at or before every time — including times
// between events, repeated times, more distinct times than one time-index run holds
// (store/time-index.ts), and times after the import where the live store writes its own entries.
// Events given as objects and record batches encoded with another codec give the same log.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { VirtualClock } from '../../core/clock.ts';
import type { Event } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { randomInt, seededRandom } from '../../core/random.ts';
import { BatchEncoder, LogImporter } from '../../store/import.ts';
import { classicDb, LevelStore } from '../../store/index.ts';
import { collect, user } from './fixtures.ts';

const T0 = Date.UTC(2026, 0, 1);
const EVENTS = 9000; // more than two runs of 4,096 distinct times
const rng = seededRandom('import');

/** A synthetic log: configmaps created, updated and deleted, times advancing by 0–2 ms (so some repeat). */
function history(): Event[] {
  const events: Event[] = [];
  const alive = new Set<string>();
  let ts = T0;
  for (let rev = 1; rev <= EVENTS; rev++) {
    ts += randomInt(rng, 3);
    const name = `c${randomInt(rng, 50)}`;
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', resourceVersion: String(rev) }, data: { v: String(rev) } } as KObject;
    const type = !alive.has(name) ? 'ADDED' : rng() < 0.2 ? 'DELETED' : 'MODIFIED';
    if (type === 'DELETED') alive.delete(name);
    else alive.add(name);
    events.push({ rev, ts, type, res: 'v1/configmaps', ns: 'default', name, object, actor: user });
  }
  return events;
}

/** The answer revAtTime must give: the last rev with ts ≤ time. */
function lastRevAt(events: Event[], time: number): number {
  let rev = 0;
  for (const e of events) if (e.ts <= time) rev = e.rev;
  return rev;
}

async function imported(dir: string, name: string, write: (i: LogImporter) => Promise<void>): Promise<LevelStore> {
  const db = classicDb(join(dir, name));
  const importer = await LogImporter.start(db, 0, []);
  await write(importer);
  await importer.finish();
  return LevelStore.open(classicDb(join(dir, name)), { clock: new VirtualClock(T0 + 10 * EVENTS) });
}

t.test('an imported log answers events, lists and time lookups exactly', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-import-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const events = history();
  const fromEvents = await imported(dir, 'events', async (i) => {
    for (let k = 0; k < events.length; k += 700) await i.append(events.slice(k, k + 700));
  });
  t.teardown(() => fromEvents.close());
  const encoder = new BatchEncoder(); // a trace writer's, with its own codec and key numbers
  const fromRecords = await imported(dir, 'records', async (i) => {
    for (let k = 0; k < events.length; k += 1024) await i.appendBatch(encoder.encode(events.slice(k, k + 1024)));
  });
  t.teardown(() => fromRecords.close());

  for (const s of [fromEvents, fromRecords]) {
    t.same(await collect(s.read(0)), events, 'every event, as it was');
    let wrong = 0;
    for (let time = T0 - 1; time <= events[events.length - 1].ts + 1; time++) if ((await s.revAtTime(time)) !== lastRevAt(events, time)) wrong++;
    t.equal(wrong, 0, 'revAtTime at every millisecond of the log');
    for (const rev of [1, 77, 4096, 4097, 8191, EVENTS - 1, EVENTS]) {
      const alive = new Map<string, KObject>();
      for (const e of events.slice(0, rev)) e.type === 'DELETED' ? alive.delete(e.name) : alive.set(e.name, e.object);
      const want = [...alive.keys()].sort().map((n) => alive.get(n));
      t.same((await s.at(rev)).list('v1/configmaps').items, want, `list at ${rev}`);
    }
    const c7 = events.filter((e) => e.name === 'c7');
    t.same(await s.history('v1/configmaps', 'default', 'c7'), c7, 'history of one object');
  }

  // The store goes on after the import: its own (live) time entries and the import's runs agree.
  await fromRecords.commit([{ op: 'create', res: 'v1/configmaps', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after', namespace: 'default' } } }], { actor: user });
  const last = events[events.length - 1];
  t.equal(await fromRecords.revAtTime(last.ts), EVENTS, 'the import\'s last time');
  t.equal(await fromRecords.revAtTime(T0 + 10 * EVENTS), EVENTS + 1, 'a live commit after it');
});

t.test('an import refuses a gap and a non-empty directory', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-import-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const [a, b, c] = history();
  const importer = await LogImporter.start(classicDb(join(dir, 'x')), 0, []);
  await t.rejects(importer.append([a, c]), /import expects rev 2, got 3/);
  await importer.append([b]);
  await importer.finish();
  await t.rejects(LogImporter.start(classicDb(join(dir, 'x')), 0, []), /empty data directory/);
});
