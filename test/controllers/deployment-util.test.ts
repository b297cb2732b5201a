// Rollout arithmetic, table-driven (deployment_util_test.go style): one row per case, one comment each.
import t from 'tap';
import {
  maxSurge,
  maxUnavailable,
  newRSNewReplicas,
  proportion,
  resolveFenceposts,
  scaledValue,
  type Deployment,
  type IntOrPercent,
  type ReplicaSet,
} from '../../controllers/deployment/util.ts';

function deployment(replicas: number, surge?: IntOrPercent, unavailable?: IntOrPercent, type = 'RollingUpdate'): Deployment {
  const rollingUpdate: Record<string, IntOrPercent> = {};
  if (surge !== undefined) rollingUpdate.maxSurge = surge;
  if (unavailable !== undefined) rollingUpdate.maxUnavailable = unavailable;
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas, strategy: { type, rollingUpdate } } };
}

const rs = (replicas: number, maxReplicas?: number): ReplicaSet => ({
  apiVersion: 'apps/v1',
  kind: 'ReplicaSet',
  metadata: { name: `rs-${replicas}`, ...(maxReplicas ? { annotations: { 'deployment.kubernetes.io/max-replicas': String(maxReplicas) } } : {}) },
  spec: { replicas },
});

t.test('scaledValue', async (t) => {
  const rows: [IntOrPercent, number, boolean, number, string][] = [
    [3, 10, true, 3, 'a number is taken as is'],
    ['25%', 10, true, 3, '2.5 rounds up for surge'],
    ['25%', 10, false, 2, '2.5 rounds down for unavailable'],
    ['100%', 7, false, 7, 'all of them'],
    ['0%', 7, true, 0, 'none'],
    ['5', 10, true, 5, 'a numeric string is a number'],
  ];
  for (const [v, total, up, want, why] of rows) t.equal(scaledValue(v, total, up), want, why);
  t.throws(() => scaledValue('lots', 10, true), /must be an integer or percentage/);
});

t.test('resolveFenceposts, maxSurge, maxUnavailable', async (t) => {
  const rows: [Deployment, number, number, string][] = [
    [deployment(10), 3, 2, 'defaults 25%/25% of 10: surge ceil 2.5, unavailable floor 2.5'],
    [deployment(3), 1, 0, 'defaults of 3: ceil 0.75 = 1, floor 0.75 = 0'],
    [deployment(1), 1, 0, 'one replica: surge one at a time'],
    [deployment(10, 0, 0), 0, 1, 'both zero would deadlock: unavailable becomes 1'],
    [deployment(10, '0%', '0%'), 0, 1, 'both zero as percentages too'],
    [deployment(5, 2, 10), 2, 5, 'unavailable is capped at replicas'],
    [deployment(4, '50%', '50%'), 2, 2, 'half and half'],
    [deployment(10, 3, 2, 'Recreate'), 0, 0, 'Recreate has neither'],
    [deployment(0, 3, 2), 3, 0, 'zero replicas: nothing may be unavailable'],
  ];
  for (const [d, surge, unavailable, why] of rows) t.same([maxSurge(d), maxUnavailable(d)], [surge, unavailable], why);
  t.same(resolveFenceposts(deployment(10, '10%', '10%')), { surge: 1, unavailable: 1 }, 'exactly 1 each');
});

t.test('newRSNewReplicas', async (t) => {
  const rows: [Deployment, number[], number, number, string][] = [
    [deployment(10, 3, 2), [10], 0, 3, 'first step of a rollout: up to the surge'],
    [deployment(10, 3, 2), [7], 3, 6, 'old scaled down to 7: new may reach 13 - 7'],
    [deployment(10, 3, 2), [10], 3, 3, 'already at replicas + surge: stay'],
    [deployment(10, 30, 2), [10], 0, 10, 'never beyond replicas'],
    [deployment(10, 3, 2, 'Recreate'), [10], 0, 10, 'Recreate: all at once'],
  ];
  for (const [d, olds, current, want, why] of rows) {
    const newRS = rs(current);
    t.equal(newRSNewReplicas(d, [...olds.map((n) => rs(n)), newRS], newRS), want, why);
  }
});

t.test('proportion (proportional scaling in mid-rollout)', async (t) => {
  // Worked example of util.proportion: 10 → 15 replicas (maxSurge 3 → 18 allowed), old 8, new 5,
  // both annotated max-replicas 13; 18 - 13 = 5 to add.
  const d = deployment(15, 3, 2);
  const rows: [ReplicaSet, number, number, number, string][] = [
    [rs(8, 13), 5, 0, 3, 'old: round(8·18/13) − 8 = 3'],
    [rs(5, 13), 5, 3, 2, 'new: round(5·18/13) − 5 = 2, within the 2 left'],
    [rs(5, 13), 5, 4, 1, 'only 1 left to hand out'],
    [rs(0, 13), 5, 0, 0, 'an empty replica set takes no share'],
  ];
  for (const [r, toAdd, added, want, why] of rows) t.equal(proportion(r, d, toAdd, added), want, why);
  t.equal(proportion(rs(8, 13), deployment(5, 3, 2), -5, 0), -3, 'scaling down 10 → 5: round(8·8/13) − 8 = −3');
});
