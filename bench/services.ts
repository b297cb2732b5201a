// `npm run bench -- services [--json]`: the cost of the service network (issue 5).
//
//   endpoints-N   one reconcile of the Endpoints and EndpointSlice controllers for a service
//                 selecting N ready pods (ms per reconcile, pure: a constructed view)
//   curl          `curl -s svc:80` inside a pod: DNS search, kube-proxy round-robin, the pod's
//                 answer (requests per second, in process)
//   exec          `kubectl exec`-shaped WebSocket sessions running `env` against the API server on
//                 an in-memory store (sessions per second, sequential, over 127.0.0.1)
// The last line of output is one JSON object.

import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { buildServer } from '../api/server.ts';
import { rfc3339, VirtualClock } from '../core/clock.ts';
import type { KObject } from '../core/object.ts';
import { runArgv } from '../controllers/container/commands.ts';
import { sandboxFor } from '../controllers/container/sandbox.ts';
import { reconcileEndpoints } from '../controllers/endpoints.ts';
import { reconcileEndpointSlices } from '../controllers/endpointslice.ts';
import { viewOf } from '../controllers/runtime/testing.ts';
import { openStore } from '../store/index.ts';

const T0 = Date.UTC(2026, 0, 1);

const service: KObject = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default', uid: 'svc', creationTimestamp: rfc3339(T0) },
  spec: { type: 'ClusterIP', clusterIP: '10.96.10.10', clusterIPs: ['10.96.10.10'], selector: { app: 'web' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] },
};

function pod(i: number): KObject {
  const ip = `10.244.${i >> 8}.${i & 255}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `web-${i}`, namespace: 'default', uid: `uid-${i}`, labels: { app: 'web' }, creationTimestamp: rfc3339(T0) },
    spec: { nodeName: `node-${i % 10}`, containers: [{ name: 'web', image: 'traefik/whoami', ports: [{ containerPort: 80 }] }] },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(T0) }], containerStatuses: [{ name: 'web', state: { running: { startedAt: rfc3339(T0) } } }] },
  };
}

function timeIt(times: number, fn: () => void): number {
  fn();
  const start = performance.now();
  for (let i = 0; i < times; i++) fn();
  return (performance.now() - start) / times;
}

function endpoints(n: number): { endpointsMs: number; slicesMs: number } {
  const view = viewOf([service, ...Array.from({ length: n }, (_, i) => pod(i))]);
  const ctx = { view, now: T0 };
  return { endpointsMs: timeIt(20, () => reconcileEndpoints('default/web', ctx)), slicesMs: timeIt(20, () => reconcileEndpointSlices('default/web', ctx)) };
}

function curlPerSec(): number {
  const pods = Array.from({ length: 10 }, (_, i) => pod(i));
  const eps = reconcileEndpoints('default/web', { view: viewOf([service, ...pods]), now: T0 }).writes[0] as { object: KObject };
  const view = viewOf([service, eps.object, ...pods]);
  let n = 0;
  const box = sandboxFor(pods[0], 'web', { envView: view, filesView: view, view, now: T0, nextConnection: () => n++ });
  const count = 2000;
  const ms = timeIt(count, () => runArgv(['curl', '-s', 'web:80'], box)) * count;
  return Math.round(count / (ms / 1000));
}

async function execPerSec(): Promise<number> {
  const clock = new VirtualClock(T0);
  const store = await openStore({ clock });
  await store.commit([{ op: 'create', res: 'v1/pods', object: pod(1) }], { actor: { kind: 'kubelet', name: 'bench' } });
  const app = buildServer({ store, clock });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  const once = () =>
    new Promise<void>((done, fail) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/namespaces/default/pods/web-1/exec?command=env&stdout=true&stderr=true`, ['v5.channel.k8s.io']);
      ws.on('close', () => done());
      ws.on('error', fail);
    });
  await once();
  const count = 300;
  const start = performance.now();
  for (let i = 0; i < count; i++) await once();
  const perSec = Math.round(count / ((performance.now() - start) / 1000));
  await app.close();
  await store.close();
  return perSec;
}

export async function run(argv: string[]): Promise<void> {
  const result = {
    'endpoints-100': endpoints(100),
    'endpoints-1000': endpoints(1000),
    'endpoints-5000': endpoints(5000),
    curlPerSec: curlPerSec(),
    execPerSec: await execPerSec(),
  };
  if (!argv.includes('--json')) {
    for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(16)} ${JSON.stringify(v)}`);
  }
  console.log(JSON.stringify(result));
}
