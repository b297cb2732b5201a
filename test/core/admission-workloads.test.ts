// Admission of pod-owning kinds: selectors and templates, workload defaults, update rules, Jobs and CronJobs.
import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { causes, deploy, meta, ok, template } from './admission-helpers.ts';

t.test('workload validation', async (t) => {
  // [resource, object, causes]
  const rows: [string, unknown, string[]][] = [
    ['apps/v1/deployments', deploy({ template }), [
      'spec.selector|FieldValueRequired|Required value',
      'spec.template.metadata.labels|FieldValueInvalid|Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]], // no selector
    ['apps/v1/deployments', deploy({ selector: { matchLabels: { app: 'db' } }, template }), [
      'spec.template.metadata.labels|FieldValueInvalid|Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]], // selector does not select the template
    ['apps/v1/deployments', deploy({ selector: {}, template }), ['spec.selector|FieldValueInvalid|Invalid value: {}: empty selector is invalid for deployment']], // empty selector
    ['apps/v1/deployments', deploy({ replicas: -1, selector: { matchLabels: { app: 'web' } }, template }), ['spec.replicas|FieldValueInvalid|Invalid value: -1: must be greater than or equal to 0']], // negative replicas
    ['apps/v1/deployments', deploy({ selector: { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] }, template }), [
      'spec.selector.matchExpressions[0].operator|FieldValueNotSupported|Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist"',
      'spec.template.metadata.labels|FieldValueInvalid|Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]], // bad operator
    ['apps/v1/deployments', deploy({ selector: { matchLabels: { app: 'web' } }, template: { ...template, spec: { ...template.spec, restartPolicy: 'Never' } } }), [
      'spec.template.spec.restartPolicy|FieldValueNotSupported|Unsupported value: "Never": supported values: "Always"',
    ]], // workloads restart always
    ['apps/v1/deployments', deploy({ selector: { matchLabels: { app: 'web' } }, template: { ...template, spec: { containers: [{ name: 'c' }] } } }), ['spec.template.spec.containers[0].image|FieldValueRequired|Required value']], // template pod spec
    ['apps/v1/deployments', deploy({ selector: { matchLabels: { app: 'web' } }, template, strategy: { type: 'Recreate', rollingUpdate: {} } }), [
      "spec.strategy.rollingUpdate|FieldValueForbidden|Forbidden: may not be specified when strategy `type` is 'Recreate'",
    ]], // recreate with rolling params
    ['apps/v1/deployments', deploy({ selector: { matchLabels: { app: 'web' } }, template, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } } }), [
      'spec.strategy.rollingUpdate.maxUnavailable|FieldValueInvalid|Invalid value: 0: may not be 0 when `maxSurge` is 0',
    ]], // rollout that cannot progress
    ['apps/v1/deployments', deploy({ selector: { matchLabels: { app: 'web' } }, template, strategy: { rollingUpdate: { maxUnavailable: '120%' } } }), [
      'spec.strategy.rollingUpdate.maxUnavailable|FieldValueInvalid|Invalid value: "120%": must not be greater than 100%',
    ]], // over 100%
    ['apps/v1/replicasets', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('rs'), spec: { selector: { matchLabels: { app: 'web' } }, template } }, []], // valid replicaset
    ['apps/v1/statefulsets', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('db'), spec: { selector: { matchLabels: { app: 'web' } }, template, podManagementPolicy: 'Random' } }, [
      `spec.podManagementPolicy|FieldValueInvalid|Invalid value: "Random": must be 'OrderedReady' or 'Parallel'`,
    ]], // statefulset policy
    ['v1/replicationcontrollers', { apiVersion: 'v1', kind: 'ReplicationController', metadata: meta('rc'), spec: { selector: { app: 'db' }, template } }, [
      'spec.template.metadata.labels|FieldValueInvalid|Invalid value: {"app":"web"}: `selector` does not match template `labels`',
    ]], // rc selector mismatch
  ];
  for (const [res, obj, want] of rows) t.same(causes(res, obj), want, `${res} ${JSON.stringify((obj as KObject).spec).slice(0, 60)}`);
});

t.test('workload defaults', async (t) => {
  const rc = ok('v1/replicationcontrollers', { apiVersion: 'v1', kind: 'ReplicationController', metadata: meta('rc'), spec: { template } });
  t.same([rc.metadata.labels, (rc.spec as any).selector, (rc.spec as any).replicas], [{ app: 'web' }, { app: 'web' }, 1], 'RC selector and labels from the template');
  const ds = ok('apps/v1/daemonsets', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('ds'), spec: { selector: { matchLabels: { app: 'web' } }, template } });
  t.same([(ds.spec as any).updateStrategy, (ds.spec as any).revisionHistoryLimit], [{ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, 10]);
  const claim = { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } };
  const sts = ok('apps/v1/statefulsets', {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta('db'),
    spec: { serviceName: 'db', selector: { matchLabels: { app: 'web' } }, template, volumeClaimTemplates: [claim] },
  });
  const s = sts.spec as any;
  t.same(s.volumeClaimTemplates, [{ apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...claim, spec: { ...claim.spec, volumeMode: 'Filesystem' }, status: { phase: 'Pending' } }], 'claim templates are defaulted claims');
  t.same([s.replicas, s.podManagementPolicy, s.updateStrategy, s.persistentVolumeClaimRetentionPolicy, s.revisionHistoryLimit], [
    1,
    'OrderedReady',
    { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    { whenDeleted: 'Retain', whenScaled: 'Retain' },
    10,
  ]);
  const recreate = ok('apps/v1/deployments', deploy({ selector: { matchLabels: { app: 'web' } }, template, strategy: { type: 'Recreate' } }));
  t.same((recreate.spec as any).strategy, { type: 'Recreate' }, 'Recreate gets no rolling parameters');
});

t.test('workload updates', async (t) => {
  const d = ok('apps/v1/deployments', deploy({ selector: { matchLabels: { app: 'web' } }, template }));
  const moved = structuredClone(d);
  (moved.spec as any).selector = { matchLabels: { app: 'web', tier: 'x' } };
  (moved.spec as any).template.metadata.labels.tier = 'x';
  t.same(causes('apps/v1/deployments', moved, 'update', d), ['spec.selector|FieldValueInvalid|Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable']);
  const scaled = structuredClone(d);
  (scaled.spec as any).replicas = 5;
  t.same(causes('apps/v1/deployments', scaled, 'update', d), [], 'scaling is fine');
  const sts = ok('apps/v1/statefulsets', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('db'), spec: { serviceName: 'db', selector: { matchLabels: { app: 'web' } }, template } });
  const renamed = structuredClone(sts);
  (renamed.spec as any).serviceName = 'other';
  t.same(causes('apps/v1/statefulsets', renamed, 'update', sts), [
    "spec|FieldValueForbidden|Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
});

t.test('jobs: defaults, generated selector and restart policy', async (t) => {
  const job = ok('batch/v1/jobs', {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'U' },
    spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'pi', image: 'perl:5.34' }] } } },
  });
  const labels = { 'batch.kubernetes.io/controller-uid': 'U', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'U', 'job-name': 'pi' };
  const spec = job.spec as any;
  t.same(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'U' } });
  t.same(spec.template.metadata.labels, labels);
  t.same(job.metadata.labels, labels, 'the job carries its template labels');
  t.same([spec.completions, spec.parallelism, spec.backoffLimit, spec.completionMode, spec.suspend, spec.podReplacementPolicy], [1, 1, 6, 'NonIndexed', false, 'TerminatingOrFailed']);
  t.same(
    causes('batch/v1/jobs', { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('pi'), spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } } }),
    ['spec.template.spec.restartPolicy|FieldValueRequired|Required value: valid values: "OnFailure", "Never"'],
  );
  const sometimes = { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('pi'), spec: { template: { spec: { restartPolicy: 'Sometimes', containers: [{ name: 'pi', image: 'perl' }] } } } };
  t.same(causes('batch/v1/jobs', sometimes), [
    'spec.template.spec.restartPolicy|FieldValueNotSupported|Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.template.spec.restartPolicy|FieldValueNotSupported|Unsupported value: "Sometimes": supported values: "OnFailure", "Never"',
  ], 'the pod rule and the job rule both report');
  const changed = structuredClone(job);
  (changed.spec as any).completions = 3;
  t.same(causes('batch/v1/jobs', changed, 'update', job), ['spec.completions|FieldValueInvalid|Invalid value: 3: field is immutable']);
  const cron = ok('batch/v1/cronjobs', {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta('hello'),
    spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } },
  });
  const c = cron.spec as any;
  t.same([c.concurrencyPolicy, c.suspend, c.successfulJobsHistoryLimit, c.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
  t.same(causes('batch/v1/cronjobs', { ...cron, spec: { ...c, schedule: '' } }), ['spec.schedule|FieldValueRequired|Required value']);
});
