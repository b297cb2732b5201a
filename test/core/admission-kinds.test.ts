// Admission of services, namespaces, config, storage, autoscaling, ingress, events, endpoints and RBAC.
import t from 'tap';
import { causes, meta, ok } from './admission-helpers.ts';

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
    [{ ports: [{ port: 80 }], selector: { app: 'web app' } }, [
      `spec.selector|FieldValueInvalid|Invalid value: "web app": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ]], // selector values are label values
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
