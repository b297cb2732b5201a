// `npm run bench -- formats [--json]`: the cost of the API's wire formats (the modules behind PATCH,
// server-side tables, OpenAPI and protobuf bodies), in-process, no HTTP.
//
//   openapiColdMs        generating every OpenAPI v3 group-version document once (start-up cost)
//   tablePods10kMs       a Table of 10,000 running pods (median of 5)
//   smpPerSec            kubectl's client-side-apply strategic merge patch on a Deployment
//   ssaPerSec            a server-side apply (with field ownership) of a Deployment it already owns
//   protobufDecodePerSec decoding kubectl's `create deployment` protobuf body
//
// The last line of output is one JSON object.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { openapiIndex } from '../api/openapi.ts';
import { decodeProtobuf } from '../api/protobuf.ts';
import { toTable } from '../api/table.ts';
import type { KObject } from '../core/object.ts';
import { applyPatch } from '../core/patch/index.ts';
import { median, rate } from './measure.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');

function pod(i: number): KObject {
  return {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `web-7d4b9c-${i}`, namespace: 'default', uid: `uid-${i}`, resourceVersion: String(i), creationTimestamp: '2026-01-01T11:00:00Z', labels: { app: 'web', 'pod-template-hash': '7d4b9c' } },
    spec: { nodeName: `node-${i % 100}`, containers: [{ name: 'c', image: 'nginx:1.26' }] },
    status: { phase: 'Running', podIP: `10.0.${i >> 8}.${i & 255}`, podIPs: [{ ip: `10.0.${i >> 8}.${i & 255}` }], conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T11:00:05Z' } } }] },
  };
}

const deployment: KObject = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } },
  spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] }] } } },
};

export async function run(argv: string[]): Promise<void> {
  let t = performance.now();
  openapiIndex();
  const openapiColdMs = Math.round(performance.now() - t);

  const pods = Array.from({ length: 10_000 }, (_, i) => pod(i));
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = performance.now();
    toTable('v1/pods', pods, { now: NOW, resourceVersion: '1' });
    times.push(performance.now() - t);
  }
  const tablePods10kMs = Math.round(median(times));

  const smp = JSON.stringify({ spec: { replicas: 3, template: { spec: { '$setElementOrder/containers': [{ name: 'c' }], containers: [{ image: 'nginx:1.26', name: 'c' }] } } } });
  const smpPerSec = rate(() => applyPatch({ contentType: 'application/strategic-merge-patch+json', current: deployment, body: smp, res: 'apps/v1/deployments', fieldManager: 'kubectl-client-side-apply' }));

  const applied = JSON.stringify(deployment);
  const owned = applyPatch({ contentType: 'application/apply-patch+yaml', current: deployment, body: applied, res: 'apps/v1/deployments', fieldManager: 'kubectl' });
  const ssaPerSec = rate(() => applyPatch({ contentType: 'application/apply-patch+yaml', current: owned, body: applied, res: 'apps/v1/deployments', fieldManager: 'kubectl' }));

  const body = readFileSync(new URL('../test/fixtures/protobuf/deployment.bin', import.meta.url));
  const protobufDecodePerSec = rate(() => decodeProtobuf(body));

  const result = { openapiColdMs, tablePods10kMs, smpPerSec, ssaPerSec, protobufDecodePerSec };
  if (!argv.includes('--json')) {
    for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(22)} ${v}`);
  }
  console.log(JSON.stringify(result));
}
