// A DaemonSet's OnDelete → maxSurge rollout on the simulation (the steps of test/kubectl/rollout-revisions
// "update strategies"), with the surge started at several moments of the pods' start-up — while the
// replaced pod is still ContainerCreating, just Running, long Running — and with minReadySeconds:
// every node ends with exactly one pod of the last template, nothing left terminating, and the status
// counts every pod available.

import t from 'tap';
import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { deleteObject } from '../../controllers/runtime/delete.ts';
import { simCluster } from './sim-harness.ts';

const DS = 'apps/v1/daemonsets';
const PODS = 'v1/pods';
const alice = { actor: { kind: 'user', name: 'alice' } } as const;

const daemonSet = (minReadySeconds: number): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'default' },
  spec: {
    minReadySeconds,
    updateStrategy: { type: 'OnDelete' },
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'agent', image: 'fluentd:v1' }] } },
  },
});

/** `kubectl set image` (and, with `spec`, a patch of the strategy in the same write). */
const setImage = (image: string, spec: Record<string, unknown> = {}): Mutation => ({
  op: 'patch',
  res: DS,
  ns: 'default',
  name: 'agent',
  apply: (cur) => {
    const s = cur.spec as { template: Record<string, unknown> };
    return { ...cur, spec: { ...s, ...spec, template: { ...s.template, spec: { containers: [{ name: 'agent', image }] } } } };
  },
});

const describe = (p: KObject) => `${(p.spec as { nodeName?: string }).nodeName} ${(p.spec as { containers: { image: string }[] }).containers[0].image}${p.metadata.deletionTimestamp ? ' terminating' : ''}`;

for (const minReadySeconds of [0, 5]) {
  for (const surgeAfterMs of [0, 1000, 1500, 10_000]) {
    t.test(`minReadySeconds ${minReadySeconds}, surge ${surgeAfterMs} ms after a pod was replaced by hand`, async (t) => {
      const c = await simCluster({ nodes: 2 });
      t.teardown(() => c.stop());
      await c.apply([{ op: 'create', res: DS, object: daemonSet(minReadySeconds) }]);
      await c.apply([setImage('fluentd:v2')]);
      await c.store.commit([deleteObject(PODS, c.list(PODS)[0], c.clock.now())], alice);
      await c.settle(surgeAfterMs);
      await c.store.commit([setImage('fluentd:v3', { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } })], alice);
      await c.settle(300_000);
      t.same(c.list(PODS).map(describe).sort(), ['node-1 fluentd:v3', 'node-2 fluentd:v3']);
      t.match(c.get(DS, 'agent')!.status, { desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberAvailable: 2, numberReady: 2 });
      t.same(c.errors, []);
    });
  }
}
