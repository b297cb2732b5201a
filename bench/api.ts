// `npm run bench -- api [--json] [--duration S]`: the API server under load on loopback (autocannon).
//
//   creates   POST of ConfigMaps (generateName) at 50 connections, through admission and the durable
//             LevelDB log (fsync per group-commit batch)
//   ceiling   a bare fastify POST route answering a stored buffer, same body, same connections: what
//             HTTP + JSON on this machine allows; ratio = creates / ceiling (target ≥ 0.3)
//   get       GET of one object, 10 connections: p99 latency
//   list      LIST of 10,000 pods, as JSON and as a Table (kubectl get): median latency
//   etcd      when the etcd binary is installed (Debian etcd-server), etcd create-if-absent
//             transactions of the same bytes through the etcd3 client at 50 concurrent requests: the
//             ceiling of a real apiserver's writes (target: creates ≥ 2× etcd); null when absent
//
// `--load` runs bench/api-load.ts instead (mixed reads, writes and 100 watches; docs/RELIABILITY.md).
// The last line of output is one JSON object (the report).

import autocannon from 'autocannon';
import Fastify from 'fastify';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureSystemNamespaces } from '../api/bootstrap.ts';
import { buildServer } from '../api/server.ts';
import { admit } from '../core/admission.ts';
import { RealClock } from '../core/clock.ts';
import type { Mutation } from '../core/events.ts';
import { openStore } from '../store/index.ts';
import { run as apiLoad } from './api-load.ts';

const CONNECTIONS = 50;
const PODS = 10_000;
const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';
const BODY = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'bench-' }, data: { key: 'value' } });

interface Load {
  perSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

/** One autocannon run. The load generator runs in a worker thread so it does not share the server's event loop. */
async function load(opts: autocannon.Options): Promise<Load> {
  const r = await autocannon({ workers: 1, ...opts });
  return { perSec: r.requests.average, p50Ms: r.latency.p50, p99Ms: r.latency.p99, non2xx: r.non2xx };
}

export async function run(argv: string[]): Promise<void> {
  if (argv.includes('--load')) return apiLoad(argv);
  const json = argv.includes('--json');
  const i = argv.indexOf('--duration');
  const duration = i >= 0 ? Number(argv[i + 1]) : 10;
  const dir = mkdtempSync(join(tmpdir(), 'rewind-bench-api-'));
  const log = (s: string) => !json && console.log(s);
  try {
    const clock = new RealClock();
    const store = await openStore({ path: join(dir, 'log'), clock, admit });
    await ensureSystemNamespaces(store);
    const app = buildServer({ store, clock });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    const bare = Fastify();
    const stored = Buffer.from(BODY);
    bare.post('/ceiling', (_req, reply) => reply.type('application/json').send(stored));
    const bareBase = await bare.listen({ host: '127.0.0.1', port: 0 });

    const post = { method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: BODY, connections: CONNECTIONS, duration };
    log(`creates: ${CONNECTIONS} connections, ${duration}s…`);
    const creates = await load({ ...post, url: `${base}/api/v1/namespaces/default/configmaps` });
    log('ceiling: bare fastify POST…');
    const ceiling = await load({ ...post, url: `${bareBase}/ceiling` });
    await bare.close();

    log('get: one object…');
    const get = await load({ url: `${base}/api/v1/namespaces/default/configmaps/${firstName(store)}`, connections: 10, duration: Math.max(2, duration / 2) });

    log(`list: seeding ${PODS} pods…`);
    await seedPods(store);
    const list = await load({ url: `${base}/api/v1/namespaces/default/pods?limit=0`, connections: 1, amount: 20 });
    const table = await load({ url: `${base}/api/v1/namespaces/default/pods`, headers: { accept: TABLE_ACCEPT }, connections: 1, amount: 20 });
    await app.close();
    await store.close();

    const etcd = await etcdPeer(dir, duration, log);
    const report = {
      bench: 'api',
      connections: CONNECTIONS,
      durationSec: duration,
      createsPerSec: round(creates.perSec),
      createP99Ms: creates.p99Ms,
      createErrors: creates.non2xx,
      ceilingPerSec: round(ceiling.perSec),
      ratio: round(creates.perSec / ceiling.perSec, 3),
      getPerSec: round(get.perSec),
      getP99Ms: get.p99Ms,
      listPods10kMs: list.p50Ms,
      listPods10kP99Ms: list.p99Ms,
      listPods10kTableMs: table.p50Ms,
      listPods10kTableP99Ms: table.p99Ms,
      etcdPeerPerSec: etcd === null ? null : round(etcd),
      vsEtcd: etcd === null ? null : round(creates.perSec / etcd, 2),
    };
    if (!json) {
      console.log(`creates ${report.createsPerSec}/s (p99 ${report.createP99Ms} ms) · ceiling ${report.ceilingPerSec}/s · ratio ${report.ratio}`);
      console.log(`get p99 ${report.getP99Ms} ms · list 10k pods ${report.listPods10kMs} ms (table ${report.listPods10kTableMs} ms)`);
      console.log(etcd === null ? 'etcd: not installed (etcdPeerPerSec null)' : `etcd peer ${report.etcdPeerPerSec}/s · creates/etcd ${report.vsEtcd}`);
    }
    console.log(JSON.stringify(report));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const round = (x: number, digits = 0) => Number(x.toFixed(digits));

function firstName(store: Awaited<ReturnType<typeof openStore>>): string {
  return store.list('v1/configmaps', { namespace: 'default', limit: 1 }).items[0].metadata.name!;
}

async function seedPods(store: Awaited<ReturnType<typeof openStore>>): Promise<void> {
  const actor = { kind: 'system' as const, name: 'bench' };
  for (let start = 0; start < PODS; start += 500) {
    const batch: Mutation[] = [];
    for (let n = start; n < Math.min(PODS, start + 500); n++) {
      batch.push({
        op: 'create',
        res: 'v1/pods',
        object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `pod-${n}`, namespace: 'default', labels: { app: 'bench' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
      });
    }
    await store.commit(batch, { actor });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** etcd create-if-absent transactions per second at CONNECTIONS concurrency, or null without etcd. */
async function etcdPeer(dir: string, duration: number, log: (s: string) => void): Promise<number | null> {
  if (spawnSync('etcd', ['--version']).status !== 0) return null;
  const [client, peer] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${client}`;
  log(`etcd peer: ${url}…`);
  const etcd = spawn('etcd', [
    '--data-dir', join(dir, 'etcd'),
    '--listen-client-urls', url, '--advertise-client-urls', url,
    '--listen-peer-urls', `http://127.0.0.1:${peer}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer}`,
    '--initial-cluster', `default=http://127.0.0.1:${peer}`,
  ], { stdio: 'ignore' });
  const { Etcd3 } = await import('etcd3');
  const kv = new Etcd3({ hosts: url });
  try {
    await waitForEtcd(kv);
    let done = 0;
    let seq = 0;
    const deadline = performance.now() + duration * 1000;
    const worker = async () => {
      while (performance.now() < deadline) {
        const key = `/registry/configmaps/default/bench-${seq++}`;
        await kv.if(key, 'Create', '==', 0).then(kv.put(key).value(BODY)).commit();
        done++;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
    return done / ((performance.now() - t0) / 1000);
  } finally {
    kv.close();
    etcd.kill('SIGTERM');
  }
}

async function waitForEtcd(kv: import('etcd3').Etcd3): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await kv.get('/ready').string();
      return;
    } catch (e) {
      if (attempt > 100) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
