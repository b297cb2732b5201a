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
import { readTrace, TraceWriter } from '../../replays/trace.ts';
import { classicDb } from '../../store/index.ts';

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
