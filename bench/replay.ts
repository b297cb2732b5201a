// `npm run bench -- replay [--json] [--quick]`: time travel and replays at scale.
//
//   recorded    a synthetic trace of 1M events (10,000 pods of ~1 KB created, then updated over and
//               over, one deployment write by a user every 1,000 events as their cause) replayed in
//               recorded mode into a fresh classic-level data dir: events/s, trace read and decode
//               included
//   raw         the ceiling, same run: the `e` records the replay wrote (same keys, same bytes)
//               written into a fresh classic-level in unsynced batches of 2,048
//   memory      peak RSS through the replay (trace writing included)
//   at list     list of all pods through at(time) at 200 random moments of the replayed log (seeded),
//               prefetched then listed as the API does: median and p99 (target p99 < 50 ms)
//   why         the causal chain of a random pod at a random rev, 500 times: median and p99
//   scenario    one virtual hour of a simulated cluster (3 nodes, every controller, a 10-replica
//               deployment, a rolling update at 20 min, a scale at 40 min): wall seconds (target < 10)
//
// --quick shrinks the log to 20k events and 1,000 pods. The last line is one JSON object.

import { ClassicLevel } from 'classic-level';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { objectParam } from '../api/rewind/query.ts';
import { causalChain } from '../api/rewind/why.ts';
import { startControllers } from '../controllers/manager.ts';
import { runUntilSettled } from '../controllers/runtime/settle.ts';
import { VirtualClock } from '../core/clock.ts';
import type { Event } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import { seededRandom } from '../core/random.ts';
import { replayRecorded } from '../replays/replay.ts';
import { readTrace, TraceWriter } from '../replays/trace.ts';
import { classicDb, LevelStore, openStore } from '../store/index.ts';
import { collectGarbage, pod } from './store.ts';
import { percentile } from './measure.ts';

const T0 = Date.UTC(2026, 0, 1);
const USER = { kind: 'user' as const, name: 'alice', userAgent: 'kubectl/v1.32.0' };
const KUBELET = { kind: 'kubelet' as const, name: 'node-1' };

const deployment = (replicas: number, rev: number): KObject =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'ns-0', resourceVersion: String(rev) }, spec: { replicas } }) as KObject;

/** The synthetic history: pods created, then updated round-robin; a user write every 1,000 events causes the next ones. */
export async function writeTrace(path: string, events: number, pods: number): Promise<void> {
  const w = await TraceWriter.create(path, { from: 0, to: events, fromTime: T0, toTime: T0 + events * 10, baseEvents: 0, events, source: 'bench' }, []);
  let userRev = 0;
  let podWrites = 0;
  for (let rev = 1; rev <= events; rev++) {
    const ts = T0 + rev * 10;
    let e: Event;
    if (rev % 1000 === 1) {
      e = { rev, ts, type: rev === 1 ? 'ADDED' : 'MODIFIED', res: 'apps/v1/deployments', ns: 'ns-0', name: 'web', object: deployment(rev % 7, rev), actor: USER };
      userRev = rev;
    } else {
      const i = podWrites % pods;
      const object = pod(i, Math.floor(podWrites / pods));
      podWrites++;
      object.metadata.resourceVersion = String(rev);
      e = { rev, ts, type: podWrites <= pods ? 'ADDED' : 'MODIFIED', res: 'v1/pods', ns: object.metadata.namespace!, name: object.metadata.name!, object, actor: KUBELET, cause: userRev };
    }
    await w.add(e);
  }
  await w.close();
}

const round = (x: number, d = 0) => Math.round(x * 10 ** d) / 10 ** d;

/** Write the replayed log's `e` records again, unsynced, into a fresh classic-level: the ceiling. */
async function rawWrite(from: string, to: string): Promise<number> {
  const src = new ClassicLevel<Buffer, Buffer>(from, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await src.open();
  const records: Array<[Buffer, Buffer]> = [];
  for await (const [k, v] of src.iterator({ gte: Buffer.from([0x65]), lt: Buffer.from([0x66]) })) records.push([k, v]);
  await src.close();
  const dst = new ClassicLevel<Buffer, Buffer>(to, { keyEncoding: 'buffer', valueEncoding: 'buffer' });
  await dst.open();
  const t0 = performance.now();
  for (let i = 0; i < records.length; i += 2048) {
    const b = dst.batch();
    for (const [k, v] of records.slice(i, i + 2048)) b.put(k, v);
    await b.write({ sync: false } as object);
  }
  const secs = (performance.now() - t0) / 1000;
  await dst.close();
  return records.length / secs;
}

async function scenarioHour(): Promise<number> {
  const clock = new VirtualClock(T0);
  const store = await openStore({ clock, sync: 'none' });
  const t0 = performance.now();
  await store.commit(['default', 'kube-system', 'kube-node-lease'].map((name) => ({ op: 'create', res: 'v1/namespaces', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } })), { actor: USER });
  const manager = await startControllers(store, { clock, nodes: 3 });
  const dep = (image: string, replicas: number) =>
    ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } } }) as KObject;
  const write = async (object: KObject, op: 'create' | 'update') => {
    if (op === 'update') object.metadata.resourceVersion = undefined;
    await store.commit([op === 'create' ? { op, res: 'apps/v1/deployments', object } : { op: 'patch', res: 'apps/v1/deployments', ns: 'default', name: 'web', apply: (cur) => ({ ...cur, spec: object.spec }) }], { actor: USER });
  };
  await write(dep('nginx:1.26', 10), 'create');
  await runUntilSettled(manager, clock, { maxVirtualMs: 20 * 60_000 });
  await write(dep('nginx:1.27', 10), 'update');
  await runUntilSettled(manager, clock, { maxVirtualMs: 20 * 60_000 });
  await write(dep('nginx:1.27', 15), 'update');
  await runUntilSettled(manager, clock, { maxVirtualMs: T0 + 3_600_000 - clock.now() });
  const secs = (performance.now() - t0) / 1000;
  await manager.stop();
  await store.close();
  return secs;
}

export async function run(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const events = quick ? 20_000 : 1_000_000;
  const pods = quick ? 1_000 : 10_000;
  const dir = mkdtempSync(join(tmpdir(), 'rewind-bench-replay-'));
  try {
    const tracePath = join(dir, 'bench.trace');
    await writeTrace(tracePath, events, pods);
    // Each timed phase starts on a settled heap: the previous phase's garbage (the trace's writing,
    // the raw ceiling's half gigabyte of records) otherwise slows the next one's collections (at lists:
    // median 305 ms after the raw write vs 120 ms in a fresh process; the raw write: 196k events/s
    // after the at lists vs 647k right after the replay — same machine, same hour).
    collectGarbage();
    const t0 = performance.now();
    await replayRecorded(await readTrace(tracePath), classicDb(join(dir, 'replayed')));
    const recordedEventsPerSec = events / ((performance.now() - t0) / 1000);
    // Peak RSS so far: writing the trace and replaying it (the raw ceiling holds every record in memory).
    const replayPeakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
    collectGarbage();
    const rawWritePerSec = await rawWrite(join(dir, 'replayed'), join(dir, 'raw'));
    collectGarbage();

    const store = await LevelStore.open(classicDb(join(dir, 'replayed')));
    const rand = seededRandom('bench-replay');
    const atMs: number[] = [];
    for (let i = 0; i < 200; i++) {
      // A random moment (the trace's events are 10 ms apart), resolved to its rev as /at/{time}/ does.
      const time = T0 + 10 * (2 * pods + Math.floor(rand() * (events - 2 * pods)));
      const s = performance.now();
      const view = await store.at({ time });
      await view.prefetch?.('v1/pods'); // as the API does before a list
      const n = view.list('v1/pods').items.length;
      atMs.push(performance.now() - s);
      if (n !== pods) throw new Error(`at(${time}) listed ${n} pods, expected ${pods}`);
    }
    const whyMs: number[] = [];
    for (let i = 0; i < 500; i++) {
      const p = pod(Math.floor(rand() * pods), 0).metadata;
      const at = 2 * pods + Math.floor(rand() * (events - 2 * pods));
      const s = performance.now();
      await causalChain(store, objectParam({ type: 'pods', name: p.name, namespace: p.namespace }), at);
      whyMs.push(performance.now() - s);
    }
    await store.close();
    const scenarioHourSeconds = await scenarioHour();

    const report = {
      events,
      pods,
      recordedEventsPerSec: round(recordedEventsPerSec),
      rawWritePerSec: round(rawWritePerSec),
      replayRatio: round(recordedEventsPerSec / rawWritePerSec, 2),
      replayPeakRssMb,
      scenarioHourSeconds: round(scenarioHourSeconds, 2),
      atListMedianMs: round(percentile(atMs, 50), 2),
      atListP99Ms: round(percentile(atMs, 99), 2),
      whyMedianMs: round(percentile(whyMs, 50), 3),
      whyP99Ms: round(percentile(whyMs, 99), 3),
    };
    if (!json) {
      console.log(`recorded replay   ${report.recordedEventsPerSec} events/s (raw classic-level ${report.rawWritePerSec}/s, ratio ${report.replayRatio})`);
      console.log(`at(time) list pods median ${report.atListMedianMs} ms, p99 ${report.atListP99Ms} ms (${pods} pods, ${events} events)`);
      console.log(`why               median ${report.whyMedianMs} ms, p99 ${report.whyP99Ms} ms`);
      console.log(`1-hour scenario   ${report.scenarioHourSeconds} s wall`);
    }
    console.log(JSON.stringify(report));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
