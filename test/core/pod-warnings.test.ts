// core/pod-warnings: pkg/api/pod's warnings for the checks it covers, row by row.
import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { podWarnings } from '../../core/pod-warnings.ts';

const pod = (spec: Record<string, unknown>): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec });

const rows: [string, Record<string, unknown>, string[]][] = [
  ['nothing to say', { containers: [{ name: 'c', env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 80 }] }] }, []],
  [
    'a repeated env name hides the first, unless it builds on it',
    { containers: [{ name: 'c', env: [{ name: 'A', value: '1' }, { name: 'A', value: '$(A)' }, { name: 'A', value: '$(A):2' }, { name: 'A', valueFrom: {} }] }] },
    ['spec.containers[0].env[1]: hides previous definition of "A", which may be dropped when using apply', 'spec.containers[0].env[3]: hides previous definition of "A", which may be dropped when using apply'],
  ],
  [
    'one port twice across containers; another protocol is another port',
    { containers: [{ name: 'a', ports: [{ containerPort: 53 }, { containerPort: 53, protocol: 'UDP' }] }, { name: 'b', ports: [{ containerPort: 53, protocol: 'TCP' }] }] },
    ['spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]'],
  ],
  [
    'a host port beside none overlaps',
    { containers: [{ name: 'a', ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 80 }] }] },
    ['spec.containers[0].ports[1]: overlapping port definition with spec.containers[0].ports[0]'],
  ],
  [
    'pull secrets named twice or not at all',
    { imagePullSecrets: [{ name: 'r' }, { name: 'r' }, {}], containers: [] },
    ['spec.imagePullSecrets[1].name: duplicate name "r"', 'spec.imagePullSecrets[2].name: invalid empty name ""'],
  ],
  [
    'memory in fractions of a byte',
    { containers: [{ name: 'c', resources: { limits: { memory: '100m' }, requests: { memory: '64Mi' } } }] },
    ['spec.containers[0].resources.limits[memory]: fractional byte value "100m" is invalid, must be an integer'],
  ],
];

for (const [name, spec, want] of rows) t.same(podWarnings('v1/pods', pod(spec)), want, name);

t.same(
  podWarnings('batch/v1/cronjobs', { apiVersion: 'batch/v1', kind: 'CronJob', metadata: {}, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'X' }, { name: 'X' }] }] } } } } } }),
  ['spec.jobTemplate.spec.template.spec.containers[0].env[1]: hides previous definition of "X", which may be dropped when using apply'],
  "a CronJob's template",
);
t.same(podWarnings('v1/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: {} }), [], 'kinds without a pod spec');
