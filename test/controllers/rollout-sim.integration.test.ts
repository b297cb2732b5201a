// A rolling update on the full simulation (scheduler, simulated kubelet with pull/start latencies,
// nodes) rather than the instant fake kubelet: pods take virtual time to become Ready, so the bounds
// of maxSurge and maxUnavailable are exercised while replica sets and pods are out of step.
import t from 'tap';
import type { Event } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import type { Deployment } from '../../controllers/deployment/util.ts';
import { isPodReady } from '../../controllers/runtime/pods.ts';
import { simCluster } from './sim-harness.ts';

const DEPLOY = 'apps/v1/deployments';

t.test('rolling update with real kubelet latencies stays within surge and unavailability', async (t) => {
  const c = await simCluster({ nodes: 3, kubelet: { pullMs: 1000, startMs: 500 } });
  t.teardown(() => c.stop());
  const d: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 8,
      minReadySeconds: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } },
    },
  };
  await c.apply([{ op: 'create', res: DEPLOY, object: d }]);
  t.match(c.get(DEPLOY, 'web')!.status, { availableReplicas: 8, updatedReplicas: 8 });
  const before = c.list('v1/pods');
  const from = c.store.rev;
  const next = structuredClone(c.get(DEPLOY, 'web')) as Deployment;
  (next.spec.template!.spec!.containers as { image: string }[])[0].image = 'nginx:1.27';
  await c.apply([{ op: 'update', res: DEPLOY, object: next }], 600_000);

  const pods = new Map<string, KObject>(before.map((p) => [p.metadata.name!, p]));
  let maxAlive = 0;
  let minReady = Infinity;
  const log: Event[] = [];
  for await (const e of c.store.read(from)) log.push(e);
  for (const e of log) {
    if (e.res !== 'v1/pods') continue;
    if (e.type === 'DELETED') pods.delete(e.name);
    else pods.set(e.name, e.object);
    const alive = [...pods.values()].filter((p) => !p.metadata.deletionTimestamp);
    maxAlive = Math.max(maxAlive, alive.length);
    minReady = Math.min(minReady, alive.filter(isPodReady).length);
  }
  // 25% of 8: surge 2, unavailable 2.
  t.ok(maxAlive <= 10, `at most 8 + 2 pods (saw ${maxAlive})`);
  t.ok(minReady >= 6, `at least 8 − 2 ready (saw ${minReady})`);
  const final = c.get(DEPLOY, 'web') as Deployment;
  t.match(final.status, { observedGeneration: 2, replicas: 8, updatedReplicas: 8, availableReplicas: 8 });
  t.match(final.status!.conditions, [{ type: 'Available', status: 'True' }, { type: 'Progressing', reason: 'NewReplicaSetAvailable' }]);
  const running = c.list('v1/pods');
  t.equal(running.length, 8);
  t.ok(running.every((p) => (p.spec as { nodeName?: string }).nodeName && (p.spec as { containers: { image: string }[] }).containers[0].image === 'nginx:1.27'));
  t.same(c.errors, [], 'no controller failed');
});
