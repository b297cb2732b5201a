import t from 'tap';
import { admit } from '../../core/admission.ts';
import { isStatusError, type StatusCause } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';

type Op = 'create' | 'update';

/** The causes of the 422 an admission throws, as "field|reason|message" lines. */
function causes(res: string, object: unknown, op: Op = 'create', old?: KObject): string[] {
  try {
    admit({ op, res, object: object as KObject, old });
  } catch (e) {
    if (!isStatusError(e)) throw e;
    if (e.status.code !== 422) return [`${e.status.code} ${e.status.reason}: ${e.status.message}`];
    return (e.status.details?.causes ?? []).map((c: StatusCause) => `${c.field}|${c.reason}|${c.message}`);
  }
  return [];
}

const ok = (res: string, object: unknown, op: Op = 'create', old?: KObject) => admit({ op, res, object: object as KObject, old });

const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', uid: 'uid-1', ...extra });

// ---- seed objects ----

/** seed 000 cmpod.yml */
const cmPod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'cmvol', namespace: 'default' },
  spec: {
    volumes: [{ name: 'volmap', configMap: { name: 'multimap' } }],
    containers: [{ name: 'ctr', image: 'nginx', volumeMounts: [{ name: 'volmap', mountPath: '/etc/name' }] }],
  },
};

/** seed 003 deployment.yaml */
const myApp = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'my-app', namespace: 'default' },
  spec: {
    replicas: 3,
    selector: { matchLabels: { app: 'my-app' } },
    template: {
      metadata: { labels: { app: 'my-app' } },
      spec: {
        containers: [
          { name: 'web', image: 'nginx:latest', ports: [{ containerPort: 80 }] },
          { name: 'api', image: 'my-api:latest', ports: [{ containerPort: 5000 }] },
        ],
      },
    },
  },
};

const containerDefaults = { terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {} };
const podSpecDefaults = {
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
};

t.test('a seed pod gets exactly the API server defaults', async (t) => {
  t.same(ok('v1/pods', cmPod), {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'cmvol', namespace: 'default' },
    spec: {
      volumes: [{ name: 'volmap', configMap: { name: 'multimap', defaultMode: 420 } }],
      containers: [
        { name: 'ctr', image: 'nginx', imagePullPolicy: 'Always', volumeMounts: [{ name: 'volmap', mountPath: '/etc/name' }], ...containerDefaults },
      ],
      ...podSpecDefaults,
      enableServiceLinks: true,
      serviceAccountName: 'default',
      serviceAccount: 'default',
      priority: 0,
      preemptionPolicy: 'PreemptLowerPriority',
      tolerations: [
        { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
      ],
    },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  });
  t.same(cmPod.spec.volumes[0], { name: 'volmap', configMap: { name: 'multimap' } }, 'the input is not modified');
});

t.test('a seed deployment gets exactly the API server defaults', async (t) => {
  t.same(ok('apps/v1/deployments', myApp), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'my-app', namespace: 'default' },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'my-app' } },
      template: {
        metadata: { labels: { app: 'my-app' } },
        spec: {
          containers: [
            { name: 'web', image: 'nginx:latest', imagePullPolicy: 'Always', ports: [{ containerPort: 80, protocol: 'TCP' }], ...containerDefaults },
            { name: 'api', image: 'my-api:latest', imagePullPolicy: 'Always', ports: [{ containerPort: 5000, protocol: 'TCP' }], ...containerDefaults },
          ],
          ...podSpecDefaults,
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    },
  });
});

t.test('defaulting is idempotent (an update of a stored object changes nothing)', async (t) => {
  const stored = ok('apps/v1/deployments', myApp);
  t.same(ok('apps/v1/deployments', stored, 'update', stored), stored);
  const pod = ok('v1/pods', cmPod);
  t.same(ok('v1/pods', pod, 'update', pod), pod);
});

t.test('pod defaults in detail', async (t) => {
  const pod = (spec: Record<string, unknown>) => ok('v1/pods', { apiVersion: 'v1', kind: 'Pod', metadata: meta('p'), spec }).spec as Record<string, any>;
  // [image, pull policy]
  const pulls: [string, string][] = [
    ['nginx', 'Always'], // no tag means latest
    ['nginx:latest', 'Always'], // explicit latest
    ['nginx:1.25', 'IfNotPresent'], // pinned tag
    ['localhost:5000/nginx', 'Always'], // registry port is not a tag
    ['nginx@sha256:abc', 'IfNotPresent'], // digest
  ];
  for (const [image, policy] of pulls) t.equal(pod({ containers: [{ name: 'c', image }] }).containers[0].imagePullPolicy, policy, image);
  const guaranteed = pod({ containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }] });
  t.same(guaranteed.containers[0].resources, { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }, 'requests default to limits');
  const status = ok('v1/pods', { apiVersion: 'v1', kind: 'Pod', metadata: meta('p'), spec: { containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }] } }).status;
  t.same(status, { phase: 'Pending', qosClass: 'Guaranteed' });
  const sameAmount = ok('v1/pods', { apiVersion: 'v1', kind: 'Pod', metadata: meta('p'), spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '1000m', memory: '1Gi' }, limits: { cpu: '1', memory: '1024Mi' } } }] } });
  t.equal((sameAmount.status as { qosClass: string }).qosClass, 'Guaranteed', 'quantities compare by amount, not text');
  const burstable = ok('v1/pods', { apiVersion: 'v1', kind: 'Pod', metadata: meta('p'), spec: { containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '100m' } } }] } });
  t.equal((burstable.status as { qosClass: string }).qosClass, 'Burstable');
  const tolerant = pod({ containers: [{ name: 'c', image: 'x' }], tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }] });
  t.same(tolerant.tolerations.map((x: { key: string; tolerationSeconds: number }) => [x.key, x.tolerationSeconds]), [
    ['node.kubernetes.io/unreachable', 10],
    ['node.kubernetes.io/not-ready', 300],
  ], 'an existing toleration is kept, the missing one added');
  const probed = pod({ containers: [{ name: 'c', image: 'x', livenessProbe: { httpGet: { port: 80 } } }] });
  t.same(probed.containers[0].livenessProbe, { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 });
  t.same(pod({ containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'scratch' }] }).volumes, [{ name: 'scratch', emptyDir: {} }], 'a bare volume is an emptyDir');
  t.equal(pod({ containers: [{ name: 'c', image: 'x' }], serviceAccountName: 'robot' }).serviceAccount, 'robot', 'deprecated field mirrors the account');
});

t.test('generic metadata validation', async (t) => {
  const cm = (metadata: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata });
  // [resource, object, causes]
  const rows: [string, unknown, string[]][] = [
    ['v1/configmaps', cm({ name: 'Foo_Bar', namespace: 'default' }), [
      `metadata.name|FieldValueInvalid|Invalid value: "Foo_Bar": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ]], // subdomain rule
    ['v1/configmaps', cm({ namespace: 'default' }), ['metadata.name|FieldValueRequired|Required value: name or generateName is required']], // no name
    ['v1/configmaps', cm({ name: 'a' }), ['metadata.namespace|FieldValueRequired|Required value']], // namespaced kind without namespace
    ['v1/nodes', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n', namespace: 'default' } }, ['metadata.namespace|FieldValueForbidden|Forbidden: not allowed on this type']], // cluster-scoped kind with namespace
    ['v1/configmaps', cm({ name: 'a', namespace: 'default', labels: { 'bad key!': 'ok' } }), [
      `metadata.labels|FieldValueInvalid|Invalid value: "bad key!": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ]], // label key
    ['v1/configmaps', cm({ name: 'a', namespace: 'default', labels: { app: 'x'.repeat(64) } }), [`metadata.labels|FieldValueInvalid|Invalid value: "${'x'.repeat(64)}": must be no more than 63 characters`]], // label value
    ['v1/configmaps', cm({ name: 'a', namespace: 'default', annotations: { big: 'x'.repeat(262144) } }), ['metadata.annotations|FieldValueTooLong|Too long: may not be more than 262144 bytes']], // annotation size
    ['v1/services', { apiVersion: 'v1', kind: 'Service', metadata: meta('1web'), spec: { ports: [{ port: 80 }] } }, [
      `metadata.name|FieldValueInvalid|Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]], // services use DNS-1035
    ['rbac.authorization.k8s.io/v1/clusterroles', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:Admin' } }, []], // path segment allows colons and case
    ['v1/configmaps', { apiVersion: 'v1', kind: 'Secret', metadata: meta('a') }, ['400 BadRequest: the kind in the data (Secret) does not match the expected kind (ConfigMap)']], // wrong kind
    ['v1/configmaps', { apiVersion: 'apps/v1', kind: 'ConfigMap', metadata: meta('a') }, ['400 BadRequest: the API version in the data (apps/v1) does not match the expected API version (v1)']], // wrong version
  ];
  for (const [res, obj, want] of rows) t.same(causes(res, obj), want, JSON.stringify(obj).slice(0, 80));
  t.same(causes('v1/configmaps', cm({ name: 'web-x7k2q', generateName: 'web-', namespace: 'default' })), [], 'generateName may end with a dash');
  t.match(causes('v1/configmaps', cm({ name: 'a', generateName: 'Web-', namespace: 'default' })), [/^metadata\.generateName\|FieldValueInvalid\|Invalid value: "Web-": a lowercase RFC 1123 subdomain/]);
});

t.test('metadata is immutable on update', async (t) => {
  const old = ok('v1/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('a') });
  t.same(causes('v1/configmaps', { ...old, metadata: { ...old.metadata, uid: 'other' } }, 'update', old), ['metadata.uid|FieldValueInvalid|Invalid value: "other": field is immutable']);
  t.equal(ok('v1/configmaps', { ...old, metadata: { name: 'a', namespace: 'default' } }, 'update', old).metadata.uid, 'uid-1', 'a missing uid keeps the stored one');
});

const podWith = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta('p'), spec });

t.test('pod spec validation', async (t) => {
  // [spec, causes]
  const rows: [Record<string, unknown>, string[]][] = [
    [{}, ['spec.containers|FieldValueRequired|Required value']], // no containers
    [{ containers: [{ image: 'x' }] }, ['spec.containers[0].name|FieldValueRequired|Required value']], // unnamed container
    [{ containers: [{ name: 'c' }] }, ['spec.containers[0].image|FieldValueRequired|Required value']], // no image
    [{ containers: [{ name: 'c', image: 'x' }, { name: 'c', image: 'y' }] }, ['spec.containers[1].name|FieldValueDuplicate|Duplicate value: "c"']], // duplicate names
    [{ containers: [{ name: 'Web', image: 'x' }] }, [
      `spec.containers[0].name|FieldValueInvalid|Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]], // container name is a DNS label
    [{ containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 70000 }] }] }, ['spec.containers[0].ports[0].containerPort|FieldValueInvalid|Invalid value: 70000: must be between 1 and 65535, inclusive']], // port range
    [{ containers: [{ name: 'c', image: 'x', ports: [{}] }] }, ['spec.containers[0].ports[0].containerPort|FieldValueRequired|Required value']], // port required
    [{ containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, protocol: 'HTTP' }] }] }, ['spec.containers[0].ports[0].protocol|FieldValueNotSupported|Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"']], // protocol
    [{ containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, name: 'a-very-long-port-name' }] }] }, ['spec.containers[0].ports[0].name|FieldValueInvalid|Invalid value: "a-very-long-port-name": must be no more than 15 characters']], // IANA name
    [{ containers: [{ name: 'c', image: 'x', env: [{ name: '1X', value: 'v' }] }] }, [
      `spec.containers[0].env[0].name|FieldValueInvalid|Invalid value: "1X": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`,
    ]], // env name
    [{ containers: [{ name: 'c', image: 'x', volumeMounts: [{ name: 'data', mountPath: '/d' }] }] }, ['spec.containers[0].volumeMounts[0].name|FieldValueNotFound|Not found: "data"']], // mount of a missing volume
    [{ containers: [{ name: 'c', image: 'x' }], volumes: [{ name: 'v' }, { name: 'v' }] }, ['spec.volumes[1].name|FieldValueDuplicate|Duplicate value: "v"']], // duplicate volumes
    [{ containers: [{ name: 'c', image: 'x', resources: { requests: { cpu: '2' }, limits: { cpu: '1' } } }] }, [
      'spec.containers[0].resources.requests|FieldValueInvalid|Invalid value: "2": must be less than or equal to cpu limit of 1',
    ]], // request above limit
    [{ containers: [{ name: 'c', image: 'x', resources: { limits: { memory: '-1Gi' } } }] }, [
      'spec.containers[0].resources.limits[memory]|FieldValueInvalid|Invalid value: "-1Gi": must be greater than or equal to 0',
      'spec.containers[0].resources.requests[memory]|FieldValueInvalid|Invalid value: "-1Gi": must be greater than or equal to 0',
    ]], // negative (the request defaulted from the limit is negative too)
    [{ containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: 'lots' } } }] }, [
      `400 BadRequest: Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    ]], // not a quantity: a decoding error
    [{ containers: [{ name: 'c', image: 'x', livenessProbe: { periodSeconds: 5 } }] }, ['spec.containers[0].livenessProbe|FieldValueRequired|Required value: must specify a handler type']], // probe without handler
    [{ containers: [{ name: 'c', image: 'x', readinessProbe: { httpGet: { port: 80 }, exec: { command: ['true'] } } }] }, ['spec.containers[0].readinessProbe.httpGet|FieldValueForbidden|Forbidden: may not specify more than 1 handler type']], // two handlers: the second in exec, httpGet, tcpSocket, grpc order is refused
    [{ containers: [{ name: 'c', image: 'x', livenessProbe: { tcpSocket: { port: 0 } } }] }, ['spec.containers[0].livenessProbe.tcpSocket.port|FieldValueInvalid|Invalid value: 0: must be between 1 and 65535, inclusive']], // probe port
    [{ containers: [{ name: 'c', image: 'x', livenessProbe: { exec: { command: ['true'] }, successThreshold: 2 } }] }, ['spec.containers[0].livenessProbe.successThreshold|FieldValueInvalid|Invalid value: 2: must be 1']], // liveness succeeds once
    [{ containers: [{ name: 'c', image: 'x' }], restartPolicy: 'Sometimes' }, ['spec.restartPolicy|FieldValueNotSupported|Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"']], // restart policy
  ];
  for (const [spec, want] of rows) t.same(causes('v1/pods', podWith(spec)), want, JSON.stringify(spec));
  t.match(causes('v1/pods', podWith('nonsense' as unknown as Record<string, unknown>))[0], /^400 BadRequest: Pod in version "v1" cannot be handled as a Pod: /, 'a wrong shape is a 400, not a crash');
});

t.test('pod updates may change only images, deadlines, tolerations and the binding', async (t) => {
  const pod = ok('v1/pods', podWith({ containers: [{ name: 'c', image: 'nginx:1.24' }] }));
  const change = (f: (spec: Record<string, any>) => void) => {
    const next = structuredClone(pod);
    f(next.spec as Record<string, any>);
    return causes('v1/pods', next, 'update', pod);
  };
  t.same(change((s) => (s.containers[0].image = 'nginx:1.25')), [], 'image');
  t.same(change((s) => (s.nodeName = 'node-1')), [], 'binding to a node');
  t.same(change((s) => s.tolerations.push({ key: 'k', operator: 'Exists' })), [], 'added toleration');
  t.same(change((s) => (s.activeDeadlineSeconds = 30)), [], 'a first deadline');
  const limited = ok('v1/pods', podWith({ containers: [{ name: 'c', image: 'x' }], activeDeadlineSeconds: 30 }));
  const deadline = (value: number | undefined) => causes('v1/pods', { ...limited, spec: { ...(limited.spec as object), activeDeadlineSeconds: value } }, 'update', limited);
  t.same(deadline(10), [], 'a shorter deadline');
  t.same(deadline(60), ['spec.activeDeadlineSeconds|FieldValueInvalid|Invalid value: 60: must be less than or equal to previous value']);
  t.same(deadline(undefined), ['spec.activeDeadlineSeconds|FieldValueInvalid|Invalid value: "null": must not update from a positive integer to nil value']);
  const forbidden = change((s) => (s.containers[0].ports = [{ containerPort: 80 }]));
  t.equal(forbidden.length, 1);
  t.match(forbidden[0], /^spec\|FieldValueForbidden\|Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);
  t.same(change((s) => s.tolerations.pop()).length, 1, 'removing a toleration is forbidden');
  const status = structuredClone(pod);
  status.status = { phase: 'Running' };
  t.same(causes('v1/pods', status, 'update', pod), [], 'status changes are fine');
});

const deploy = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web'), spec });
const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };

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
  const sts = ok('apps/v1/statefulsets', { apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: meta('db'), spec: { serviceName: 'db', selector: { matchLabels: { app: 'web' } }, template } });
  const s = sts.spec as any;
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

const svc = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: meta('web'), spec });

t.test('services', async (t) => {
  t.same(ok('v1/services', svc({ selector: { app: 'web' }, ports: [{ port: 80 }] })), {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('web'),
    spec: {
      selector: { app: 'web' },
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
    },
    status: { loadBalancer: {} },
  });
  const nodePort = ok('v1/services', svc({ type: 'NodePort', ports: [{ port: 80, targetPort: 'http', nodePort: 30080 }] })).spec as any;
  t.same([nodePort.externalTrafficPolicy, nodePort.ports[0].targetPort], ['Cluster', 'http']);
  // [spec, causes]
  const rows: [Record<string, unknown>, string[]][] = [
    [{}, ['spec.ports|FieldValueRequired|Required value']], // no ports
    [{ clusterIP: 'None' }, []], // headless needs no ports
    [{ type: 'ExternalName' }, ['spec.externalName|FieldValueRequired|Required value']], // external name required
    [{ type: 'Magic', ports: [{ port: 80 }] }, ['spec.type|FieldValueNotSupported|Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"']], // type
    [{ ports: [{ port: 80 }, { port: 443 }] }, ['spec.ports[0].name|FieldValueRequired|Required value', 'spec.ports[1].name|FieldValueRequired|Required value']], // names required with two ports
    [{ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 443 }] }, ['spec.ports[1].name|FieldValueDuplicate|Duplicate value: "a"']], // duplicate names
    [{ ports: [{ port: 0 }] }, ['spec.ports[0].port|FieldValueInvalid|Invalid value: 0: must be between 1 and 65535, inclusive', 'spec.ports[0].targetPort|FieldValueInvalid|Invalid value: 0: must be between 1 and 65535, inclusive']], // port 0
    [{ type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }, ['spec.ports[0].nodePort|FieldValueInvalid|Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767']], // node port range
    [{ ports: [{ port: 80, nodePort: 30080 }] }, ["spec.ports[0].nodePort|FieldValueInvalid|Invalid value: 30080: may not be used when `type` is 'ClusterIP'"]], // node port on ClusterIP
  ];
  for (const [spec, want] of rows) t.same(causes('v1/services', svc(spec)), want, JSON.stringify(spec));
  const allocated = ok('v1/services', svc({ ports: [{ port: 80 }], clusterIP: '10.96.0.10' }));
  t.same((allocated.spec as any).clusterIPs, ['10.96.0.10'], 'clusterIPs follow clusterIP');
  const moved = structuredClone(allocated);
  (moved.spec as any).clusterIP = '10.96.0.11';
  (moved.spec as any).clusterIPs = ['10.96.0.11'];
  t.same(causes('v1/services', moved, 'update', allocated), ['spec.clusterIPs[0]|FieldValueInvalid|Invalid value: "10.96.0.11": may not change once set']);
  const replaced = ok('v1/services', svc({ ports: [{ port: 80 }] }), 'update', allocated);
  t.equal((replaced.spec as any).clusterIP, '10.96.0.10', 'an update without clusterIP keeps the allocated one');
});

t.test('namespaces, configmaps and secrets', async (t) => {
  t.same(ok('v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dev' } }), {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: 'dev', labels: { 'kubernetes.io/metadata.name': 'dev' } },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  });
  t.same(causes('v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'my.ns' } }), [
    `metadata.name|FieldValueInvalid|Invalid value: "my.ns": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
  ]);
  t.same(causes('v1/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('c'), data: { 'a b': 'x' } }), [
    `data[a b]|FieldValueInvalid|Invalid value: "a b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
  ]);
  const frozen = ok('v1/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('c'), data: { a: '1' }, immutable: true });
  t.same(causes('v1/configmaps', { ...frozen, data: { a: '2' } }, 'update', frozen), ['data|FieldValueForbidden|Forbidden: field is immutable when `immutable` is set']);
  t.same(ok('v1/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: meta('s'), data: { a: 'eA==' }, stringData: { user: 'admin', a: 'y' } }), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: meta('s'),
    data: { a: 'eQ==', user: 'YWRtaW4=' },
    type: 'Opaque',
  }, 'stringData is merged into data as base64 and dropped');
  t.same(causes('v1/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: meta('s'), data: { a: 'not base64!' } }), [
    '400 BadRequest: Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 3',
  ]);
  t.same(causes('v1/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: meta('s'), type: 'kubernetes.io/tls', data: {} }), [
    'data[tls.crt]|FieldValueRequired|Required value',
    'data[tls.key]|FieldValueRequired|Required value',
  ]);
  const secret = ok('v1/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: meta('s') });
  t.same(causes('v1/secrets', { ...secret, type: 'kubernetes.io/tls', data: { 'tls.crt': '', 'tls.key': '' } }, 'update', secret), ['type|FieldValueInvalid|Invalid value: "kubernetes.io/tls": field is immutable']);
});

t.test('storage kinds', async (t) => {
  const pv = ok('v1/persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: { capacity: { storage: '1Gi' }, accessModes: ['ReadWriteOnce'], hostPath: { path: '/data' } } });
  t.same([(pv.spec as any).persistentVolumeReclaimPolicy, (pv.spec as any).volumeMode, pv.status], ['Retain', 'Filesystem', { phase: 'Pending' }]);
  t.same(causes('v1/persistentvolumes', { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name: 'pv1' }, spec: {} }), [
    'spec.accessModes|FieldValueRequired|Required value',
    'spec.capacity|FieldValueRequired|Required value',
    'spec|FieldValueRequired|Required value: must specify a volume type',
  ]);
  const pvc = ok('v1/persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data'), spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } });
  t.same([(pvc.spec as any).volumeMode, pvc.status], ['Filesystem', { phase: 'Pending' }]);
  t.same(causes('v1/persistentvolumeclaims', { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: meta('data'), spec: {} }), [
    'spec.accessModes|FieldValueRequired|Required value: at least 1 access mode is required',
    'spec.resources[storage]|FieldValueRequired|Required value',
  ]);
  const bound = structuredClone(pvc);
  (bound.spec as any).volumeName = 'pv1';
  t.same(causes('v1/persistentvolumeclaims', bound, 'update', pvc), [], 'the binder may set volumeName');
  const grown = structuredClone(bound);
  (grown.spec as any).accessModes = ['ReadWriteMany'];
  t.same(causes('v1/persistentvolumeclaims', grown, 'update', bound), [
    'spec|FieldValueForbidden|Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
  ]);
  const sc = ok('storage.k8s.io/v1/storageclasses', { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'rewind.dev/hostpath' });
  t.same([sc.reclaimPolicy, sc.volumeBindingMode], ['Delete', 'Immediate']);
  t.same(causes('storage.k8s.io/v1/storageclasses', { ...sc, provisioner: 'other' }, 'update', sc), ['provisioner|FieldValueForbidden|Forbidden: updates to provisioner are forbidden.']);
});

t.test('HPA, ingress and events', async (t) => {
  const hpa = ok('autoscaling/v2/horizontalpodautoscalers', {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta('web'),
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 5 },
  });
  t.same([(hpa.spec as any).minReplicas, (hpa.spec as any).metrics], [1, [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]]);
  t.same(
    causes('autoscaling/v2/horizontalpodautoscalers', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: meta('web'), spec: { scaleTargetRef: {}, minReplicas: 3, maxReplicas: 2 } }),
    [
      'spec.scaleTargetRef.kind|FieldValueRequired|Required value',
      'spec.scaleTargetRef.name|FieldValueRequired|Required value',
      'spec.maxReplicas|FieldValueInvalid|Invalid value: 2: must be greater than or equal to `minReplicas`',
    ],
  );
  const withBehavior = ok('autoscaling/v2/horizontalpodautoscalers', { ...hpa, spec: { ...(hpa.spec as object), behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } } });
  t.same((withBehavior.spec as any).behavior, {
    scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
    scaleUp: { stabilizationWindowSeconds: 0, selectPolicy: 'Max', policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }] },
  });
  const ing = (path: Record<string, unknown>) => ({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: meta('web'),
    spec: { rules: [{ host: 'example.com', http: { paths: [{ backend: { service: { name: 'web', port: { number: 80 } } }, ...path }] } }] },
  });
  t.same(causes('networking.k8s.io/v1/ingresses', ing({ path: '/', pathType: 'Prefix' })), []);
  t.same(causes('networking.k8s.io/v1/ingresses', ing({ path: '/' })), ['spec.rules[0].http.paths[0].pathType|FieldValueRequired|Required value: pathType must be specified']);
  t.same(causes('networking.k8s.io/v1/ingresses', ing({ path: 'api', pathType: 'Exact' })), ['spec.rules[0].http.paths[0].path|FieldValueInvalid|Invalid value: "api": must be an absolute path']);
  t.same(causes('networking.k8s.io/v1/ingresses', ing({ path: '/', pathType: 'Regex' })), [
    'spec.rules[0].http.paths[0].pathType|FieldValueNotSupported|Unsupported value: "Regex": supported values: "Exact", "ImplementationSpecific", "Prefix"',
  ]);
  t.same(causes('v1/events', { apiVersion: 'v1', kind: 'Event', metadata: meta('e'), reason: 'X' }), ['involvedObject|FieldValueRequired|Required value']);
  t.same(causes('v1/events', { apiVersion: 'v1', kind: 'Event', metadata: meta('e'), involvedObject: { kind: 'Pod', name: 'p', namespace: 'default' } }), []);
});

t.test('the 422 Status as kubectl prints it', async (t) => {
  try {
    admit({ op: 'create', res: 'apps/v1/deployments', object: deploy({ selector: { matchLabels: { app: 'web' } }, template: { ...template, spec: { containers: [{ name: 'c' }] } } }) as KObject });
    t.fail('expected Invalid');
  } catch (e) {
    if (!isStatusError(e)) throw e;
    t.same(e.status, {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value',
      reason: 'Invalid',
      details: {
        name: 'web',
        group: 'apps',
        kind: 'Deployment',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.template.spec.containers[0].image' }],
      },
      code: 422,
    });
  }
});

t.test('endpoints', async (t) => {
  const ep = (subsets: unknown) => ({ apiVersion: 'v1', kind: 'Endpoints', metadata: meta('external-service'), subsets });
  t.same(ok('v1/endpoints', ep([{ addresses: [{ ip: '11.11.11.11' }], ports: [{ port: 80 }] }])).subsets, [{ addresses: [{ ip: '11.11.11.11' }], ports: [{ port: 80, protocol: 'TCP' }] }]);
  t.same(causes('v1/endpoints', ep([{ addresses: [{ ip: 'example.com' }], ports: [{ port: 80 }, { port: 0, name: 'b' }] }])), [
    'subsets[0].addresses[0].ip|FieldValueInvalid|Invalid value: "example.com": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'subsets[0].ports[0].name|FieldValueRequired|Required value',
    'subsets[0].ports[1].port|FieldValueInvalid|Invalid value: 0: must be between 1 and 65535, inclusive',
  ]);
});

t.test('rbac', async (t) => {
  const rbac = (kind: string, fields: Record<string, unknown>, namespaced = true) => ({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind,
    metadata: namespaced ? meta('r') : { name: 'r' },
    ...fields,
  });
  const res = (plural: string) => `rbac.authorization.k8s.io/v1/${plural}`;
  t.same(causes(res('roles'), rbac('Role', { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] }] })), []);
  t.same(causes(res('roles'), rbac('Role', { rules: [{ resources: ['pods'] }, { nonResourceURLs: ['/healthz'], verbs: ['get'] }] })), [
    'rules[0].verbs|FieldValueRequired|Required value: verbs must contain at least one value',
    'rules[0].apiGroups|FieldValueRequired|Required value: resource rules must supply at least one api group',
    'rules[1].nonResourceURLs|FieldValueInvalid|Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
  ]);
  t.same(causes(res('clusterroles'), rbac('ClusterRole', { rules: [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }] }, false)), [], 'cluster roles may cover URLs');
  const binding = rbac('RoleBinding', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'alice' }] });
  t.same(causes(res('rolebindings'), binding), []);
  t.same(causes(res('clusterrolebindings'), rbac('ClusterRoleBinding', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' }, subjects: [{ kind: 'Robot', name: 'x' }] }, false)), [
    'roleRef.kind|FieldValueNotSupported|Unsupported value: "Role": supported values: "ClusterRole"',
    'subjects[0].kind|FieldValueNotSupported|Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
  ]);
  const stored = ok(res('rolebindings'), binding);
  t.same(causes(res('rolebindings'), { ...stored, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'admin' } }, 'update', stored), [
    'roleRef|FieldValueInvalid|Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"admin"}: cannot change roleRef',
  ]);
});
