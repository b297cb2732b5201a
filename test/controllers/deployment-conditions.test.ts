// Deployment status stability: conditions keep their place across writes (no Available/Progressing
// swaps in the log), and a settled deployment — reconciled again as a resync would — writes nothing.
import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { reconcileDeployment } from '../../controllers/deployment/index.ts';
import { replaceCondition, setCondition, type Condition, type DeploymentStatus } from '../../controllers/deployment/util.ts';
import { cluster } from './harness.ts';

const DEPLOY = 'apps/v1/deployments';

const cond = (type: string, status: Condition['status'], reason: string, at = '2026-01-01T00:00:00Z'): Condition => ({ type, status, reason, message: '', lastUpdateTime: at, lastTransitionTime: at });

t.test('setCondition replaces in place; same status and reason change nothing; the transition time moves only with the status', async (t) => {
  const s: DeploymentStatus = { conditions: [cond('Available', 'False', 'MinimumReplicasUnavailable'), cond('Progressing', 'True', 'ReplicaSetUpdated')] };
  setCondition(s, cond('Available', 'True', 'MinimumReplicasAvailable', '2026-01-01T00:01:00Z'));
  t.same(s.conditions!.map((c) => [c.type, c.status, c.lastTransitionTime]), [['Available', 'True', '2026-01-01T00:01:00Z'], ['Progressing', 'True', '2026-01-01T00:00:00Z']]);
  setCondition(s, cond('Progressing', 'True', 'NewReplicaSetAvailable', '2026-01-01T00:02:00Z'));
  t.same(s.conditions!.map((c) => [c.type, c.reason, c.lastUpdateTime, c.lastTransitionTime]), [
    ['Available', 'MinimumReplicasAvailable', '2026-01-01T00:01:00Z', '2026-01-01T00:01:00Z'],
    ['Progressing', 'NewReplicaSetAvailable', '2026-01-01T00:02:00Z', '2026-01-01T00:00:00Z'], // still True: transition time kept
  ]);
  const before = structuredClone(s);
  setCondition(s, cond('Available', 'True', 'MinimumReplicasAvailable', '2026-01-01T00:09:00Z'));
  t.same(s, before, 'same status and reason: untouched');
  replaceCondition(s, cond('ReplicaFailure', 'True', 'FailedCreate'));
  t.same(s.conditions!.map((c) => c.type), ['Available', 'Progressing', 'ReplicaFailure'], 'a new type goes to its place');
  const fresh: DeploymentStatus = { conditions: [cond('Progressing', 'True', 'NewReplicaSetCreated')] };
  setCondition(fresh, cond('Available', 'False', 'MinimumReplicasUnavailable'));
  t.same(fresh.conditions!.map((c) => c.type), ['Available', 'Progressing'], 'Available goes before Progressing, as a settled real Deployment shows them');
});

const deployment = (image: string): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
});

t.test('through a rollout the condition order never changes, and a settled deployment writes nothing', async (t) => {
  const c = await cluster();
  t.teardown(() => c.stop());
  await c.apply({ op: 'create', res: DEPLOY, object: deployment('nginx:1.26') });
  const d = structuredClone(c.get<KObject>(DEPLOY, 'web'));
  (d.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0].image = 'nginx:1.27';
  await c.apply({ op: 'update', res: DEPLOY, object: d });

  const history = await c.store.history(DEPLOY, 'default', 'web');
  const orders = history.map((e) => ((e.object.status as DeploymentStatus | undefined)?.conditions ?? []).map((x) => x.type).join(','));
  t.ok(history.length > 4, 'the rollout wrote the deployment several times');
  t.same([...new Set(orders.filter((o) => o.includes(',')))], ['Available,Progressing'], 'one order in every write');
  const settled = c.get<KObject>(DEPLOY, 'web');
  t.match(settled.status, { updatedReplicas: 3, availableReplicas: 3, conditions: [{ type: 'Available', status: 'True' }, { type: 'Progressing', reason: 'NewReplicaSetAvailable' }] });
  t.same(reconcileDeployment('default/web', { view: c.store, now: c.clock.now() + 3_600_000 }).writes, [], 'a resync an hour later has nothing to write');
});
