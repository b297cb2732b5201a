// Nodes with the real kubectl: the simulated nodes as `get nodes` shows them, cordon and uncordon,
// drain (evictions), and `rewind node stop|start` — a stopped node goes NotReady, its pods are
// evicted and replaced elsewhere, and it comes back Ready. The server runs with a 2 s grace period
// and no kubelet latency so the story takes seconds; waits poll the cluster until a deadline.

import t from 'tap';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startRewind, type Result } from './harness.ts';

const REWIND = fileURLToPath(new URL('../../bin/rewind', import.meta.url));
const rw = await startRewind(t, ['--nodes', '3', '--sim', 'nodeGraceMs=2000,pullMs=0,startMs=0,shutdownMs=0']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `check` until it returns true; fail with the last output after `ms`. */
async function eventually(what: string, check: () => Promise<boolean>, ms = 30_000): Promise<void> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(200)) if (await check()) return;
  throw new Error(`timed out waiting for ${what}`);
}

/** `rewind node …` against this server (NODE_OPTIONS reset as the harness does for the server). */
function rewindNode(...args: string[]): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawn('env', ['NODE_OPTIONS=', process.execPath, REWIND, 'node', ...args, '--kubeconfig', rw.kubeconfig], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c));
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

const podNodes = async (selector: string) => {
  const r = await rw.kubectl('get', 'pods', '-l', selector, '-o', 'jsonpath={range .items[*]}{.spec.nodeName} {.status.phase} {.metadata.deletionTimestamp}{"\\n"}{end}');
  return r.stdout.trim().split('\n').filter(Boolean).map((l) => l.split(' '));
};

t.test('get nodes shows the simulated nodes', async (t) => {
  await eventually('three Ready nodes', async () => (await rw.kubectl('get', 'nodes')).stdout.match(/ Ready /g)?.length === 3);
  const wide = await rw.kubectl('get', 'nodes', '-o', 'wide');
  t.match(wide.stdout, /^node-1\s+Ready\s+<none>\s+\S+\s+v1\.32\.0\s+172\.18\.0\.2\s/m);
  const cidr = await rw.kubectl('get', 'node', 'node-2', '-o', 'jsonpath={.spec.podCIDR} {.status.capacity.cpu} {.status.allocatable.pods}');
  t.equal(cidr.stdout, '10.244.2.0/24 4 110');
  const leases = await rw.kubectl('get', 'lease', '-n', 'kube-node-lease');
  t.match(leases.stdout, /node-3\s+node-3/);
});

t.test('cordon keeps new pods off a node; uncordon lets them back', async (t) => {
  t.match((await rw.kubectl('cordon', 'node-1')).stdout, 'node/node-1 cordoned');
  t.match((await rw.kubectl('get', 'node', 'node-1')).stdout, /node-1\s+Ready,SchedulingDisabled/);
  await rw.kubectl('create', 'deployment', 'cordoned', '--image=nginx', '--replicas=4');
  await eventually('4 running pods', async () => (await podNodes('app=cordoned')).filter((p) => p[1] === 'Running').length === 4);
  t.notOk((await podNodes('app=cordoned')).some((p) => p[0] === 'node-1'), 'none on node-1');
  const describe = await rw.kubectl('describe', 'node', 'node-1');
  t.match(describe.stdout, /Taints:\s+node\.kubernetes\.io\/unschedulable:NoSchedule/);
  t.match((await rw.kubectl('uncordon', 'node-1')).stdout, 'node/node-1 uncordoned');
  await eventually('the taint removed', async () => !(await rw.kubectl('describe', 'node', 'node-1')).stdout.includes('unschedulable:NoSchedule'));
  await rw.kubectl('delete', 'deployment', 'cordoned');
});

t.test('drain evicts the pods of a node and they come back elsewhere', async (t) => {
  await rw.kubectl('create', 'deployment', 'drained', '--image=nginx', '--replicas=3');
  await eventually('3 running pods', async () => (await podNodes('app=drained')).filter((p) => p[1] === 'Running').length === 3);
  const r = await rw.kubectl('drain', 'node-2', '--ignore-daemonsets', '--timeout=60s');
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /node\/node-2 drained/);
  await eventually('3 running pods off node-2', async () => {
    const pods = await podNodes('app=drained');
    return pods.length === 3 && pods.every((p) => p[0] !== 'node-2' && p[1] === 'Running');
  });
  await rw.kubectl('uncordon', 'node-2');
  await rw.kubectl('delete', 'deployment', 'drained');
});

t.test('rewind node stop: NotReady, tainted, pods evicted and replaced; start: Ready again', async (t) => {
  // pods that tolerate an unreachable node for 1 s instead of admission's 300 s
  const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: moving
spec:
  replicas: 3
  selector:
    matchLabels: {app: moving}
  template:
    metadata:
      labels: {app: moving}
    spec:
      tolerations:
      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 1}
      containers:
      - {name: web, image: nginx}
`;
  await rw.kubectl('apply', '-f', rw.file('moving.yaml', manifest));
  await eventually('3 running pods', async () => (await podNodes('app=moving')).filter((p) => p[1] === 'Running').length === 3);
  const victim = (await podNodes('app=moving'))[0][0];
  const stop = await rewindNode('stop', victim);
  t.equal(stop.code, 0, stop.stderr);
  t.equal(stop.stdout.trim(), `node/${victim} kubelet stopped`);
  await eventually(`${victim} NotReady`, async () => new RegExp(`${victim}\\s+NotReady`).test((await rw.kubectl('get', 'nodes')).stdout));
  t.match((await rw.kubectl('describe', 'node', victim)).stdout, /node\.kubernetes\.io\/unreachable:NoExecute/);
  await eventually('3 live pods elsewhere', async () => {
    const live = (await podNodes('app=moving')).filter((p) => !p[2]);
    return live.length === 3 && live.every((p) => p[0] !== victim && p[1] === 'Running');
  });
  const start = await rewindNode('start', victim);
  t.equal(start.code, 0, start.stderr);
  await eventually(`${victim} Ready`, async () => new RegExp(`${victim}\\s+Ready\\s`).test((await rw.kubectl('get', 'nodes')).stdout));
  await eventually('the evicted pod finally removed', async () => (await podNodes('app=moving')).length === 3);
  t.notMatch((await rw.kubectl('describe', 'node', victim)).stdout, /unreachable/);
  t.equal((await rewindNode('stop', 'no-such-node')).code, 1, 'an unknown node is an error');
});
