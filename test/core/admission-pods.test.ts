// Pod admission: the defaults of SetDefaults_Pod and the admission plugins, ValidatePodSpec, ValidatePodUpdate.
import t from 'tap';
import { causes, meta, ok, podWith } from './admission-helpers.ts';

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
    [{ containers: [{ name: 'c', image: 'x' }], nodeSelector: { 'disk type': 'ssd' } }, [
      `spec.nodeSelector|FieldValueInvalid|Invalid value: "disk type": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    ]], // node selector keys are label keys
    [{ containers: [{ name: 'c', image: 'x' }], hostname: 'web.1' }, [
      `spec.hostname|FieldValueInvalid|Invalid value: "web.1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ]], // hostname is a DNS label
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
