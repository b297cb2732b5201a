// Admission: exact defaults of seed objects, generic metadata rules, and the 422 Status kubectl prints.
import t from 'tap';
import { admit } from '../../core/admission.ts';
import { isStatusError } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { causes, deploy, meta, ok, template } from './admission-helpers.ts';

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
    ['v1/configmaps', cm({ name: 'a', namespace: 'default', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }] }), [
      'metadata.ownerReferences.uid|FieldValueInvalid|Invalid value: "": uid must not be empty',
    ]], // owner without uid
    ['v1/configmaps', cm({ name: 'a', namespace: 'default', ownerReferences: [1, 2].map((i) => ({ apiVersion: 'v1', kind: 'Pod', name: `p${i}`, uid: `u${i}`, controller: true })) }), [
      `metadata.ownerReferences|FieldValueInvalid|Invalid value: [{"apiVersion":"v1","kind":"Pod","name":"p1","uid":"u1","controller":true},{"apiVersion":"v1","kind":"Pod","name":"p2","uid":"u2","controller":true}]: Only one reference can have Controller set to true. Found "true" in references for Pod/p1 and Pod/p2`,
    ]], // two controllers
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
