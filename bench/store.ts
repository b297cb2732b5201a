// `npm run bench -- store [--json] [--quick]`: the event log (store/) on classic-level.
//
//   commit    events/s through Store.commit: 1,000 concurrent single-object commits, and commits of
//             100 objects each (one caller at a time); sync on (fsync per batch) and off; each after
//             one untimed run of the same shape (JIT warm-up), with the pods built before the clock starts
//   raw       the ceiling, same run: the exact batches the sync-on commit runs wrote (same keys, same
//             encoded bytes, same batch sizes, recorded at the db) replayed into a fresh classic-level
//             with sync on, through the same chained-batch API and LevelDB options; ratio = commit / raw
//             (target ≥ 0.5)
//   at        one object read through at(rev) for a random earlier rev, on logs of 10k, 100k and 1M
//             events (built with sync off and big batches): median and p99 (target p99 < 5 ms, flat)
//             of 2,000 reads, after a first pass of 2,000 (whose p99 is reported too)
//   reopen    open of the 1M log (newest checkpoint + tail + the per-object index)
//   rebuild   the view rebuilt from the log alone: every event from rev 1 decoded and applied
//   rss       peak resident set size
//
// --quick shrinks everything (logs of 1k/10k/20k) to check the script itself; --sizes=a,b,c sets
// the log lengths; --repeat=N measures the concurrent commit run and its ceiling N times, pair after
// pair, and reports the pair of median ratio (and every pair's ratio): on a shared disk the ceiling
// of the same batches moves several-fold from one run to the next. The last line of output is one
// JSON object (the report).

import { ClassicLevel } from 'classic-level';
import { SingleBar } from 'cli-progress';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Mutation } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import { seededRandom } from '../core/random.ts';
import { openStore, type Db } from '../store/index.ts';
import { LEVELDB } from '../store/db.ts';
import type { LevelStore } from '../store/level-store.ts';
import { MemView } from '../store/view.ts';
import { percentile } from './measure.ts';

const actor = { kind: 'user' as const, name: 'bench' };
type Batch = Array<{ type: 'put'; key: Buffer; value: Buffer }>;

/** A pod of about 1 KB, like the ones a Deployment stamps out. */
export function pod(i: number, gen = 0): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `web-7d4b9c8f6-${i.toString(36).padStart(5, '0')}`,
      namespace: `ns-${i % 10}`,
      labels: { app: 'web', 'pod-template-hash': '7d4b9c8f6', tier: 'frontend' },
      annotations: { 'rewind.dev/bench': String(gen) },
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c8f6', uid: '5b0c8a2e-4a7b-4f3e-9d61-0f2a6c1e8b37', controller: true, blockOwnerDeletion: true }],
    },
    spec: {
      containers: [{
        name: 'web',
        image: 'nginx:1.27',
        ports: [{ containerPort: 80, protocol: 'TCP' }],
        resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '500m', memory: '256Mi' } },
        env: [{ name: 'MODE', value: 'production' }, { name: 'GEN', value: String(gen) }],
        volumeMounts: [{ name: 'kube-api-access', mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', readOnly: true }],
        terminationMessagePath: '/dev/termination-log',
        imagePullPolicy: 'IfNotPresent',
      }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      nodeName: `node-${i % 7}`,
      schedulerName: 'default-scheduler',
      volumes: [{ name: 'kube-api-access', projected: { sources: [{ serviceAccountToken: { expirationSeconds: 3607, path: 'token' } }] } }],
    },
    status: { phase: 'Running', podIP: `10.244.${i % 250}.${gen % 250}`, qosClass: 'Burstable' },
  };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'rewind-bench-'));
}

/** When each batch write was issued and when it was durable (performance.now() ms). */
type Span = [issued: number, durable: number];

/**
 * A classic-level db that records every batch it writes (to replay the same bytes as the ceiling),
 * and when each write was in flight.
 */
function recordingDb(path: string, record: Batch[], spans: Span[]): Db {
  const db = new ClassicLevel<Buffer, Buffer>(path, { keyEncoding: 'buffer', valueEncoding: 'buffer', ...LEVELDB }) as unknown as Db;
  type Chained = { put(k: Buffer, v: Buffer): unknown; write(o?: object): Promise<void> };
  const chained = db.batch.bind(db) as () => Chained;
  (db as unknown as { batch: unknown }).batch = () => {
    const b = chained();
    const ops: Batch = [];
    const put = b.put.bind(b);
    const write = b.write.bind(b);
    b.put = (key: Buffer, value: Buffer) => (ops.push({ type: 'put', key, value }), put(key, value));
    b.write = (o?: object) => {
      record.push(ops);
      const issued = performance.now();
      return write(o).then(() => void spans.push([issued, performance.now()]));
    };
    return b;
  };
  return db;
}

/** A full garbage collection (V8's gc(), exposed at run time): settle the heap before a timed run. */
export function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/**
 * CPU time of the main thread so far, in µs (Linux: /proc/self/task/<pid>/schedstat, nanoseconds);
 * undefined elsewhere. Unlike process.cpuUsage() it leaves out LevelDB's and the GC helpers' threads:
 * the commit pipeline is bound by the main thread, so this is the figure to compare with the ceiling.
 */
function mainThreadUs(): number | undefined {
  const file = `/proc/self/task/${process.pid}/schedstat`;
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split(' ')[0]) / 1000 : undefined;
}

interface CommitRun {
  perSec: number;
  /** Process CPU time (all threads, LevelDB's included) per event: what the path costs, whatever the load. */
  cpuUs: number;
  /** Main-thread CPU time per event (Linux only). */
  mainUs?: number;
  /**
   * Share of the run's wall time with a batch write in flight: near 1, LevelDB (the disk) sets the
   * pace; lower, the main thread does, and LevelDB waits for batches.
   */
  levelDbBusy: number;
  batches: number;
  recorded: Batch[];
}

/**
 * events/s through commit: `rounds` of `concurrent` callers each committing `perCall` objects. The
 * objects are built before the clock starts and the heap is collected then, so neither the
 * workload's own allocation nor earlier runs' garbage is charged to the commit path.
 */
async function commitRun(sync: boolean, concurrent: number, perCall: number, rounds: number): Promise<CommitRun> {
  const dir = tmp();
  const recorded: Batch[] = [];
  const spans: Span[] = [];
  const s = (await openStore({ db: recordingDb(join(dir, 'db'), recorded, spans), sync: sync ? 'batch' : 'none' })) as LevelStore;
  await s.commit([{ op: 'create', res: 'v1/pods', object: pod(-1) }], { actor }); // opens the log, not timed
  recorded.length = 0;
  spans.length = 0;
  let n = 0;
  const work: Mutation[][][] = [];
  for (let r = 0; r < rounds; r++) {
    const calls: Mutation[][] = [];
    for (let c = 0; c < concurrent; c++) {
      const muts: Mutation[] = [];
      for (let k = 0; k < perCall; k++) muts.push({ op: 'create', res: 'v1/pods', object: pod(n++) });
      calls.push(muts);
    }
    work.push(calls);
  }
  collectGarbage();
  const main0 = mainThreadUs();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (const calls of work) {
    if (concurrent === 1) await s.commit(calls[0], { actor });
    else await Promise.all(calls.map((muts) => s.commit(muts, { actor })));
  }
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  const main1 = mainThreadUs();
  const busyMs = spans.reduce((sum, [issued, durable]) => sum + durable - issued, 0); // writes never overlap
  const batches = s.batchSizes.length - 1;
  await s.close();
  rmSync(dir, { recursive: true, force: true });
  // The batches of events, each as written (a checkpoint that rode on one is part of it, so the
  // ceiling writes it too); the checkpoint close writes on its own is not part of the commit path.
  const events = recorded.filter((ops) => ops.some((op) => op.key[0] === 0x65));
  const mainUs = main0 === undefined || main1 === undefined ? undefined : (main1 - main0) / n;
  return { perSec: (n / ms) * 1000, cpuUs: (cpu.user + cpu.system) / n, mainUs, levelDbBusy: busyMs / ms, batches, recorded: events };
}

/** The ceiling: the same batches, same bytes, straight into a fresh classic-level, sync on. */
async function rawRun(batches: Batch[]): Promise<number> {
  const dir = tmp();
  const db = new ClassicLevel<Buffer, Buffer>(join(dir, 'db'), { keyEncoding: 'buffer', valueEncoding: 'buffer', ...LEVELDB });
  await db.open();
  let events = 0;
  const t0 = performance.now();
  for (const ops of batches) {
    const b = db.batch();
    for (const op of ops) b.put(op.key, op.value);
    await b.write({ sync: true } as object);
    events += ops.filter((op) => op.key[0] === 0x65).length;
  }
  const ms = performance.now() - t0;
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  return (events / ms) * 1000;
}

/**
 * Grow the log to `target` events: creates of `pool` pods, then updates of them, as 4 concurrent
 * commits of 250 (so the writer's pipeline overlaps encoding with writing).
 */
async function grow(s: LevelStore, target: number, pool: number, bar: SingleBar): Promise<void> {
  const mutation = (n: number): Mutation => {
    const i = n % pool;
    const gen = Math.floor(n / pool);
    return gen === 0 ? { op: 'create', res: 'v1/pods', object: pod(i) } : { op: 'update', res: 'v1/pods', object: pod(i, gen) };
  };
  while (s.rev < target) {
    const base = s.rev;
    const calls: Array<Promise<unknown>> = [];
    for (let from = base; from < Math.min(base + 1000, target); from += 250) {
      const muts: Mutation[] = [];
      for (let n = from; n < Math.min(from + 250, target); n++) muts.push(mutation(n));
      calls.push(s.commit(muts, { actor }));
    }
    await Promise.all(calls);
    bar.update(s.rev);
  }
}

/** Point reads in the past: at(random rev ≤ head) then get(one random pod of the pool). */
async function pastReads(s: LevelStore, pool: number, samples: number, rng: () => number): Promise<{ p50: number; p99: number }> {
  const times: number[] = [];
  let found = 0;
  for (let k = 0; k < samples; k++) {
    const rev = 1 + Math.floor(rng() * s.rev);
    const p = pod(Math.floor(rng() * Math.min(rev, pool))); // pod i is created at rev i + 1
    const t0 = performance.now();
    const view = await s.at(rev);
    if (view.get('v1/pods', p.metadata.namespace!, p.metadata.name!)) found++;
    times.push(performance.now() - t0);
  }
  if (found < samples / 2) throw new Error(`only ${found} of ${samples} past reads found their object`);
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** The view rebuilt from the log alone: decode and apply every event. */
async function rebuild(s: LevelStore): Promise<number> {
  const t0 = performance.now();
  const view = new MemView();
  for await (const e of s.read(0)) view.apply(e);
  return performance.now() - t0;
}

const round = (x: number, d = 0) => Number(x.toFixed(d));

/** Events per batch written (the `e` puts of each). */
function avgEvents(batches: Batch[]): number {
  return batches.reduce((a, b) => a + b.filter((op) => op.key[0] === 0x65).length, 0) / Math.max(1, batches.length);
}

/**
 * `n` commit runs, each followed by its ceiling (the same batches, raw): the pair whose ratio is
 * the median, its batches' average size, and every pair's ratio in order of measurement.
 */
async function medianPair(n: number, run: () => Promise<CommitRun>): Promise<{ conc: CommitRun; concRaw: number; avgBatch: number; ratios: number[] }> {
  const pairs: Array<{ conc: CommitRun; concRaw: number; avgBatch: number }> = [];
  for (let i = 0; i < n; i++) {
    const conc = await run();
    const concRaw = await rawRun(conc.recorded);
    pairs.push({ conc, concRaw, avgBatch: avgEvents(conc.recorded) });
    conc.recorded.length = 0; // the batches' bytes are not needed any more
  }
  const ratios = pairs.map((p) => p.conc.perSec / p.concRaw);
  const sorted = [...pairs].sort((a, b) => a.conc.perSec / a.concRaw - b.conc.perSec / b.concRaw);
  return { ...sorted[sorted.length >> 1], ratios };
}

export async function run(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const quick = argv.includes('--quick');
  const sizesArg = argv.find((a) => a.startsWith('--sizes='));
  const sizes = sizesArg ? sizesArg.slice(8).split(',').map(Number) : quick ? [1_000, 10_000, 20_000] : [10_000, 100_000, 1_000_000];
  const repeat = Math.max(1, Number(argv.find((a) => a.startsWith('--repeat='))?.slice(9) ?? 1) || 1);
  const pool = quick ? 1_000 : 10_000;

  // Commit throughput, and the raw ceiling of the very batches the sync-on runs wrote. First one
  // untimed run of each shape, so that the timed runs measure the JIT-compiled path a running server
  // has, not V8's first compilation of it (which alone doubled the CPU per event of the first run).
  await commitRun(false, 1000, 1, quick ? 2 : 5);
  await commitRun(false, 1, 100, quick ? 20 : 100);
  const { conc, concRaw, avgBatch, ratios } = await medianPair(repeat, () => commitRun(true, 1000, 1, quick ? 2 : 5));
  const b100 = await commitRun(true, 1, 100, quick ? 20 : 100);
  const b100Raw = await rawRun(b100.recorded);
  const concOff = await commitRun(false, 1000, 1, quick ? 2 : 5);
  const b100Off = await commitRun(false, 1, 100, quick ? 20 : 100);

  // Time travel on a growing log.
  const dir = tmp();
  let s = (await openStore({ path: join(dir, 'db'), sync: 'none' })) as LevelStore;
  const bar = new SingleBar({ format: 'building log {bar} {value}/{total} events ({eta}s)', stream: process.stderr, noTTYOutput: true, notTTYSchedule: 5000 });
  bar.start(sizes[sizes.length - 1], 0);
  const rng = seededRandom('bench-store');
  const at: Record<string, { p50: number; p99: number }> = {};
  const atCold: Record<string, { p50: number; p99: number }> = {};
  const buildT0 = performance.now();
  for (const size of sizes) {
    await grow(s, size, pool, bar);
    // First pass: LevelDB opens the tables of old revisions it has not touched yet (and the machine
    // may be busy); second pass: the steady state of a server that has been answering such reads.
    atCold[size] = await pastReads(s, pool, quick ? 500 : 2000, rng);
    at[size] = await pastReads(s, pool, quick ? 500 : 2000, rng);
  }
  bar.stop();
  const buildS = (performance.now() - buildT0) / 1000;
  await s.close();
  const t0 = performance.now();
  s = (await openStore({ path: join(dir, 'db'), sync: 'none' })) as LevelStore;
  const reopenMs = performance.now() - t0;
  const rebuildMs = await rebuild(s);
  await s.close();
  rmSync(dir, { recursive: true, force: true });
  const peakRssMb = process.resourceUsage().maxRSS / 1024;

  const cpuOf = (r: CommitRun) =>
    `${round(r.cpuUs, 1)} µs CPU/event${r.mainUs === undefined ? '' : `, ${round(r.mainUs, 1)} on the main thread`}, LevelDB writing ${round(r.levelDbBusy * 100)} % of the time`;
  const rows: Array<[string, string]> = [
    ['commit, 1,000 concurrent single-object, sync on', `${round(conc.perSec)} events/s (avg batch ${round(avgBatch, 1)}, ${cpuOf(conc)})`],
    ['  raw classic-level, same batches, sync on', `${round(concRaw)} events/s → ratio ${round(conc.perSec / concRaw, 2)}${repeat > 1 ? ` (median of ${ratios.map((r) => round(r, 2)).join(', ')})` : ''}`],
    ['commit, batches of 100, sync on', `${round(b100.perSec)} events/s (${cpuOf(b100)})`],
    ['  raw classic-level, same batches, sync on', `${round(b100Raw)} events/s → ratio ${round(b100.perSec / b100Raw, 2)}`],
    ['commit, 1,000 concurrent single-object, sync off', `${round(concOff.perSec)} events/s (${cpuOf(concOff)})`],
    ['commit, batches of 100, sync off', `${round(b100Off.perSec)} events/s (${cpuOf(b100Off)})`],
    ...sizes.map((n): [string, string] => [
      `past point read, log of ${n.toLocaleString('en')}`,
      `median ${round(at[n].p50, 3)} ms, p99 ${round(at[n].p99, 3)} ms (first pass: p99 ${round(atCold[n].p99, 3)} ms)`,
    ]),
    [`build of the ${sizes[sizes.length - 1].toLocaleString('en')}-event log (sync off)`, `${round(buildS, 1)} s`],
    ['reopen (checkpoint + tail + index)', `${round(reopenMs)} ms`],
    ['rebuild from the log alone', `${round(rebuildMs)} ms`],
    ['peak RSS', `${round(peakRssMb)} MB`],
    ['load average at the end (other jobs on the machine)', `${round(loadavg()[0], 1)}`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);

  if (json) {
    console.log(JSON.stringify({
      commitPerSec: round(conc.perSec),
      rawPerSec: round(concRaw),
      ratio: round(conc.perSec / concRaw, 3),
      ...(repeat > 1 ? { ratios: ratios.map((r) => round(r, 3)) } : {}),
      batch100: { commitPerSec: round(b100.perSec), rawPerSec: round(b100Raw), ratio: round(b100.perSec / b100Raw, 3) },
      syncOff: { concurrentPerSec: round(concOff.perSec), batch100PerSec: round(b100Off.perSec) },
      cpuUsPerEvent: { concurrent: round(conc.cpuUs, 1), batch100: round(b100.cpuUs, 1), concurrentSyncOff: round(concOff.cpuUs, 1), batch100SyncOff: round(b100Off.cpuUs, 1) },
      mainThreadUsPerEvent: { concurrent: round(conc.mainUs ?? NaN, 1), batch100: round(b100.mainUs ?? NaN, 1), concurrentSyncOff: round(concOff.mainUs ?? NaN, 1), batch100SyncOff: round(b100Off.mainUs ?? NaN, 1) },
      levelDbBusy: { concurrent: round(conc.levelDbBusy, 2), batch100: round(b100.levelDbBusy, 2) },
      loadAverage: round(loadavg()[0], 1),
      atMedianMs: Object.fromEntries(sizes.map((n) => [String(n), round(at[n].p50, 3)])),
      atP99Ms: Object.fromEntries(sizes.map((n) => [String(n), round(at[n].p99, 3)])),
      atFirstPassP99Ms: Object.fromEntries(sizes.map((n) => [String(n), round(atCold[n].p99, 3)])),
      buildS: round(buildS, 1),
      reopenMs: round(reopenMs),
      rebuildMs: round(rebuildMs),
      peakRssMb: round(peakRssMb),
    }));
  }
}
