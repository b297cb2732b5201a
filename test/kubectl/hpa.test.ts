// issue 5 acceptance, autoscaling (seed 003) with the real kubectl: `kubectl top`, an HPA scaling a
// deployment up under `rewind load` and back down once the load is gone and the (shortened)
// scale-down stabilization window has passed; autoscaling/v1 as `kubectl autoscale` writes it.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { eventually } from './eventually.ts';
import { startRewind } from './harness.ts';

// A 1 s sync period keeps the test short; the formula and windows are the production ones.
const rw = await startRewind(t, ['--sim', 'hpaSyncMs=1000,pullMs=0,startMs=0']);
const REWIND = fileURLToPath(new URL('../../bin/rewind', import.meta.url));
const rewind = async (...args: string[]) => {
  try {
    // NODE_OPTIONS reset, as the harness does for the server (tap's loader hooks must not reach the CLI).
    const { stdout, stderr } = await promisify(execFile)('env', ['NODE_OPTIONS=', process.execPath, REWIND, ...args, '--kubeconfig', rw.kubeconfig]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

const web = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
        resources:
          requests:
            cpu: 200m
            memory: 64Mi
`;

const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: web
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: web
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 50
  behavior:
    scaleDown:
      stabilizationWindowSeconds: 5
`;

const replicas = () => rw.kubectl('get', 'deploy/web', '-o', 'jsonpath={.spec.replicas}');

t.test('kubectl top pod and node show the load model', async (t) => {
  t.equal((await rw.kubectl('apply', '-f', rw.file('web.yaml', web))).code, 0);
  t.equal((await rw.kubectl('rollout', 'status', 'deploy/web', '--timeout=60s')).code, 0);
  const load = await rewind('load', 'deploy/web', '--cpu', '80%');
  t.equal(load.stdout, 'deployment.apps/web load: cpu 320m\n', load.stderr);
  const top = await eventually(() => rw.kubectl('top', 'pod', '-l', 'app=web'), (r) => r.code === 0);
  const lines = top.stdout.trim().split('\n');
  t.match(lines[0], /^NAME\s+CPU\(cores\)\s+MEMORY\(bytes\)/);
  t.equal(lines.length, 3);
  for (const line of lines.slice(1)) t.match(line, /^web-\S+\s+160m\s+4Mi\s*$/, 'each pod carries half of 320m');
  const nodes = await rw.kubectl('top', 'node');
  t.equal(nodes.code, 0, nodes.stderr);
  t.match(nodes.stdout, /^NAME\s+CPU\(cores\)\s+CPU(%)?/);
  t.equal(nodes.stdout.trim().split('\n').length, 4, 'three nodes');
});

t.test('the HPA scales up under load and back down after the stabilization window', async (t) => {
  t.equal((await rw.kubectl('apply', '-f', rw.file('hpa.yaml', hpa))).code, 0);
  // 320m over 2 pods of 200m = 80% vs 50% → ceil(1.6 × 2) = 4; then 80m each = 40%, ratio 0.8 →
  // ceil(0.8 × 4) = 4 again: it stays at 4.
  const up = await eventually(replicas, (r) => r.stdout === '4');
  t.equal(up.stdout, '4');
  const described = await eventually(() => rw.kubectl('describe', 'hpa', 'web'), (r) => r.stdout.includes('SuccessfulRescale'));
  t.match(described.stdout, /New size: 4; reason: cpu resource utilization \(percentage of request\) above target/);
  t.match(described.stdout, /AbleToScale\s+True/);
  t.match(described.stdout, /ScalingActive\s+True\s+ValidMetricFound/);
  const got = await rw.kubectl('get', 'hpa', 'web');
  t.match(got.stdout, /web\s+Deployment\/web\s+cpu: \d+%\/50%\s+1\s+10\s+4/);

  t.equal((await rewind('load', 'deploy/web', '--cpu', '0')).code, 0);
  const down = await eventually(replicas, (r) => r.stdout === '1');
  t.equal(down.stdout, '1');
  const events = await rw.kubectl('describe', 'hpa', 'web');
  t.match(events.stdout, /New size: 1; reason: All metrics below target/);
});

t.test('kubectl autoscale (autoscaling/v1) and pods without requests', async (t) => {
  t.equal((await rw.kubectl('create', 'deployment', 'bare', '--image=nginx')).code, 0);
  const made = await rw.kubectl('autoscale', 'deployment', 'bare', '--min=1', '--max=3', '--cpu-percent=50');
  t.equal(made.stdout, 'horizontalpodautoscaler.autoscaling/bare autoscaled\n', made.stderr);
  const described = await eventually(() => rw.kubectl('describe', 'hpa', 'bare'), (r) => r.stdout.includes('FailedGetResourceMetric'));
  t.match(described.stdout, /ScalingActive\s+False\s+FailedGetResourceMetric\s+the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container nginx of Pod bare-/);
});
