// `npm run bench -- live-replay [--json] [--events N]`: a trace replayed into a running server's
// store (replays/live-replay.ts, what POST rewind.dev replays runs) at speed max, with the store as
// `rewind serve` opens it — on disk, admission on, every commit fsynced — so each replayed event is
// one decided, admitted, durable commit with its recorded actor and remapped cause.
//
// The trace is a real simulated history — valid objects the server's admission accepts: a scenario
// (replays/scenario.ts) with a deployment of `--replicas` (default 100) on 10 nodes, a rolling update
// at t+2m and a scale-down at t+5m, recorded with every controller's, scheduler's and kubelet's
// writes. Reported: events/s (wall) and CPU seconds of the replay (steadier than wall time on a
// shared machine). The last line is one JSON object.

import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lastValueFrom } from 'rxjs';
import { admit } from '../core/admission.ts';
import { RealClock } from '../core/clock.ts';
import { LiveReplays } from '../replays/live-replay.ts';
import { openStore } from '../store/index.ts';
import { runScenario } from '../replays/scenario.ts';
import type { Scenario } from '../replays/scenario-file.ts';
import { resolveTypeName } from '../core/registry.ts';
import type { KObject } from '../core/object.ts';

function scenario(replicas: number): Scenario {
  const labels = { app: 'web' };
  const web = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } } } as unknown as KObject;
  const ref = { info: resolveTypeName('deployment')!, name: 'web', ns: 'default' };
  return {
    name: 'bench-live-replay',
    nodes: 10,
    duration: 8 * 60_000,
    start: [web],
    steps: [
      { at: 2 * 60_000, kind: 'patch', ref, patch: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } } } },
      { at: 5 * 60_000, kind: 'scale', ref, replicas: Math.ceil(replicas / 2) },
    ],
    expect: [],
  };
}

export async function run(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const at = argv.indexOf('--replicas');
  const replicas = at >= 0 ? Number(argv[at + 1]) : 100;
  const dir = mkdtempSync(join(tmpdir(), 'rewind-bench-live-'));
  try {
    const tracePath = join(dir, 'bench.trace');
    await runScenario(scenario(replicas), { trace: tracePath });
    const clock = new RealClock();
    const store = await openStore({ path: join(dir, 'log'), clock, admit });
    const replays = new LiveReplays(store, clock);
    const cpu = process.cpuUsage();
    const began = performance.now();
    const prepared = await replays.prepare(createReadStream(tracePath), { mode: 'recorded', speed: Infinity });
    const { name } = prepared.start().metadata;
    const last = await lastValueFrom(replays.follow(name)!);
    const seconds = (performance.now() - began) / 1000;
    const used = process.cpuUsage(cpu);
    await store.close();
    const result = {
      replicas,
      events: last.status.total,
      applied: last.status.applied,
      skipped: last.status.skipped,
      liveReplayEventsPerSec: Math.round(last.status.applied / seconds),
      wallSeconds: Number(seconds.toFixed(2)),
      cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
    };
    if (!json) console.log(`live replay of ${result.events} events (${replicas} replicas) at speed max: ${result.liveReplayEventsPerSec} events/s, ${result.wallSeconds} s wall, ${result.cpuSeconds} s CPU (${result.skipped} skipped)`);
    console.log(JSON.stringify(result));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
