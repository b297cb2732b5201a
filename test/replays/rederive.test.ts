// Rederive mode on a trace made by Rewind itself (a scenario run): re-applying only the inputs lets
// the controllers re-derive the same history (no divergence); a changed input (another maxSurge) is
// reported through the first divergence it causes, with the events on both sides.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Event } from '../../core/events.ts';
import { replayRederive } from '../../replays/rederive.ts';
import { runScenario } from '../../replays/scenario.ts';
import { parseScenario } from '../../replays/scenario-file.ts';
import { recordTrace, storeSource } from '../../replays/record.ts';
import { replayRecorded } from '../../replays/replay.ts';
import { readTrace, TraceWriter } from '../../replays/trace.ts';
import { classicDb, LevelStore } from '../../store/index.ts';

const SCENARIO = fileURLToPath(new URL('../../replays/scenarios/rolling-update.yaml', import.meta.url));

/** A copy of the trace with `edit` applied to every event. */
async function rewrite(from: string, to: string, edit: (e: Event) => Event): Promise<void> {
  const trace = await readTrace(from);
  const { format: _f, version: _v, ...header } = trace.header;
  const w = await TraceWriter.create(to, header, trace.base);
  for await (const chunk of trace.chunks) for (const e of chunk) await w.add(edit(e));
  await w.close();
}

t.test('rederive reproduces a Rewind-made history; a changed input is the first divergence', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-rederive-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const tracePath = join(dir, 'rolling.trace');
  const run = await runScenario(parseScenario(readFileSync(SCENARIO, 'utf8')), { trace: tracePath });
  t.ok(run.ok);

  const same = await replayRederive(await readTrace(tracePath), classicDb(join(dir, 'a')));
  t.ok(same.inputs >= 3, 'the namespaces, the deployment, the service and the patch are the inputs');
  t.equal(same.divergence, undefined, JSON.stringify(same.divergence));
  t.equal(same.rederived, same.recorded);
  t.same(same.summary, {});

  const surge = join(dir, 'surge.trace');
  await rewrite(tracePath, surge, (e) => {
    if (e.res !== 'apps/v1/deployments' || e.actor.kind !== 'user' || e.type !== 'ADDED') return e;
    const spec = (e.object as unknown as { spec: Record<string, unknown> }).spec;
    return { ...e, object: { ...e.object, spec: { ...spec, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 0 } } } } } as Event;
  });
  const changed = await replayRederive(await readTrace(surge), classicDb(join(dir, 'b')));
  t.ok(changed.divergence, 'a divergence is reported');
  const d = changed.divergence!;
  // The edited input itself is in both histories; the first event derived from it differs: the
  // ReplicaSet the deployment controller writes carries max-replicas = replicas + maxSurge (3+1 → 3+3).
  t.same([d.recorded?.res, d.recorded?.actor], ['apps/v1/replicasets', 'controller/deployment']);
  t.same([d.rederived?.res, d.rederived?.actor], ['apps/v1/replicasets', 'controller/deployment']);
  t.same(d.patch, [{ op: 'replace', path: '/metadata/annotations/deployment.kubernetes.io~1max-replicas', value: '6' }]);
});

t.test('rederive a window (record --since A): seeded with the state at A, compared only after A', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-rederive-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const full = join(dir, 'full.trace');
  t.ok((await runScenario(parseScenario(readFileSync(SCENARIO, 'utf8')), { trace: full })).ok);
  await replayRecorded(await readTrace(full), classicDb(join(dir, 'original')));
  const original = await LevelStore.open(classicDb(join(dir, 'original')));
  // 30 s in: the deployment is settled, the image patch (t+60s) is still to come.
  const since = await original.revAtTime((await original.event(1))!.ts + 30_000);
  const window = join(dir, 'window.trace');
  await recordTrace(storeSource(original, async (p) => Number(p)), window, { since: String(since) });
  await original.close();

  const same = await replayRederive(await readTrace(window), classicDb(join(dir, 'a')));
  t.equal(same.recorded, (await readTrace(window)).header.events, 'only the events after the start are compared');
  t.equal(same.divergence, undefined, JSON.stringify(same.divergence));
  t.equal(same.rederived, same.recorded);

  const surge = join(dir, 'surge.trace');
  await rewrite(window, surge, (e) => {
    if (e.res !== 'apps/v1/deployments' || e.actor.kind !== 'user') return e;
    const spec = (e.object as unknown as { spec: Record<string, unknown> }).spec;
    return { ...e, object: { ...e.object, spec: { ...spec, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 0 } } } } } as Event;
  });
  const changed = await replayRederive(await readTrace(surge), classicDb(join(dir, 'b')));
  const d = changed.divergence;
  t.ok(d, 'the changed input after the start is reported');
  t.ok(d!.recorded!.rev > since, `the first divergence (rev ${d?.recorded?.rev}) is after the window's start (rev ${since})`);
  // The first event derived from the edited input differs: the new ReplicaSet, with max-replicas
  // 3+3 instead of 3+1 (and surged to 3 replicas at once instead of 1).
  t.same([d!.recorded?.res, d!.rederived?.res], ['apps/v1/replicasets', 'apps/v1/replicasets']);
  t.same(d!.patch, [
    { op: 'replace', path: '/spec/replicas', value: 3 },
    { op: 'replace', path: '/metadata/annotations/deployment.kubernetes.io~1max-replicas', value: '6' },
  ]);
});
