// Server-side tables: column definitions and cells as kube-apiserver's printers produce them.
import t from 'tap';
import { toTable } from '../../api/table.ts';
import type { KObject } from '../../core/object.ts';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const CREATED = '2026-01-01T11:54:48Z'; // 5m12s before NOW
const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', creationTimestamp: CREATED, ...extra });

type Table = { kind: string; apiVersion: string; metadata: Record<string, unknown>; columnDefinitions: { name: string; type: string; format: string; priority: number }[]; rows: { cells: unknown[]; object?: any; conditions?: unknown[] }[] };
const table = (res: string, objects: KObject[], extra: Record<string, unknown> = {}) => toTable(res, objects, { now: NOW, resourceVersion: '42', ...extra }) as Table;
const cells = (res: string, obj: KObject) => table(res, [obj]).rows[0].cells;

const pod = (status: Record<string, unknown>, spec: Record<string, unknown> = {}, metaExtra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: meta('web-1', metaExtra),
  spec: { containers: [{ name: 'c', image: 'nginx' }], ...spec }, status,
});
const running = { running: { startedAt: CREATED } };

t.test('pod columns: names, types, priorities, Name format', async (t) => {
  const cols = table('v1/pods', []).columnDefinitions;
  t.same(cols.map((c) => [c.name, c.type, c.format, c.priority]), [
    ['Name', 'string', 'name', 0], ['Ready', 'string', '', 0], ['Status', 'string', '', 0], ['Restarts', 'string', '', 0], ['Age', 'string', '', 0],
    ['IP', 'string', '', 1], ['Node', 'string', '', 1], ['Nominated Node', 'string', '', 1], ['Readiness Gates', 'string', '', 1],
  ]);
});

t.test('pod cells in each phase', async (t) => {
  const rows: [string, KObject, unknown[]][] = [
    ['pending, unscheduled', pod({ phase: 'Pending' }), ['web-1', '0/1', 'Pending', '0', '5m12s', '<none>', '<none>', '<none>', '<none>']],
    ['container creating', pod({ phase: 'Pending', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } }] }, { nodeName: 'node-1' }),
      ['web-1', '0/1', 'ContainerCreating', '0', '5m12s', '<none>', 'node-1', '<none>', '<none>']],
    ['running and ready', pod({ phase: 'Running', podIPs: [{ ip: '10.244.1.5' }], podIP: '10.244.1.5', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: running }] }, { nodeName: 'node-1' }),
      ['web-1', '1/1', 'Running', '0', '5m12s', '10.244.1.5', 'node-1', '<none>', '<none>']],
    ['crash looping, restarted 45s ago', pod({ phase: 'Running', containerStatuses: [{ name: 'c', ready: false, restartCount: 3, state: { waiting: { reason: 'CrashLoopBackOff' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-01-01T11:59:15Z' } } }] }),
      ['web-1', '0/1', 'CrashLoopBackOff', '3 (45s ago)', '5m12s', '<none>', '<none>', '<none>', '<none>']],
    ['completed', pod({ phase: 'Succeeded', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] }),
      ['web-1', '0/1', 'Completed', '0', '5m12s', '<none>', '<none>', '<none>', '<none>']],
    ['terminated without a reason', pod({ phase: 'Failed', containerStatuses: [{ name: 'c', restartCount: 0, state: { terminated: { exitCode: 137 } } }] }),
      ['web-1', '0/1', 'ExitCode:137', '0', '5m12s', '<none>', '<none>', '<none>', '<none>']],
    ['being deleted', pod({ phase: 'Running', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: running }] }, {}, { deletionTimestamp: '2026-01-01T11:59:59Z' }),
      ['web-1', '1/1', 'Terminating', '0', '5m12s', '<none>', '<none>', '<none>', '<none>']],
    ['evicted (status.reason wins)', pod({ phase: 'Failed', reason: 'Evicted' }), ['web-1', '0/1', 'Evicted', '0', '5m12s', '<none>', '<none>', '<none>', '<none>']],
    ['waiting on an init container', pod({ phase: 'Pending', initContainerStatuses: [{ name: 'init', restartCount: 0, state: { running: {} } }] }, { initContainers: [{ name: 'init', image: 'busybox' }] }),
      ['web-1', '0/1', 'Init:0/1', '0', '5m12s', '<none>', '<none>', '<none>', '<none>']],
    ['a readiness gate', pod({ phase: 'Running', conditions: [{ type: 'example.com/ready', status: 'True' }], containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: running }] }, { readinessGates: [{ conditionType: 'example.com/ready' }, { conditionType: 'other' }] }),
      ['web-1', '1/1', 'Running', '0', '5m12s', '<none>', '<none>', '<none>', '1/2']],
  ];
  for (const [what, p, want] of rows) t.same(cells('v1/pods', p), want, what);
  t.same(table('v1/pods', [rows[4][1]]).rows[0].conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
});

const deploy = (replicas: number, status: Record<string, unknown>): KObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web'),
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }, { name: 'log', image: 'busybox' }] } } },
  status,
});

t.test('deployments mid-rollout and settled', async (t) => {
  t.same(table('apps/v1/deployments', []).columnDefinitions.map((c) => c.name), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
  t.same(cells('apps/v1/deployments', deploy(3, { replicas: 4, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3 })),
    ['web', '3/3', 1, 3, '5m12s', 'nginx,log', 'nginx:1.26,busybox', 'app=web']);
  t.same(cells('apps/v1/deployments', deploy(2, {})), ['web', '0/2', 0, 0, '5m12s', 'nginx,log', 'nginx:1.26,busybox', 'app=web']);
});

t.test('replicasets and replication controllers', async (t) => {
  const rs: KObject = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: meta('web-5d4f'), spec: { replicas: 3, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f' } }, template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } }, status: { replicas: 3, readyReplicas: 2 } };
  t.same(cells('apps/v1/replicasets', rs), ['web-5d4f', 3, 3, 2, '5m12s', 'c', 'nginx', 'app=web,pod-template-hash=5d4f']);
  const rc: KObject = { apiVersion: 'v1', kind: 'ReplicationController', metadata: meta('kubia'), spec: { replicas: 3, selector: { app: 'kubia' }, template: { spec: { containers: [{ name: 'kubia', image: 'luksa/kubia' }] } } }, status: { replicas: 3, readyReplicas: 3 } };
  t.same(cells('v1/replicationcontrollers', rc), ['kubia', 3, 3, 3, '5m12s', 'kubia', 'luksa/kubia', 'app=kubia']);
});

t.test('daemonsets, statefulsets, jobs, cronjobs, hpa, controllerrevisions', async (t) => {
  const ds: KObject = { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: meta('agent'), spec: { selector: { matchLabels: { app: 'agent' } }, template: { spec: { nodeSelector: { disk: 'ssd' }, containers: [{ name: 'a', image: 'agent:1' }] } } }, status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 } };
  t.same(cells('apps/v1/daemonsets', ds), ['agent', 3, 3, 2, 3, 2, 'disk=ssd', '5m12s', 'a', 'agent:1', 'app=agent']);
  const sts: KObject = { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('db'), spec: { replicas: 3, template: { spec: { containers: [{ name: 'pg', image: 'postgres' }] } } }, status: { readyReplicas: 1 } };
  t.same(cells('apps/v1/statefulsets', sts), ['db', '1/3', '5m12s', 'pg', 'postgres']);
  const job: KObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: meta('pi'), spec: { completions: 1, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } }, template: { spec: { containers: [{ name: 'pi', image: 'perl' }] } } },
    status: { succeeded: 1, startTime: '2026-01-01T11:55:00Z', completionTime: '2026-01-01T11:55:30Z', conditions: [{ type: 'Complete', status: 'True' }] } };
  t.same(cells('batch/v1/jobs', job), ['pi', 'Complete', '1/1', '30s', '5m12s', 'pi', 'perl', 'batch.kubernetes.io/controller-uid=u1']);
  const runningJob: KObject = { ...job, spec: { parallelism: 3, template: job.spec && (job.spec as any).template }, status: { startTime: '2026-01-01T11:58:00Z' } };
  t.same(cells('batch/v1/jobs', runningJob).slice(1, 4), ['Running', '0/1 of 3', '2m']);
  const cj: KObject = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: meta('hello'), spec: { schedule: '*/1 * * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'h', image: 'busybox' }] } } } } }, status: { active: [{ name: 'hello-1' }], lastScheduleTime: '2026-01-01T11:59:00Z' } };
  t.same(cells('batch/v1/cronjobs', cj), ['hello', '*/1 * * * *', '<none>', '<unset>', 1, '60s', '5m12s', 'h', 'busybox', '']);
  const hpa = (current?: number): KObject => ({ apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('web'),
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 1, maxReplicas: 10, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }] },
    status: { currentReplicas: 2, ...(current === undefined ? {} : { currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: current } } }] }) } });
  t.same(cells('autoscaling/v2/horizontalpodautoscalers', hpa(50)), ['web', 'Deployment/web', 'cpu: 50%/80%', '1', 10, 2, '5m12s']);
  t.same(cells('autoscaling/v2/horizontalpodautoscalers', hpa())[2], 'cpu: <unknown>/80%');
  const many: KObject = { ...hpa(), spec: { ...(hpa().spec as object), metrics: [
    { type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '100' } } },
    { type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } },
    { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '500Mi' } } },
  ] } };
  t.same(cells('autoscaling/v2/horizontalpodautoscalers', many)[2], '<unknown>/100, <unknown>/30 + 1 more...', 'two metrics, then a count');
  const cr: KObject = { apiVersion: 'apps/v1', kind: 'ControllerRevision', metadata: meta('db-7b9', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] }), revision: 2 };
  t.same(cells('apps/v1/controllerrevisions', cr), ['db-7b9', 'statefulset.apps/db', 2, '5m12s']);
});

t.test('services of each type', async (t) => {
  const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KObject => ({ apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec, status });
  const rows: [string, KObject, unknown[]][] = [
    ['ClusterIP', svc({ type: 'ClusterIP', clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ports: [{ port: 80, protocol: 'TCP', targetPort: 8080 }], selector: { app: 'web' } }),
      ['web', 'ClusterIP', '10.96.0.10', '<none>', '80/TCP', '5m12s', 'app=web']],
    ['NodePort', svc({ type: 'NodePort', clusterIP: '10.96.0.11', ports: [{ port: 80, nodePort: 30080, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }] }),
      ['web', 'NodePort', '10.96.0.11', '<none>', '80:30080/TCP,53/UDP', '5m12s', '<none>']],
    ['LoadBalancer pending', svc({ type: 'LoadBalancer', clusterIP: '10.96.0.12', ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }] }),
      ['web', 'LoadBalancer', '10.96.0.12', '<pending>', '80:31000/TCP', '5m12s', '<none>']],
    ['LoadBalancer assigned', svc({ type: 'LoadBalancer', clusterIP: '10.96.0.12', ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }] }, { loadBalancer: { ingress: [{ ip: '203.0.113.7' }] } }),
      ['web', 'LoadBalancer', '10.96.0.12', '203.0.113.7', '80:31000/TCP', '5m12s', '<none>']],
    ['ExternalName', svc({ type: 'ExternalName', externalName: 'db.example.com' }), ['web', 'ExternalName', '<none>', 'db.example.com', '<none>', '5m12s', '<none>']],
    ['headless', svc({ type: 'ClusterIP', clusterIP: 'None', ports: [{ port: 5432, protocol: 'TCP' }] }), ['web', 'ClusterIP', 'None', '<none>', '5432/TCP', '5m12s', '<none>']],
  ];
  for (const [what, s, want] of rows) t.same(cells('v1/services', s), want, what);
});

t.test('endpoints and endpoint slices', async (t) => {
  const addrs = (n: number) => Array.from({ length: n }, (_, i) => ({ ip: `10.0.0.${i + 1}` }));
  const ep = (n: number): KObject => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: meta('web'), subsets: n === 0 ? undefined : [{ addresses: addrs(n), ports: [{ port: 80 }] }] });
  t.same(cells('v1/endpoints', ep(2)), ['web', '10.0.0.1:80,10.0.0.2:80', '5m12s']);
  t.same(cells('v1/endpoints', ep(5))[1], '10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...');
  t.same(cells('v1/endpoints', ep(0))[1], '<none>');
  const slice: KObject = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('web-abc'), addressType: 'IPv4', ports: [{ port: 80 }], endpoints: [{ addresses: ['10.0.0.1'] }, { addresses: ['10.0.0.2'] }] };
  t.same(cells('discovery.k8s.io/v1/endpointslices', slice), ['web-abc', 'IPv4', '80', '10.0.0.1,10.0.0.2', '5m12s']);
  t.same(cells('discovery.k8s.io/v1/endpointslices', { ...slice, ports: [], endpoints: [] }).slice(2, 4), ['<unset>', '<unset>']);
});

t.test('nodes, namespaces, configmaps, secrets, service accounts', async (t) => {
  const node = (labels: Record<string, string>, ready: string, unschedulable = false): KObject => ({
    apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels, creationTimestamp: CREATED }, spec: unschedulable ? { unschedulable: true } : {},
    status: { conditions: [{ type: 'Ready', status: ready }], addresses: [{ type: 'InternalIP', address: '192.168.0.2' }], nodeInfo: { kubeletVersion: 'v1.32.0', osImage: 'Rewind', kernelVersion: '6.1', containerRuntimeVersion: 'rewind://1' } },
  });
  t.same(cells('v1/nodes', node({}, 'True')), ['node-1', 'Ready', '<none>', '5m12s', 'v1.32.0', '192.168.0.2', '<none>', 'Rewind', '6.1', 'rewind://1']);
  t.same(cells('v1/nodes', node({ 'node-role.kubernetes.io/control-plane': '' }, 'False', true)).slice(1, 3), ['NotReady,SchedulingDisabled', 'control-plane']);
  const ns: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev', creationTimestamp: CREATED }, status: { phase: 'Terminating' } };
  t.same(cells('v1/namespaces', ns), ['dev', 'Terminating', '5m12s']);
  t.same(cells('v1/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cfg'), data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } }), ['cfg', 3, '5m12s']);
  t.same(cells('v1/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: meta('s'), type: 'kubernetes.io/tls', data: { 'tls.crt': 'x', 'tls.key': 'y' } }), ['s', 'kubernetes.io/tls', 2, '5m12s']);
  t.same(cells('v1/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('default') }), ['default', 0, '5m12s']);
});

t.test('events', async (t) => {
  const ev: KObject = { apiVersion: 'v1', kind: 'Event', metadata: meta('web-1.17a'), involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'default' }, reason: 'Scheduled', message: 'Successfully assigned default/web-1 to node-1 ', type: 'Normal', source: { component: 'default-scheduler' }, firstTimestamp: '2026-01-01T11:58:00Z', lastTimestamp: '2026-01-01T11:59:00Z', count: 2 };
  t.same(table('v1/events', []).columnDefinitions.map((c) => `${c.name}:${c.priority}`), ['Last Seen:0', 'Type:0', 'Reason:0', 'Object:0', 'Subobject:1', 'Source:1', 'Message:0', 'First Seen:1', 'Count:1', 'Name:1']);
  t.same(cells('v1/events', ev), ['60s', 'Normal', 'Scheduled', 'pod/web-1', '', 'default-scheduler', 'Successfully assigned default/web-1 to node-1', '2m', 2, 'web-1.17a']);
});

t.test('objects served in another version print like their storage form', async (t) => {
  const ev: KObject = { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: meta('e1'), regarding: { kind: 'Deployment', name: 'web' }, note: 'Scaled up', reason: 'ScalingReplicaSet', type: 'Normal', reportingController: 'deployment-controller', deprecatedCount: 3, deprecatedFirstTimestamp: '2026-01-01T11:58:00Z', deprecatedLastTimestamp: '2026-01-01T11:59:00Z' };
  t.same(cells('v1/events', ev), ['60s', 'Normal', 'ScalingReplicaSet', 'deployment/web', '', 'deployment-controller', 'Scaled up', '2m', 3, 'e1']);
  const v1: KObject = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: meta('web'), spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 4, targetCPUUtilizationPercentage: 70 }, status: { currentReplicas: 1, currentCPUUtilizationPercentage: 35 } };
  t.same(cells('autoscaling/v2/horizontalpodautoscalers', v1), ['web', 'Deployment/web', 'cpu: 35%/70%', '<unset>', 4, 1, '5m12s']);
});

t.test('storage, ingress, leases and the default table', async (t) => {
  const pvc: KObject = { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data'), spec: { volumeName: 'pv-1', storageClassName: 'standard', resources: { requests: { storage: '1Gi' } } }, status: { phase: 'Bound', capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'] } };
  t.same(cells('v1/persistentvolumeclaims', pvc), ['data', 'Bound', 'pv-1', '1Gi', 'RWO', 'standard', '<unset>', '5m12s', '<unset>']);
  const pv: KObject = { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv-1', creationTimestamp: CREATED }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce', 'ReadWriteMany'], persistentVolumeReclaimPolicy: 'Retain', claimRef: { namespace: 'default', name: 'data' }, storageClassName: 'standard' }, status: { phase: 'Bound' } };
  t.same(cells('v1/persistentvolumes', pv), ['pv-1', '1Gi', 'RWO,RWX', 'Retain', 'Bound', 'default/data', 'standard', '<unset>', '', '5m12s', '<unset>']);
  const sc: KObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'standard', creationTimestamp: CREATED, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } }, provisioner: 'rancher.io/local-path', volumeBindingMode: 'WaitForFirstConsumer' };
  t.same(cells('storage.k8s.io/v1/storageclasses', sc), ['standard (default)', 'rancher.io/local-path', 'Delete', 'WaitForFirstConsumer', false, '5m12s']);
  const ing: KObject = { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: meta('web'), spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example.com' }, { host: 'b.example.com' }], tls: [{ hosts: ['a.example.com'] }] } };
  t.same(cells('networking.k8s.io/v1/ingresses', ing), ['web', 'nginx', 'a.example.com,b.example.com', '', '80, 443', '5m12s']);
  t.same(cells('coordination.k8s.io/v1/leases', { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: meta('node-1'), spec: { holderIdentity: 'node-1' } }), ['node-1', 'node-1', '5m12s']);
  const role: KObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta('reader') };
  const def = table('rbac.authorization.k8s.io/v1/roles', [role]);
  t.same(def.columnDefinitions.map((c) => [c.name, c.type, c.format]), [['Name', 'string', 'name'], ['Created At', 'date', '']]);
  t.same(def.rows[0].cells, ['reader', CREATED]);
});

t.test('resource quotas and role bindings', async (t) => {
  const q: KObject = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: meta('q'), spec: { hard: { pods: '10', 'limits.cpu': '2', 'requests.cpu': '1' } }, status: { hard: { pods: '10', 'limits.cpu': '2', 'requests.cpu': '1' }, used: { pods: '3', 'requests.cpu': '500m' } } };
  t.same(cells('v1/resourcequotas', q), ['q', '5m12s', 'pods: 3/10, requests.cpu: 500m/1', 'limits.cpu: 0/2']);
  const rb: KObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta('rb'), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
    subjects: [{ kind: 'User', name: 'alice' }, { kind: 'User', name: 'bob' }, { kind: 'Group', name: 'devs' }, { kind: 'ServiceAccount', namespace: 'default', name: 'builder' }] };
  t.same(cells('rbac.authorization.k8s.io/v1/rolebindings', rb), ['rb', 'Role/reader', '5m12s', 'alice, bob', 'devs', 'default/builder']);
});

t.test('network policies and pod templates', async (t) => {
  const np: KObject = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: meta('deny'), spec: { podSelector: { matchLabels: { app: 'db' } } } };
  t.same(cells('networking.k8s.io/v1/networkpolicies', np), ['deny', 'app=db', '5m12s']);
  t.same(cells('networking.k8s.io/v1/networkpolicies', { ...np, spec: { podSelector: {} } })[1], '<none>');
  const pt: KObject = { apiVersion: 'v1', kind: 'PodTemplate', metadata: meta('tpl'), template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'a', image: 'busybox' }] } } };
  t.same(table('v1/podtemplates', [pt]).columnDefinitions.map((c) => `${c.name}:${c.priority}`), ['Name:0', 'Containers:0', 'Images:0', 'Pod Labels:0']);
  t.same(cells('v1/podtemplates', pt), ['tpl', 'a', 'busybox', 'app=x']);
});

t.test('table envelope: metadata, row objects per includeObject', async (t) => {
  const cm: KObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('cfg', { labels: { a: 'b' } }), data: {} };
  const tbl = table('v1/configmaps', [cm], { continue: 'tok', remainingItemCount: 5 });
  t.equal(tbl.kind, 'Table');
  t.equal(tbl.apiVersion, 'meta.k8s.io/v1');
  t.same(tbl.metadata, { resourceVersion: '42', continue: 'tok', remainingItemCount: 5 });
  t.same(tbl.rows[0].object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: cm.metadata });
  t.same(table('v1/configmaps', [cm], { includeObject: 'Object' }).rows[0].object, cm);
  t.notOk('object' in table('v1/configmaps', [cm], { includeObject: 'None' }).rows[0]);
  t.same(table('v1/configmaps', []).rows, []);
});
