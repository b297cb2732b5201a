// Protobuf request bodies as the real kubectl 1.32 sends them (captured by
// test/fixtures/protobuf/capture.ts; the command of each fixture is listed there), decoded to the
// JSON objects a JSON client would have sent.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { decodeProtobuf } from '../../api/protobuf.ts';
import { isStatusError } from '../../core/errors.ts';
import { statusOf } from '../patch/status-of.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/protobuf/${name}.bin`, import.meta.url));

// [fixture, the object kubectl meant]
const CASES: [string, object][] = [
  ["clusterrole", {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"node-reader"},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["nodes"]}]}],
  ["clusterrolebinding", {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"crb"},"subjects":[{"kind":"Group","apiGroup":"rbac.authorization.k8s.io","name":"devs"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"node-reader"}}],
  ["configmap", {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},"data":{"a":"b","greeting":"hello world"}}],
  ["cronjob", {"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"hello"},"spec":{"schedule":"*/1 * * * *","jobTemplate":{"metadata":{"name":"hello"},"spec":{"template":{"metadata":{},"spec":{"containers":[{"name":"hello","image":"busybox","command":["echo","hi"],"resources":{}}],"restartPolicy":"OnFailure"}}}}}}],
  ["deployment", {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"echoserver","image":"registry.k8s.io/echoserver:1.10","ports":[{"containerPort":8080}],"resources":{}}]}},"strategy":{}}}],
  ["hpa", {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"web"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web","apiVersion":"apps/v1"},"minReplicas":2,"maxReplicas":5,"targetCPUUtilizationPercentage":80}}],
  ["ingress", {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"web"},"spec":{"tls":[{"hosts":["a.example.com"],"secretName":"a-cert"}],"rules":[{"host":"a.example.com","http":{"paths":[{"path":"/api","backend":{"service":{"name":"api","port":{"number":8080}}},"pathType":"Prefix"}]}},{"host":"b.example.com","http":{"paths":[{"path":"/","backend":{"service":{"name":"web","port":{"name":"http"}}},"pathType":"Exact"}]}}],"ingressClassName":"nginx"}}],
  ["job", {"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"pi"},"spec":{"template":{"metadata":{},"spec":{"containers":[{"name":"pi","image":"perl:5.34","command":["perl","-Mbignum=bpi","-wle","print bpi(20)"],"resources":{}}],"restartPolicy":"Never"}}}}],
  ["namespace", {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"dev"},"spec":{}}],
  ["poddisruptionbudget", {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"web-pdb"},"spec":{"minAvailable":"50%","selector":{"matchLabels":{"app":"web"}}}}],
  ["resourcequota", {"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"q"},"spec":{"hard":{"cpu":"1","memory":"1Gi","pods":"10"}}}],
  ["role", {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"reader"},"rules":[{"verbs":["get","list"],"apiGroups":[""],"resources":["pods"]},{"verbs":["get","list"],"apiGroups":["apps"],"resources":["deployments"]}]}],
  ["rolebinding", {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"rb"},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"alice"},{"kind":"ServiceAccount","name":"builder","namespace":"default"}],"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"reader"}}],
  ["secret", {"apiVersion":"v1","kind":"Secret","metadata":{"name":"db"},"data":{"password":"cDRzcw=="},"type":"Opaque"}],
  ["selfsubjectaccessreview", {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},"spec":{"resourceAttributes":{"namespace":"dev","verb":"list","resource":"pods"}}}],
  ["service", {"apiVersion":"v1","kind":"Service","metadata":{"name":"web","labels":{"app":"web"}},"spec":{"ports":[{"name":"80-8080","protocol":"TCP","port":80,"targetPort":8080,"nodePort":30080}],"selector":{"app":"web"},"type":"NodePort"}}],
  ["serviceaccount", {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"builder"}}],
  ["clusterrole-aggregation", {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"monitoring"},"aggregationRule":{"clusterRoleSelectors":[{"matchLabels":{"rbac.example.com/aggregate-to-monitoring":"true"}}]}}],
  ["configmap-from-file", {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"files"},"data":{"cmfile.txt":"hello from a file\n"},"binaryData":{"blob":"AAH/Yg=="}}],
  ["deployment-command", {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"sleeper","labels":{"app":"sleeper"}},"spec":{"replicas":1,"selector":{"matchLabels":{"app":"sleeper"}},"template":{"metadata":{"labels":{"app":"sleeper"}},"spec":{"containers":[{"name":"busybox","image":"busybox","command":["sleep","3600"],"resources":{}}]}},"strategy":{}}}],
  ["ingress-default-backend", {"apiVersion":"networking.k8s.io/v1","kind":"Ingress","metadata":{"name":"catchall","annotations":{"a":"b"}},"spec":{"defaultBackend":{"service":{"name":"web","port":{"number":80}}}}}],
  ["pdb-max-unavailable", {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"db-pdb"},"spec":{"selector":{"matchLabels":{"app":"db"}},"maxUnavailable":1}}],
  ["quota-scopes", {"apiVersion":"v1","kind":"ResourceQuota","metadata":{"name":"best-effort"},"spec":{"hard":{"pods":"5"},"scopes":["BestEffort"]}}],
  ["role-resource-names", {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"one-pod"},"rules":[{"verbs":["get"],"apiGroups":[""],"resources":["pods"],"resourceNames":["web-1"]}]}],
  ["secret-docker-registry", {"apiVersion":"v1","kind":"Secret","metadata":{"name":"regcred"},"data":{".dockerconfigjson":"eyJhdXRocyI6eyJyLmV4YW1wbGUuY29tIjp7InVzZXJuYW1lIjoidSIsInBhc3N3b3JkIjoicCIsImF1dGgiOiJkVHB3In19fQ=="},"type":"kubernetes.io/dockerconfigjson"}],
  ["service-externalname", {"apiVersion":"v1","kind":"Service","metadata":{"name":"db","labels":{"app":"db"}},"spec":{"selector":{"app":"db"},"type":"ExternalName","externalName":"db.example.com"}}],
  ["service-loadbalancer", {"apiVersion":"v1","kind":"Service","metadata":{"name":"lb","labels":{"app":"lb"}},"spec":{"ports":[{"name":"443-8443","protocol":"TCP","port":443,"targetPort":8443}],"selector":{"app":"lb"},"type":"LoadBalancer"}}],
];

for (const [name, want] of CASES) {
  t.test(`decodes kubectl's ${name} body`, async (t) => {
    t.same(decodeProtobuf(fixture(name)), want);
  });
}

t.test('create job --from=cronjob: a rich pod template survives the protobuf round trip', async (t) => {
  // kubectl read nightly-cronjob.json (served as JSON), built the Job in its typed structs and sent it
  // as protobuf: decoding must give the same template back — a check of every field number used.
  const cronjob = JSON.parse(readFileSync(new URL('../fixtures/protobuf/nightly-cronjob.json', import.meta.url), 'utf8'));
  const want = cronjob.spec.jobTemplate.spec.template;
  want.spec.initContainers[0].resources = {}; // the typed struct always writes the (empty) resources
  const job = decodeProtobuf(fixture('job-from-cronjob')) as any;
  t.same(job.spec.template, want);
  t.same(job.metadata, {
    name: 'manual', annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' },
    ownerReferences: [{ kind: 'CronJob', name: 'nightly', uid: cronjob.metadata.uid, apiVersion: 'batch/v1', controller: true }],
  });
  t.equal(job.spec.backoffLimit, 2);
});

/** A length-delimited protobuf field (short payloads only: one-byte lengths). */
const ld = (n: number, payload: Buffer | string) => {
  const b = Buffer.from(payload);
  return Buffer.concat([Buffer.from([(n << 3) | 2, b.length]), b]);
};
/** A varint field with a one-byte value. */
const varint = (n: number, v: number) => Buffer.from([n << 3, v]);
/** The k8s envelope: magic, then runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
const envelope = (apiVersion: string, kind: string, raw: Buffer) =>
  Buffer.concat([Buffer.from('k8s\0', 'latin1'), ld(1, Buffer.concat([ld(1, apiVersion), ld(2, kind)])), ld(2, raw)]);

t.test('bad bodies are refused with a Status', async (t) => {
  t.match(statusOf(() => decodeProtobuf(Buffer.from('{"kind":"ConfigMap"}'))), { code: 400, reason: 'BadRequest' }, 'no k8s magic');
  t.match(statusOf(() => decodeProtobuf(fixture('deployment').subarray(0, 60))), { code: 400 }, 'truncated message');
  t.match(statusOf(() => decodeProtobuf(envelope('v1', 'Node', Buffer.alloc(0)))),
    { code: 415, reason: 'UnsupportedMediaType', message: 'protobuf bodies of v1/Node are not supported; send the object as JSON' });
  // A ConfigMap with a field 9 the subset does not declare is refused, not decoded with the field lost.
  const cm = Buffer.concat([ld(1, ld(1, 'cfg')), varint(9, 1)]);
  t.match(statusOf(() => decodeProtobuf(envelope('v1', 'ConfigMap', cm))), { code: 415, message: 'protobuf field ConfigMap.9 is not supported; send the object as JSON' });
  t.same(decodeProtobuf(envelope('v1', 'ConfigMap', ld(1, ld(1, 'cfg')))), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg' } });
});

t.test('explicit zeros survive in pointer fields; zero values elsewhere are dropped', async (t) => {
  // Deployment{metadata{}, spec{replicas: 0 (a pointer), minReadySeconds: 0, paused: false}}
  const spec = Buffer.concat([varint(1, 0), varint(5, 0), varint(7, 0)]);
  const body = envelope('apps/v1', 'Deployment', Buffer.concat([ld(1, ''), ld(2, spec)]));
  t.same(decodeProtobuf(body), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: {}, spec: { replicas: 0 } });
});

t.test('corrupted kubectl bodies decode or fail with a 4xx Status, never crash', async (t) => {
  let seed = 11;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const crashes: string[] = [];
  for (const [name] of CASES) {
    const original = fixture(name);
    for (let i = 0; i < 300; i++) {
      const body = Buffer.from(original);
      const flips = 1 + Math.floor(next() * 4);
      for (let f = 0; f < flips; f++) body[4 + Math.floor(next() * (body.length - 4))] = Math.floor(next() * 256);
      try {
        decodeProtobuf(body);
      } catch (e) {
        if (!isStatusError(e) || e.code >= 500) crashes.push(`${name}: ${(e as Error).stack}`);
      }
    }
  }
  t.same(crashes.slice(0, 3), []);
});
