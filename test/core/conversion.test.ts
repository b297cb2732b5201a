import t from 'tap';
import { fromStorage, toStorage } from '../../core/conversion.ts';
import type { KObject } from '../../core/object.ts';

const hpaV2: KObject = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } },
      { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } },
    ],
    behavior: { scaleDown: { stabilizationWindowSeconds: 60 } },
  },
  status: {
    currentReplicas: 2,
    desiredReplicas: 2,
    currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 30, averageValue: '30m' } } }],
    conditions: [{ type: 'AbleToScale', status: 'True' }],
  },
};

t.test('HPA autoscaling/v2 → v1 shows the CPU target and keeps the rest in annotations', async (t) => {
  const v1 = fromStorage('autoscaling', 'v1', hpaV2);
  t.equal(v1.apiVersion, 'autoscaling/v1');
  t.same(v1.spec, { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, targetCPUUtilizationPercentage: 50 });
  t.same(v1.status, { currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 30 });
  t.same(Object.keys(v1.metadata.annotations ?? {}).sort(), [
    'autoscaling.alpha.kubernetes.io/behavior',
    'autoscaling.alpha.kubernetes.io/conditions',
    'autoscaling.alpha.kubernetes.io/metrics',
  ]);
  t.same(hpaV2.spec && (hpaV2.spec as { metrics: unknown[] }).metrics.length, 2, 'the stored object is not modified');
});

t.test('HPA v2 → v1 → v2 round trip is lossless (except the cpu current value v1 cannot carry)', async (t) => {
  const back = toStorage({ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' }, fromStorage('autoscaling', 'v1', hpaV2));
  const want = structuredClone(hpaV2);
  (want.status as { currentMetrics: unknown }).currentMetrics = [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 30 } } }];
  t.same(back, want);
});

t.test('HPA v1 → v2 from a kubectl autoscale style object', async (t) => {
  const v1: KObject = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, targetCPUUtilizationPercentage: 70 },
  };
  t.same(toStorage({ group: 'autoscaling', version: 'v1', kind: 'HorizontalPodAutoscaler' }, v1), {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      scaleTargetRef: { kind: 'Deployment', name: 'web' },
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    },
  });
  t.equal(fromStorage('autoscaling', 'v2', hpaV2), hpaV2, 'v2 readers get the stored object');
});

const coreEvent: KObject = {
  apiVersion: 'v1',
  kind: 'Event',
  metadata: { name: 'web.1', namespace: 'default' },
  involvedObject: { kind: 'Pod', name: 'web', namespace: 'default' },
  reason: 'Scheduled',
  message: 'Successfully assigned default/web to node-1',
  source: { component: 'default-scheduler' },
  count: 1,
  firstTimestamp: '2026-01-01T00:00:00Z',
  lastTimestamp: '2026-01-01T00:00:00Z',
  type: 'Normal',
  reportingComponent: 'default-scheduler',
  reportingInstance: 'default-scheduler-1',
  eventTime: null,
};

t.test('Event v1 ⇄ events.k8s.io/v1', async (t) => {
  const ev = fromStorage('events.k8s.io', 'v1', coreEvent);
  t.same(ev, {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: { name: 'web.1', namespace: 'default' },
    regarding: { kind: 'Pod', name: 'web', namespace: 'default' },
    reason: 'Scheduled',
    note: 'Successfully assigned default/web to node-1',
    deprecatedSource: { component: 'default-scheduler' },
    deprecatedCount: 1,
    deprecatedFirstTimestamp: '2026-01-01T00:00:00Z',
    deprecatedLastTimestamp: '2026-01-01T00:00:00Z',
    type: 'Normal',
    reportingController: 'default-scheduler',
    reportingInstance: 'default-scheduler-1',
    eventTime: null,
  });
  t.same(toStorage({ group: 'events.k8s.io', version: 'v1', kind: 'Event' }, ev), coreEvent, 'round trip');
  t.equal(fromStorage('', 'v1', coreEvent), coreEvent, 'core readers get the stored object');
});

t.test('other kinds convert by identity', async (t) => {
  const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } };
  t.equal(toStorage({ group: '', version: 'v1', kind: 'Pod' }, pod), pod);
  t.equal(fromStorage('', 'v1', pod), pod);
});
