// Crash under API load: `rewind serve` is killed with SIGKILL while 20 clients create ConfigMaps
// through the API, then restarted on the same data dir, 10 times over. Every create that was answered
// 2xx must be there after the restart (an acknowledged write is durable), and the controllers come
// back: a Deployment created before the first kill has all its pods Running at the end.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const REWIND = fileURLToPath(new URL('../../bin/rewind', import.meta.url));
const READY = /^Rewind API ready at (http:\/\/\S+) /m;
const ROUNDS = 10;
const CLIENTS = 20;

interface Server {
  url: string;
  child: ChildProcess;
}

function start(data: string): Promise<Server> {
  // A fresh NODE_OPTIONS: tap's loader hooks must not reach the server (see test/kubectl/harness.ts).
  const child = spawn('env', ['NODE_OPTIONS=', process.execPath, REWIND, 'serve', '--port', '0', '--data', data, '--nodes', '1', '--sim', 'pullMs=0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = READY.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.once('exit', (code) => reject(new Error(`rewind serve exited with ${code}: ${out}`)));
  });
}

function kill(s: Server): Promise<void> {
  return new Promise((done) => {
    s.child.once('exit', () => done());
    s.child.kill('SIGKILL');
  });
}

const cm = (name: string) => JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { v: name } });

/** One client creating ConfigMaps until `stop` says so; the names the server acknowledged. */
async function client(url: string, id: string, stop: { now: boolean }): Promise<string[]> {
  const acked: string[] = [];
  for (let i = 0; !stop.now; i++) {
    const name = `${id}-${i}`;
    try {
      const r = await fetch(`${url}/api/v1/namespaces/default/configmaps`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: cm(name) });
      if (r.status === 201) acked.push(name);
    } catch {
      return acked; // the server died mid-request: this write was never acknowledged
    }
  }
  return acked;
}

const DEPLOYMENT = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } });

/** ConfigMaps stored now (a one-item page reports how many remain). */
async function storedCount(url: string): Promise<number> {
  const page = (await (await fetch(`${url}/api/v1/namespaces/default/configmaps?limit=1`)).json()) as { items: unknown[]; metadata: { remainingItemCount?: number } };
  return page.items.length + (page.metadata.remainingItemCount ?? 0);
}

async function runningPods(url: string): Promise<number> {
  const pods = (await (await fetch(`${url}/api/v1/namespaces/default/pods?labelSelector=app%3Dweb`)).json()) as { items: { status?: { phase?: string } }[] };
  return pods.items.filter((p) => p.status?.phase === 'Running').length;
}

t.test(`SIGKILL under ${CLIENTS} writing clients, ${ROUNDS} times`, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-crash-api-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const data = join(dir, 'data');
  let server = await start(data);
  t.teardown(() => server.child.kill('SIGKILL'));
  const created = await fetch(`${server.url}/apis/apps/v1/namespaces/default/deployments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: DEPLOYMENT });
  t.equal(created.status, 201);
  const acked: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const stop = { now: false };
    const clients = Array.from({ length: CLIENTS }, (_, c) => client(server.url, `r${round}c${c}`, stop));
    // Let the load build up: wait until some writes are acknowledged, then kill mid-stream.
    while ((await storedCount(server.url)) < 50 * (round + 1)) {
      // polling the live server, not the clock
    }
    await kill(server);
    stop.now = true;
    for (const names of await Promise.all(clients)) acked.push(...names);
    server = await start(data);
    const list = (await (await fetch(`${server.url}/api/v1/namespaces/default/configmaps`)).json()) as { items: { metadata: { name: string } }[] };
    const present = new Set(list.items.map((i) => i.metadata.name));
    const lost = acked.filter((n) => !present.has(n));
    t.same(lost, [], `round ${round + 1}: all ${acked.length} acknowledged creates survived the kill`);
  }
  let running = 0;
  for (let i = 0; i < 2000 && running < 3; i++) running = await runningPods(server.url);
  t.equal(running, 3, 'the controllers converge after the restarts: 3 pods Running');
});
