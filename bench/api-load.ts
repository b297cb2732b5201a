// `npm run bench -- api-load [--json] [--duration S]`: the API server under mixed load on loopback
// for 30 s (default): 50 autocannon connections cycling create ConfigMap → list ConfigMaps (limit
// 50) → get one ConfigMap, while 100 watches stay open on ConfigMaps. Reports requests/s, p99
// latency, errors (non-2xx plus watches that broke; must be 0), events delivered to the watchers and
// the server process's peak RSS. The last line of output is one JSON object.

import autocannon from 'autocannon';
import { get } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDefaultRoles } from '../api/auth/default-roles.ts';
import { ensureSystemNamespaces } from '../api/bootstrap.ts';
import { buildServer } from '../api/server.ts';
import { admit } from '../core/admission.ts';
import { RealClock } from '../core/clock.ts';
import { openStore } from '../store/index.ts';

const CONNECTIONS = 50;
const WATCHES = 100;
const BODY = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { generateName: 'load-' }, data: { key: 'value' } });
const SEED = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'seed' }, data: { key: 'value' } });

interface Watchers {
  events(): number;
  broken(): number;
  close(): void;
}

/** `n` watches on ConfigMaps, counting the events they receive and the ones that end early. */
function openWatches(base: string, n: number): Watchers {
  let events = 0;
  let broken = 0;
  let closing = false;
  const requests = Array.from({ length: n }, () => {
    const req = get(`${base}/api/v1/namespaces/default/configmaps?watch=true`, (res) => {
      res.on('data', (c: Buffer) => (events += c.toString().split('\n').length - 1));
      res.on('end', () => !closing && broken++);
    });
    req.on('error', () => !closing && broken++);
    return req;
  });
  return { events: () => events, broken: () => broken, close: () => ((closing = true), requests.forEach((r) => r.destroy())) };
}

export async function run(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const i = argv.indexOf('--duration');
  const duration = i >= 0 ? Number(argv[i + 1]) : 30;
  const dir = mkdtempSync(join(tmpdir(), 'rewind-bench-api-load-'));
  const log = (s: string) => !json && console.log(s);
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
  try {
    const clock = new RealClock();
    const store = await openStore({ path: join(dir, 'log'), clock, admit });
    await ensureSystemNamespaces(store);
    await ensureDefaultRoles(store);
    const app = buildServer({ store, clock });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    await fetch(`${base}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: SEED });
    const watchers = openWatches(base, WATCHES);
    log(`${CONNECTIONS} connections (create, list, get) + ${WATCHES} watches, ${duration}s…`);
    const r = await autocannon({
      url: base,
      connections: CONNECTIONS,
      duration,
      workers: 1,
      requests: [
        { method: 'POST', path: '/api/v1/namespaces/default/configmaps', headers: { 'content-type': 'application/json' }, body: BODY },
        { method: 'GET', path: '/api/v1/namespaces/default/configmaps?limit=50' },
        { method: 'GET', path: '/api/v1/namespaces/default/configmaps/seed' },
      ],
    });
    const events = watchers.events();
    const broken = watchers.broken();
    watchers.close();
    await app.close();
    await store.close();
    const report = {
      bench: 'api-load',
      connections: CONNECTIONS,
      watches: WATCHES,
      durationSec: duration,
      requestsPerSec: Math.round(r.requests.average),
      p99Ms: r.latency.p99,
      errors: r.non2xx + r.errors + r.timeouts + broken,
      watchEvents: events,
      peakRssMiB: Math.round(peakRss / 1024 / 1024),
    };
    log(`${report.requestsPerSec} req/s · p99 ${report.p99Ms} ms · errors ${report.errors} · ${events} watch events · peak RSS ${report.peakRssMiB} MiB`);
    console.log(JSON.stringify(report));
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}
