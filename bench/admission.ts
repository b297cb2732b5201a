// `npm run bench -- admission [--json]`: the cost core/ adds to every write and every filtered list,
// in-process.
//
//   podCreatePerSec         admitting a new Pod (defaults, plugins, validation, decoder type check)
//   deploymentCreatePerSec  admitting a new Deployment (template defaults and checks included)
//   deploymentUpdatePerSec  admitting a scale of a stored Deployment (update rules included)
//   selectorParsePerSec     parsing `app=web,env in (prod,devel),!canary`
//   selectorMatch10kMs      matching that selector against 10,000 label sets
//
// The last line of output is one JSON object.

import { performance } from 'node:perf_hooks';
import { admit } from '../core/admission.ts';
import type { KObject } from '../core/object.ts';
import { parseLabelSelector } from '../core/selectors.ts';
import { rate } from './measure.ts';

const pod: KObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', uid: 'u1', labels: { app: 'web' } },
  spec: { containers: [{ name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }], resources: { requests: { cpu: '100m' } } }] },
};

const deployment: KObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'u2' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: pod.spec } },
};

const SELECTOR = 'app=web,env in (prod,devel),!canary';

function matchMs(): number {
  const labels = Array.from({ length: 10_000 }, (_, i) => ({ app: i % 2 ? 'web' : 'db', env: ['prod', 'devel', 'test'][i % 3], ...(i % 7 ? {} : { canary: 'y' }) }));
  const match = parseLabelSelector(SELECTOR);
  const start = performance.now();
  let hits = 0;
  for (const l of labels) if (match(l)) hits++;
  if (hits === 0) throw new Error('the selector matched nothing');
  return Number((performance.now() - start).toFixed(2));
}

export async function run(argv: string[]): Promise<void> {
  const stored = admit({ op: 'create', res: 'apps/v1/deployments', object: deployment });
  const scaled = { ...stored, spec: { ...(stored.spec as object), replicas: 5 } };
  const result = {
    podCreatePerSec: rate(() => admit({ op: 'create', res: 'v1/pods', object: pod })),
    deploymentCreatePerSec: rate(() => admit({ op: 'create', res: 'apps/v1/deployments', object: deployment })),
    deploymentUpdatePerSec: rate(() => admit({ op: 'update', res: 'apps/v1/deployments', object: scaled, old: stored })),
    selectorParsePerSec: rate(() => parseLabelSelector(SELECTOR)),
    selectorMatch10kMs: matchMs(),
  };
  for (const [k, v] of Object.entries(result)) console.log(`${k.padEnd(24)} ${v}`);
  if (argv.includes('--json')) console.log(JSON.stringify(result));
}
