// The HPA: the replica formula table-driven, the behavior rules, and whole syncs on constructed
// views driven through time (stabilization window, rescale writes, missing requests).

import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { decide, remember, type Recommendations } from '../../controllers/hpa/behavior.ts';
import { reconcileAutoscaler } from '../../controllers/hpa/index.ts';
import { calculateReplicas, type PodSample } from '../../controllers/hpa/replicas.ts';
import { podUsage } from '../../controllers/hpa/usage.ts';
import { renderWrites, viewOf } from '../../controllers/runtime/testing.ts';

const ready = (usage: number, request = 0.2): PodSample => ({ usage, request });
const pending = (request = 0.2): PodSample => ({ request });
const util = (value: number) => ({ type: 'Utilization' as const, value });

t.test('the replica formula', async (t) => {
  const rows: [string, number, PodSample[], ReturnType<typeof util> | { type: 'AverageValue'; value: number }, number][] = [
    ['100% of request vs 50% target doubles', 2, [ready(0.18), ready(0.22)], util(50), 4], // ratio 2.0 → ceil(2 × 2)
    ['54% vs 50%: within the 0.1 tolerance', 2, [ready(0.108), ready(0.108)], util(50), 2], // ratio 1.08
    ['56% vs 50%: just outside', 2, [ready(0.112), ready(0.112)], util(50), 3], // ratio 1.12 → ceil(2.24)
    ['idle: scale down', 4, [ready(0.01), ready(0.01), ready(0.01), ready(0.01)], util(50), 1], // ratio 0.1 → ceil(0.4)
    ['80% vs 50% on one pod', 1, [ready(0.16)], util(50), 2], // ratio 1.6 → ceil(1.6)
    ['pending pods count at zero when scaling up', 1, [ready(0.16), pending(), pending()], util(50), 1], // 160m/600m = 27% → no longer above target
    ['pending pods do not stop a real overload', 1, [ready(0.6), pending()], util(50), 6], // counted in: 600m/400m = 150%, ratio 3 → ceil(3 × 2)
    ['AverageValue 100m target, 300m per pod', 2, [ready(0.3), ready(0.3)], { type: 'AverageValue', value: 0.1 }, 6], // ratio 3 → 6
    ['no pod has metrics: unchanged', 3, [pending(), pending()], util(50), 3],
  ];
  for (const [name, current, pods, target, want] of rows) t.equal(calculateReplicas(current, pods, target).replicas, want, name);
});

t.test('stabilization and policies', async (t) => {
  const min = 1;
  const max = 10;
  const rows: [string, Recommendations, number, number, number][] = [
    // [history, now, current, expected]
    ['scale up at once (no up window)', [[0, 2], [15_000, 6]], 15_000, 2, 6],
    ['up limited to +4 pods or +100%: max 4 → 8 from 4', [[0, 4], [15_000, 10]], 15_000, 4, 8],
    ['down held by a higher recommendation 200 s ago', [[0, 5], [200_000, 1]], 210_000, 5, 5],
    ['down after the 300 s window', [[0, 5], [200_000, 1]], 501_000, 5, 1],
    ['down to the highest of the window', [[0, 5], [100_000, 3], [200_000, 1]], 450_000, 5, 3], // 5 ended at 100 s, before the window
    ['maxReplicas caps', [[0, 20]], 0, 4, 8], // policy first (+4/+100% → 8), then max 10
  ];
  for (const [name, history, now, current, want] of rows) t.equal(decide(history, now, current, min, max, undefined).replicas, want, name);
  t.same(remember([[0, 3]], 15_000, 3, 300_000), [[0, 3]], 'a steady recommendation adds nothing');
  t.same(remember([[0, 3], [10, 4]], 400_000, 2, 300_000), [[10, 4], [400_000, 2]], 'entries no window can see are dropped');
});

const deployment = (replicas: number, annotations?: Record<string, string>): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-web', ...(annotations ? { annotations } : {}) },
  spec: { replicas, selector: { matchLabels: { app: 'web' } } },
});

const pod = (i: number, cpu: string | undefined, requests: Record<string, string> | null = { cpu: '200m' }): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: `web-${i}`, namespace: 'default', uid: `uid-${i}`, labels: { app: 'web' }, ...(cpu ? { annotations: { 'sim.rewind.dev/cpu': cpu } } : {}) },
  spec: { containers: [{ name: 'nginx', image: 'nginx', ...(requests ? { resources: { requests } } : {}) }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
});

const hpa = (behavior?: unknown, status?: unknown, annotations?: Record<string, string>): KObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-hpa', ...(annotations ? { annotations } : {}) },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    ...(behavior ? { behavior } : {}),
  },
  ...(status ? { status } : {}),
});

/** One sync: the rendered writes, and the HPA and deployment as they become. */
function sync(objects: KObject[], now: number) {
  const view = viewOf(objects);
  const result = reconcileAutoscaler('default/web', { view, now });
  const writes = renderWrites(result.writes, view);
  const after = (res: string) => writes.find((w) => w.res === res && w.op === 'patch')?.object;
  return { result, writes, hpa: after('autoscaling/v2/horizontalpodautoscalers'), deployment: after('apps/v1/deployments'), events: writes.filter((w) => w.res === 'v1/events').map((w) => w.object!) };
}

t.test('a sync under load scales the deployment and says why', async (t) => {
  const s = sync([hpa(), deployment(1), pod(0, '160m')], 0);
  t.equal(s.result.requeueAfter, 15_000);
  t.equal((s.deployment!.spec as { replicas: number }).replicas, 2);
  t.same(
    s.events.map((e) => [e.reason, e.message]),
    [['SuccessfulRescale', 'New size: 2; reason: cpu resource utilization (percentage of request) above target']],
  );
  const status = s.hpa!.status as Record<string, any>;
  t.same(status.currentMetrics, [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 80, averageValue: '160m' } } }]);
  t.equal(status.desiredReplicas, 2);
  t.equal(status.lastScaleTime, '1970-01-01T00:00:00Z');
  t.same(
    status.conditions.map((c: any) => [c.type, c.status, c.reason]),
    [
      ['AbleToScale', 'True', 'SucceededRescale'],
      ['ScalingActive', 'True', 'ValidMetricFound'],
      ['ScalingLimited', 'False', 'DesiredWithinRange'],
    ],
  );
});

t.test('the stabilization window holds a scale-down, on the clock', async (t) => {
  const window = { scaleDown: { stabilizationWindowSeconds: 60 } };
  let current = hpa(window);
  let replicas = 4;
  const seen: [number, number][] = [];
  // A load of 640m shared by the pods until 30 s, then idle; a sync every 15 s.
  for (let now = 0; now <= 120_000; now += 15_000) {
    const cpu = now <= 30_000 ? `${Math.round(640 / replicas)}m` : '10m';
    const pods = Array.from({ length: replicas }, (_, i) => pod(i, cpu));
    const s = sync([current, deployment(replicas), ...pods], now);
    if (s.hpa) current = s.hpa;
    if (s.deployment) replicas = (s.deployment.spec as { replicas: number }).replicas;
    seen.push([now / 1000, replicas]);
  }
  // 4 pods at 80% → ceil(1.6 × 4) = 7 at 0 s; then 91m each (45%, within tolerance) holds 7; idle
  // from 45 s recommends 1, but 7 — recommended until 45 s — stays inside the 60 s window until
  // 105 s, when the deployment drops to 1.
  t.same(seen, [[0, 7], [15, 7], [30, 7], [45, 7], [60, 7], [75, 7], [90, 7], [105, 1], [120, 1]]);
});

t.test('pods without requests: the FailedGetResourceMetric condition, no scaling', async (t) => {
  const s = sync([hpa(), deployment(1), pod(0, '160m', null)], 0);
  t.equal(s.deployment, undefined);
  const message = 'failed to get cpu utilization: missing request for cpu in container nginx of Pod web-0';
  t.same(s.events.map((e) => [e.type, e.reason, e.message]), [['Warning', 'FailedGetResourceMetric', message]]);
  const active = (s.hpa!.status as any).conditions.find((c: any) => c.type === 'ScalingActive');
  t.same([active.status, active.reason, active.message], ['False', 'FailedGetResourceMetric', `the HPA was unable to compute the replica count: ${message}`]);
});

t.test('the load model: a deployment-wide load is shared by its running pods', async (t) => {
  const rs: KObject = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'web-1', namespace: 'default', uid: 'uid-rs', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-web', controller: true }] },
    spec: {},
  };
  const owned = (i: number) => ({ ...pod(i, undefined), metadata: { ...pod(i, undefined).metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-1', uid: 'uid-rs', controller: true }] } });
  const view = viewOf([deployment(2, { 'sim.rewind.dev/load-cpu': '400m' }), rs, owned(0), owned(1)]);
  t.equal(podUsage(owned(0), view)!.cpu, 0.2);
  t.equal(podUsage(pod(9, '250m'), view)!.cpu, 0.25, 'a pod annotation is its own usage');
  t.equal(podUsage(pod(8, undefined), view)!.cpu, 0.001, 'otherwise idle');
});
