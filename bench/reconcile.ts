// `npm run bench -- reconcile [--json] [--only acd,b,big]`: how fast the controllers converge (issue 4).
//
// Every workload runs the whole control plane — controllers/index.ts plus the scheduler, simulated
// kubelet and node controllers — on a fresh LevelDB store (classic-level in a temp dir, fsync per
// batch as `rewind serve` does), a virtual clock and zero kubelet latency. The clock is the
// simulation's; "seconds" is wall time from the workload's first write until every pod is Running
// and Ready and every deployment Available with all replicas updated.
//
//   a    1 deployment × 1,000 replicas on 100 nodes
//   b    100 deployments × 10 replicas on 100 nodes
//   c    a rolling update (new image) of (a)
//   d    stopping 10 of (a)'s 100 nodes: NotReady after the grace period, unreachable taint,
//        eviction after the toleration, replacements scheduled elsewhere (all in virtual time)
//   big  10 deployments × 1,000 replicas on 200 nodes
//
// Reported per workload: pods (running at the end), seconds, cpuSeconds (this process's CPU time over the same span — the
// steadier figure on a shared machine), podsPerSec (pods brought to Ready per second), eventsPerSec
// (log events per second), reconciles per second per controller; and the peak RSS of the run. The
// last line of output is one JSON object.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { VirtualClock } from '../core/clock.ts';
import type { Mutation } from '../core/events.ts';
import type { KObject } from '../core/object.ts';
import type { Deployment } from '../controllers/deployment/util.ts';
import { CONTROLLERS } from '../controllers/index.ts';
import { kubeletController } from '../controllers/kubelet/index.ts';
import { startControllers, type Manager } from '../controllers/manager.ts';
import { nodeAgentController } from '../controllers/nodes/agent.ts';
import { nodeLifecycleController } from '../controllers/nodes/lifecycle.ts';
import { KUBELET_ANNOTATION, STOPPED } from '../controllers/nodes/liveness.ts';
import { nodeName } from '../controllers/nodes/registration.ts';
import { isPodReady, podSpec } from '../controllers/runtime/pods.ts';
import { runUntilSettled } from '../controllers/runtime/settle.ts';
import type { ControllerFactory } from '../controllers/runtime/types.ts';
import { schedulerController } from '../controllers/scheduler/index.ts';
import { openStore, type Store } from '../store/index.ts';

const DEPLOY = 'apps/v1/deployments';
const PODS = 'v1/pods';
const user = { actor: { kind: 'user' as const, name: 'bench' } };
const ZERO_LATENCY = { pullMs: 0, startMs: 0, shutdownMs: 0 };
/** Virtual time a workload may take (node grace + toleration of (d) fit well inside). */
const HORIZON_MS = 3_600_000;

interface Result {
  pods: number;
  seconds: number;
  /** CPU time of this process over the same span (user + system): steadier than wall time on a busy machine. */
  cpuSeconds: number;
  podsPerSec: number;
  eventsPerSec: number;
  reconcilesPerSec: Record<string, number>;
}

interface Cluster {
  store: Store;
  clock: VirtualClock;
  manager: Manager;
  close(): Promise<void>;
}

/** The whole control plane: index.ts plus the simulation controllers when index.ts does not list them yet. */
function factories(): ControllerFactory[] {
  const sim = [schedulerController, kubeletController, nodeAgentController, nodeLifecycleController];
  return [...CONTROLLERS, ...sim.filter((f) => !CONTROLLERS.includes(f))];
}

async function cluster(nodes: number): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-bench-reconcile-'));
  const clock = new VirtualClock();
  const store = await openStore({ path: dir, clock });
  await store.commit(
    ['default', 'kube-system', 'kube-node-lease'].map((name) => ({ op: 'create', res: 'v1/namespaces', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } })),
    { actor: { kind: 'system', name: 'bench' } },
  );
  const manager = await startControllers(store, { clock, factories: factories(), nodes, kubelet: ZERO_LATENCY });
  await runUntilSettled(manager, clock, { maxVirtualMs: HORIZON_MS, until: () => store.list('v1/nodes').items.length === nodes });
  return {
    store,
    clock,
    manager,
    async close() {
      await manager.stop();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function deployment(name: string, replicas: number, image = 'nginx:1.27'): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'web', image, resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
    },
  };
}

/**
 * Every deployment rolled out and available, and exactly its pods Running and Ready, none on `avoid`
 * nodes. Pods terminating on a stopped node stay Terminating (as on a real cluster: nobody confirms
 * their end); any other terminating pod must be gone.
 */
function converged(store: Store, avoid = new Set<string>()): boolean {
  const deployments = store.list(DEPLOY).items as Deployment[];
  let want = 0;
  for (const d of deployments) {
    const n = d.spec.replicas ?? 1;
    const s = d.status ?? {};
    if (s.observedGeneration !== d.metadata.generation || s.updatedReplicas !== n || s.availableReplicas !== n || s.replicas !== n) return false;
    want += n;
  }
  const pods = store.list(PODS).items;
  const onAvoided = (p: KObject) => avoid.has(podSpec(p).nodeName ?? '');
  const alive = pods.filter((p) => !p.metadata.deletionTimestamp);
  if (alive.length !== want || pods.some((p) => p.metadata.deletionTimestamp && !onAvoided(p))) return false;
  return alive.every((p) => isPodReady(p) && !onAvoided(p));
}

/** Run one workload's writes and measure until convergence. */
async function measure(c: Cluster, writes: Mutation[], avoid?: Set<string>): Promise<Result> {
  const rev0 = c.store.rev;
  const before = c.manager.reconciles();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await c.store.commit(writes, user);
  const settled = await runUntilSettled(c.manager, c.clock, { maxVirtualMs: HORIZON_MS, until: () => converged(c.store, avoid) });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  if (!settled.settled) throw new Error('the workload did not converge within the virtual horizon');
  const pods = c.store.list(PODS, { filter: (p) => !p.metadata.deletionTimestamp }).items.length;
  const after = c.manager.reconciles();
  const reconcilesPerSec = Object.fromEntries(
    Object.entries(after)
      .map(([name, n]) => [name, Math.round((n - (before[name] ?? 0)) / seconds)] as const)
      .filter(([, n]) => n > 0),
  );
  return { pods, seconds: round(seconds), cpuSeconds: round((cpu.user + cpu.system) / 1e6), podsPerSec: Math.round(pods / seconds), eventsPerSec: Math.round((c.store.rev - rev0) / seconds), reconcilesPerSec };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

function setImage(store: Store, name: string, image: string): Mutation {
  const d = structuredClone(store.get(DEPLOY, 'default', name)) as Deployment;
  (d.spec.template!.spec!.containers as { image: string }[])[0].image = image;
  return { op: 'update', res: DEPLOY, object: d };
}

function stopNode(name: string): Mutation {
  return {
    op: 'patch',
    res: 'v1/nodes',
    ns: '',
    name,
    apply: (n: KObject) => ({ ...n, metadata: { ...n.metadata, annotations: { ...n.metadata.annotations, [KUBELET_ANNOTATION]: STOPPED } } }),
  };
}

/** `count` deployments of `replicas` each, created at once on a fresh cluster of `nodes`. */
async function freshDeployments(nodes: number, count: number, replicas: number, prefix: string): Promise<Result> {
  const c = await cluster(nodes);
  try {
    return await measure(c, Array.from({ length: count }, (_, i) => ({ op: 'create', res: DEPLOY, object: deployment(`${prefix}-${i}`, replicas) })));
  } finally {
    await c.close();
  }
}

const WORKLOADS: Record<string, () => Promise<Record<string, Result>>> = {
  // a, c and d share one cluster: the rolling update and the node failures act on (a)'s pods.
  async acd() {
    const c = await cluster(100);
    try {
      const a = await measure(c, [{ op: 'create', res: DEPLOY, object: deployment('web', 1000) }]);
      const cc = await measure(c, [setImage(c.store, 'web', 'nginx:1.28')]);
      const stopped = Array.from({ length: 10 }, (_, i) => nodeName(i + 1));
      const d = await measure(c, stopped.map(stopNode), new Set(stopped));
      return { a, c: cc, d };
    } finally {
      await c.close();
    }
  },
  b: async () => ({ b: await freshDeployments(100, 100, 10, 'app') }),
  big: async () => ({ big: await freshDeployments(200, 10, 1000, 'big') }),
};

export async function run(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? new Set(argv[onlyAt + 1].split(',')) : undefined;
  const report: Record<string, unknown> = {};
  for (const [name, workload] of Object.entries(WORKLOADS)) {
    if (only && !only.has(name)) continue;
    const results = await workload();
    for (const [w, r] of Object.entries(results)) {
      report[w] = r;
      console.log(`${w.padEnd(4)} ${String(r.pods).padStart(6)} pods  ${r.seconds.toFixed(3).padStart(8)} s (cpu ${r.cpuSeconds.toFixed(3)} s)  ${String(r.podsPerSec).padStart(7)} pods/s  ${String(r.eventsPerSec).padStart(7)} events/s  reconciles/s ${JSON.stringify(r.reconcilesPerSec)}`);
    }
  }
  report.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  console.log(`peak RSS ${report.peakRssMb} MB`);
  if (json) console.log(JSON.stringify(report));
}
