// A CI job checking a repository's manifests: it applies the directory tree under ci-manifests/
// (a web app with probes, affinity, spread, security contexts and every volume kind; a StatefulSet
// with claim templates; each Service type; Ingress, NetworkPolicy, PDB, HPA v2, CronJob, RBAC), then
// runs what pipelines run — dry runs, `kubectl diff` and its exit codes, server-side apply, waits,
// invalid objects — and expects what a real v1.32 cluster answers. Each case here was a divergence.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { eventually } from './eventually.ts';
import { startRewind } from './harness.ts';

const MANIFESTS = fileURLToPath(new URL('./ci-manifests/', import.meta.url));
const APP = `${MANIFESTS}app`;

const rw = await startRewind(t);

/** `kubectl apply -f -` of one manifest: the exit code and what kubectl printed on stderr. */
const applyText = (manifest: string) => rw.kubectl('apply', '-f', '-', { input: manifest });

t.test('apply -f DIR -R: every object of the tree is accepted, dry runs first', async (t) => {
  for (const mode of ['--dry-run=client', '--dry-run=server', '']) {
    const r = await rw.kubectl('apply', '-f', APP, '-R', ...(mode ? [mode] : []));
    t.equal(r.code, 0, `apply ${mode}: ${r.stderr}`);
    t.equal(r.stderr, '', mode);
  }
  // A StatefulSet's containers mount its claim templates by name (no pod volume of that name):
  // ValidateStatefulSet does not look the mount up among the pod's own volumes.
  const sts = await rw.kubectl('get', 'statefulset', 'db', '-o', 'jsonpath={.spec.volumeClaimTemplates[0].metadata.name}');
  t.equal(sts.stdout, 'data');
});

t.test('a StatefulSet mount naming neither a volume nor a claim template is still refused', async (t) => {
  const r = await applyText(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: typo}
spec:
  serviceName: typo
  selector: {matchLabels: {app: typo}}
  template:
    metadata: {labels: {app: typo}}
    spec:
      containers:
      - name: c
        image: busybox
        volumeMounts: [{name: dta, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
`);
  t.equal(r.code, 1);
  t.match(r.stderr, 'The StatefulSet "typo" is invalid: spec.template.spec.containers[0].volumeMounts[0].name: Not found: "dta"');
});

t.test("a Service's cluster IP may not change, even when a patch names only the singular field", async (t) => {
  const before = await rw.kubectl('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}');
  t.match(before.stdout, /^\d+\.\d+\.\d+\.\d+$/);
  const r = await rw.kubectl('patch', 'svc', 'web', '--type=merge', '-p', '{"spec":{"clusterIP":"10.96.99.99"}}');
  t.equal(r.code, 1);
  t.match(r.stderr, /The Service "web" is invalid: spec\.clusterIPs\[0\]: Invalid value: .*10\.96\.99\.99.*: may not change once set/);
  const after = await rw.kubectl('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP} {.spec.clusterIPs[0]}');
  t.equal(after.stdout, `${before.stdout} ${before.stdout}`);
});

t.test('kubectl diff after apply: exit 0 with nothing shown; a change shows only itself and exits 1', async (t) => {
  // The Secret's stringData and the StatefulSet's claim templates are re-sent by every apply (the
  // live object holds data and defaulted claims); the server finds nothing changed and writes nothing.
  const secretRV = await rw.kubectl('get', 'secret', 'web-secret', '-o', 'jsonpath={.metadata.resourceVersion}');
  const again = await rw.kubectl('apply', '-f', APP, '-R');
  t.equal(again.code, 0, again.stderr);
  t.equal((await rw.kubectl('get', 'secret', 'web-secret', '-o', 'jsonpath={.metadata.resourceVersion}')).stdout, secretRV.stdout);
  const clean = await rw.kubectl('diff', '-f', APP, '-R');
  t.equal(clean.code, 0, clean.stderr);
  t.equal(clean.stdout, '');

  const changed = rw.file('web-changed.yaml', readFileSync(`${APP}/02-deployment.yaml`, 'utf8').replace('image: nginx:1.25', 'image: nginx:1.26'));
  const diff = await rw.kubectl('diff', '-f', changed);
  t.equal(diff.code, 1, diff.stderr);
  t.match(diff.stdout, /^-\s+image: nginx:1\.25$/m);
  t.match(diff.stdout, /^\+\s+image: nginx:1\.26$/m);
  // A server dry run writes nothing, so the merged object keeps the live resourceVersion.
  t.notMatch(diff.stdout, /^[-+]\s+resourceVersion:/m);
});

t.test('server-side apply of an unchanged manifest writes nothing', async (t) => {
  const file = `${MANIFESTS}kustomize/api.yaml`;
  t.equal((await rw.kubectl('apply', '--server-side', '-f', file)).code, 0);
  const rv = () => rw.kubectl('get', 'svc', 'api', '-o', 'jsonpath={.metadata.resourceVersion}');
  const first = await rv();
  const r = await rw.kubectl('apply', '--server-side', '-f', file);
  t.equal(r.code, 0, r.stderr);
  t.equal((await rv()).stdout, first.stdout);
});

t.test('a CronJob: schedule, time zone and name length are validated', async (t) => {
  const cronJob = (name: string, schedule: string, timeZone: string) => `apiVersion: batch/v1
kind: CronJob
metadata: {name: ${name}}
spec:
  schedule: "${schedule}"
  timeZone: ${timeZone}
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: c, image: busybox}]
`;
  const bad = await applyText(cronJob('x'.repeat(53), '61 * * * *', 'Mars/Olympus'));
  t.equal(bad.code, 1);
  t.match(bad.stderr, `metadata.name: Invalid value: "${'x'.repeat(53)}": must be no more than 52 characters`);
  t.match(bad.stderr, 'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61');
  t.match(bad.stderr, 'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus');
  const fields = await applyText(cronJob('nightly', '0 3 * *', 'Etc/UTC'));
  t.match(fields.stderr, 'spec.schedule: Invalid value: "0 3 * *": expected exactly 5 fields, found 4: [0 3 * *]');
  const good = await applyText(cronJob('x'.repeat(52), '0 9-17/2 * * MON-FRI', 'Europe/Paris'));
  t.equal(good.code, 0, good.stderr);
});

t.test('a NetworkPolicy: ports, CIDRs, peers and policy types are validated; policyTypes defaulted', async (t) => {
  const bad = await applyText(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: bad}
spec:
  podSelector: {}
  policyTypes: [Ingress, Sideways]
  ingress:
  - ports: [{protocol: TCP, port: 70000}]
    from:
    - ipBlock: {cidr: 10.0.0.0/33}
    - ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16]}
      podSelector: {}
    - {}
`);
  t.equal(bad.code, 1);
  for (const cause of [
    'spec.ingress[0].ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive',
    'spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)',
    'spec.ingress[0].from[1].ipBlock.except[0]: Invalid value: "192.168.0.0/16": must be a strict subset of `cidr`',
    'spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer',
    'spec.ingress[0].from[2]: Required value: must specify a peer',
    'spec.policyTypes[1]: Unsupported value: "Sideways": supported values: "Ingress", "Egress"',
  ]) {
    t.match(bad.stderr, cause);
  }
  // SetDefaults_NetworkPolicy: Ingress always, Egress when egress rules are given.
  const types = await rw.kubectl('get', 'netpol', 'web-allow-ingress', '-o', 'jsonpath={.spec.policyTypes}');
  t.equal(types.stdout, '["Ingress","Egress"]');
});

t.test('a PodDisruptionBudget may not set both minAvailable and maxUnavailable', async (t) => {
  const pdb = (budget: string) => `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: budget}
spec:
  ${budget}
  selector: {matchLabels: {app: x}}
`;
  const both = await applyText(pdb('minAvailable: 1\n  maxUnavailable: 1'));
  t.equal(both.code, 1);
  t.match(both.stderr, /The PodDisruptionBudget "budget" is invalid: spec: Invalid value: .*: minAvailable and maxUnavailable cannot be both set/);
  const over = await applyText(pdb('maxUnavailable: 120%'));
  t.match(over.stderr, 'spec.maxUnavailable: Invalid value: "120%": must not be greater than 100%');
  const good = await applyText(pdb('maxUnavailable: 25%'));
  t.equal(good.code, 0, good.stderr);
});

t.test('server-side apply after kubectl scale: a conflict on .spec.replicas, taken over with --force-conflicts', async (t) => {
  const file = `${MANIFESTS}kustomize/api.yaml`;
  t.equal((await rw.kubectl('apply', '--server-side', '-f', file)).code, 0);
  t.equal((await rw.kubectl('scale', 'deploy', 'api', '--replicas=4')).code, 0);
  const owners = await rw.kubectl('get', 'deploy', 'api', '--show-managed-fields', '-o', 'jsonpath={range .metadata.managedFields[*]}{.manager}/{.operation}/{.subresource} {end}');
  t.match(owners.stdout, 'kubectl/Update/scale');
  const conflict = await rw.kubectl('apply', '--server-side', '-f', file);
  t.equal(conflict.code, 1);
  t.match(conflict.stderr, 'Apply failed with 1 conflict: conflict with "kubectl" with subresource "scale" using apps/v1: .spec.replicas');
  const forced = await rw.kubectl('apply', '--server-side', '--force-conflicts', '-f', file);
  t.equal(forced.code, 0, forced.stderr);
  t.equal((await rw.kubectl('get', 'deploy', 'api', '-o', 'jsonpath={.spec.replicas}')).stdout, '1');
});

t.test('a Service may not list one port number twice for the same protocol', async (t) => {
  const service = (second: string) => `apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  selector: {app: dns}
  ports: [{name: dns-tcp, port: 53}, {name: dns-other, port: 53${second}}]
`;
  const twice = await applyText(service(''));
  t.equal(twice.code, 1);
  t.match(twice.stderr, /The Service "dns" is invalid: spec\.ports\[1\]: Duplicate value: .*53/);
  const udp = await applyText(service(', protocol: UDP'));
  t.equal(udp.code, 0, udp.stderr);
});

t.test('moving from client-side to server-side apply: diff and apply --server-side need no --force-conflicts', async (t) => {
  // The tree was applied client-side (kubectl-client-side-apply owns its fields). A Secret's
  // stringData was owned as data, and the fields the last-applied-configuration names may be taken
  // over by manager "kubectl", as kube-apiserver's lastAppliedManager allows. What changes is only
  // that annotation, rewritten to the server-side applied configuration (lastAppliedUpdater).
  const same = await rw.kubectl('diff', '--server-side', '-f', APP, '-R');
  t.equal(same.stderr, '');
  t.equal(same.code, 1);
  const changedLines = same.stdout.split('\n').filter((l) => /^[-+]\s/.test(l));
  t.ok(changedLines.length > 0 && changedLines.every((l) => /^[-+]\s+\{"apiVersion":/.test(l)), changedLines.join('\n'));
  const changed = rw.file('web-ssa.yaml', readFileSync(`${APP}/02-deployment.yaml`, 'utf8').replace('image: nginx:1.25', 'image: nginx:1.27'));
  const diff = await rw.kubectl('diff', '--server-side', '-f', changed);
  t.equal(diff.code, 1, diff.stderr);
  t.match(diff.stdout, /^\+\s+image: nginx:1\.27$/m);
  const applied = await rw.kubectl('apply', '--server-side', '-f', changed);
  t.equal(applied.code, 0, applied.stderr);
  t.equal((await rw.kubectl('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}')).stdout, 'nginx:1.27');
  // A field the last-applied configuration never set is still a conflict.
  t.equal((await rw.kubectl('annotate', 'deploy', 'web', 'team=core')).code, 0);
  const other = rw.file('web-team.yaml', readFileSync(changed, 'utf8').replace('  labels:\n', '  annotations:\n    team: platform\n  labels:\n'));
  const conflict = await rw.kubectl('apply', '--server-side', '-f', other);
  t.equal(conflict.code, 1);
  t.match(conflict.stderr, 'conflict with "kubectl-annotate" using apps/v1: .metadata.annotations.team');
});

t.test('server-side apply by kubectl keeps the last-applied-configuration current for a later client-side apply', async (t) => {
  const configMap = (data: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: flags}
data: {${data}}
`;
  t.equal((await applyText(configMap('a: "1"'))).code, 0);
  t.equal((await rw.kubectl('apply', '--server-side', '-f', '-', { input: configMap('a: "2", b: "3"') })).code, 0);
  const annotation = await rw.kubectl('get', 'cm', 'flags', '-o', 'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}');
  t.equal(annotation.stdout, '{"apiVersion":"v1","data":{"a":"2","b":"3"},"kind":"ConfigMap","metadata":{"name":"flags","namespace":"default"}}\n');
  // Back to client-side apply: b was applied last and is gone from the manifest, so it is removed.
  t.equal((await applyText(configMap('a: "1"'))).code, 0);
  t.equal((await rw.kubectl('get', 'cm', 'flags', '-o', 'jsonpath={.data}')).stdout, '{"a":"1"}');
});

t.test("a namespace's LimitRange gives pods their default requests and limits, so its ResourceQuota admits them", async (t) => {
  const r = await applyText(`apiVersion: v1
kind: Namespace
metadata: {name: team-a}
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: team-a}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: quota, namespace: team-a}
spec:
  hard: {requests.cpu: "4", requests.memory: 8Gi}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: team-a}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - {name: api, image: nginx:1.25}
      - {name: sidecar, image: busybox:1.36, resources: {limits: {memory: 64Mi}}}
`);
  t.equal(r.code, 0, r.stderr);
  // SetDefaults_LimitRangeItem: the default limit stands in for a missing default request.
  const range = await rw.kubectl('get', 'limitrange', 'defaults', '-n', 'team-a', '-o', 'jsonpath={.spec.limits[0].defaultRequest}');
  t.equal(range.stdout, '{"cpu":"100m","memory":"256Mi"}');
  const rollout = await rw.kubectl('rollout', 'status', 'deploy/api', '-n', 'team-a', '--timeout=60s');
  t.equal(rollout.code, 0, rollout.stderr);
  const pods = await rw.kubectl('get', 'pods', '-n', 'team-a', '-l', 'app=api', '-o', 'json');
  const pod = JSON.parse(pods.stdout).items[0];
  t.same(pod.spec.containers.map((c: { resources: unknown }) => c.resources), [
    { limits: { cpu: '500m', memory: '256Mi' }, requests: { cpu: '100m', memory: '256Mi' } },
    // The sidecar's own limit is its request (SetDefaults_Pod) before the range fills the rest.
    { limits: { cpu: '500m', memory: '64Mi' }, requests: { cpu: '100m', memory: '64Mi' } },
  ]);
  t.equal(
    pod.metadata.annotations['kubernetes.io/limit-ranger'],
    'LimitRanger plugin set: cpu, memory request for container api; cpu, memory limit for container api; cpu request for container sidecar; cpu limit for container sidecar',
  );
});

t.test("a namespace's LimitRange min and max refuse pods outside them, as kube-apiserver's LimitRanger does", async (t) => {
  const r = await applyText(`apiVersion: v1
kind: Namespace
metadata: {name: constraints-cpu-example}
---
apiVersion: v1
kind: LimitRange
metadata: {name: cpu-min-max-demo-lr, namespace: constraints-cpu-example}
spec:
  limits:
  - {type: Container, max: {cpu: 800m}, min: {cpu: 200m}}
`);
  t.equal(r.code, 0, r.stderr);
  const tooBig = await applyText(`apiVersion: v1
kind: Pod
metadata: {name: constraints-cpu-demo-2, namespace: constraints-cpu-example}
spec:
  containers:
  - name: constraints-cpu-demo-2-ctr
    image: nginx
    resources: {limits: {cpu: "1.5"}, requests: {cpu: 500m}}
`);
  t.equal(tooBig.code, 1);
  t.equal(
    tooBig.stderr,
    'Error from server (Forbidden): error when creating "STDIN": pods "constraints-cpu-demo-2" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m\n',
  );
  const tooSmall = await rw.kubectl('run', 'tiny', '-n', 'constraints-cpu-example', '--image=nginx', '--overrides={"spec":{"containers":[{"name":"tiny","image":"nginx","resources":{"requests":{"cpu":"100m"},"limits":{"cpu":"800m"}}}]}}');
  t.match(tooSmall.stderr, 'pods "tiny" is forbidden: minimum cpu usage per Container is 200m, but request is 100m');
  t.equal((await rw.kubectl('get', 'pods', '-n', 'constraints-cpu-example', '-o', 'name')).stdout, '', 'nothing was created');
  // A pod that states nothing gets the range's max as its limit and, as the default limit stands in
  // for a missing default request (SetDefaults_LimitRangeItem), as its request too — and runs.
  const plain = await rw.kubectl('run', 'plain', '-n', 'constraints-cpu-example', '--image=nginx');
  t.equal(plain.code, 0, plain.stderr);
  const resources = await rw.kubectl('get', 'pod', 'plain', '-n', 'constraints-cpu-example', '-o', 'jsonpath={.spec.containers[0].resources}');
  t.equal(resources.stdout, '{"limits":{"cpu":"800m"},"requests":{"cpu":"800m"}}');
  // A Deployment asking for too much: its ReplicaSet records why it could not create the pods.
  const deploy = await rw.kubectl('create', 'deployment', 'greedy', '-n', 'constraints-cpu-example', '--image=nginx');
  t.equal(deploy.code, 0, deploy.stderr);
  await rw.kubectl('set', 'resources', 'deployment', 'greedy', '-n', 'constraints-cpu-example', '--limits=cpu=2');
  const failed = await eventually(
    () => rw.kubectl('get', 'events', '-n', 'constraints-cpu-example', '--field-selector', 'reason=FailedCreate', '-o', 'jsonpath={.items[*].message}'),
    (r) => r.stdout.includes('forbidden'),
  );
  const events = failed.stdout;
  t.match(events, /Error creating: pods "greedy-[a-z0-9]+-[a-z0-9]{5}" is forbidden: maximum cpu usage per Container is 800m, but limit is 2/);
});

t.test('a PriorityClass is served, and pods take their priority from it', async (t) => {
  const r = await applyText(`apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 100000
description: "user-facing"
---
apiVersion: v1
kind: Pod
metadata: {name: urgent}
spec:
  priorityClassName: high
  containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]
`);
  t.equal(r.code, 0, r.stderr);
  const table = await rw.kubectl('get', 'pc', 'high');
  t.match(table.stdout, /^NAME\s+VALUE\s+GLOBAL-DEFAULT\s+AGE\s+PREEMPTIONPOLICY\nhigh\s+100000\s+false\s+\S+\s+PreemptLowerPriority\n$/);
  const pod = await rw.kubectl('get', 'pod', 'urgent', '-o', 'jsonpath={.spec.priority} {.spec.preemptionPolicy}');
  t.equal(pod.stdout, '100000 PreemptLowerPriority');
  const typo = await rw.kubectl('run', 'typo', '--image=busybox:1.36', '--overrides={"spec":{"priorityClassName":"hihg"}}');
  t.equal(typo.code, 1);
  t.match(typo.stderr, 'Error from server (Forbidden): pods "typo" is forbidden: no PriorityClass with name hihg was found');
  const big = await applyText('apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: huge}\nvalue: 2000000000\n');
  t.match(big.stderr, 'The PriorityClass "huge" is invalid: value: Forbidden: maximum allowed value of a user defined priority is 1000000000');
  const changed = await rw.kubectl('patch', 'pc', 'high', '--type=merge', '-p', '{"value":5}');
  t.match(changed.stderr, 'The PriorityClass "high" is invalid: value: Forbidden: may not be changed in an update.');
});

t.test('an HPA v2 metric must state the value it targets', async (t) => {
  const r = await applyText(`apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: targetless}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization}}
  - type: Pods
    pods: {metric: {name: requests_per_second}, target: {type: AverageValue}}
`);
  t.equal(r.code, 1);
  t.match(r.stderr, 'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization');
  t.match(r.stderr, 'spec.metrics[1].pods.target.averageValue: Required value: must specify a positive target averageValue');
});

t.test('a server dry run of a new object returns it without a resourceVersion', async (t) => {
  const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: not-yet}\ndata: {a: b}\n';
  const dry = await rw.kubectl('apply', '--dry-run=server', '-o', 'json', '-f', '-', { input: manifest });
  t.equal(dry.code, 0, dry.stderr);
  const obj = JSON.parse(dry.stdout);
  t.equal(obj.metadata.name, 'not-yet');
  t.ok(obj.metadata.uid, 'the dry-run object has its uid');
  t.notOk('resourceVersion' in obj.metadata, 'no revision was written');
  const ssa = await rw.kubectl('apply', '--server-side', '--dry-run=server', '-o', 'json', '-f', '-', { input: manifest });
  t.notOk('resourceVersion' in JSON.parse(ssa.stdout).metadata, 'nor by a server-side apply');
  t.equal((await rw.kubectl('get', 'cm', 'not-yet')).code, 1);
});

t.test('a kustomization: apply -k, wait for it, diff -k finds nothing; delete -f DIR --wait empties the tree', async (t) => {
  const dir = `${MANIFESTS}kustomize`;
  const applied = await rw.kubectl('apply', '-k', dir);
  t.equal(applied.code, 0, applied.stderr);
  t.match(applied.stdout, /^deployment\.apps\/stg-api created$/m);
  const ready = await rw.kubectl('wait', '--for=condition=Available', 'deploy/stg-api', '-n', 'staging', '--timeout=60s');
  t.equal(ready.code, 0, ready.stderr);
  const replicas = await rw.kubectl('get', 'deploy', 'stg-api', '-n', 'staging', '-o', 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image}');
  t.equal(replicas.stdout, '2 example/api:2.1.0');
  const diff = await rw.kubectl('diff', '-k', dir);
  t.equal(diff.code, 0, diff.stdout);

  const deleted = await rw.kubectl('delete', '-f', APP, '-R', '--wait', '--timeout=60s');
  t.equal(deleted.code, 0, deleted.stderr);
  const gone = await rw.kubectl('wait', '--for=delete', 'pod/db-0', '--timeout=60s');
  t.equal(gone.code, 0, gone.stderr);
  t.equal((await rw.kubectl('get', 'deploy,sts,svc,cm', '-l', 'app.kubernetes.io/name=web', '-o', 'name')).stdout, '');
});

t.test("pod warnings: a duplicate env var or port is a Warning, and --warnings-as-errors fails on it", async (t) => {
  const deployment = (extra: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: warned}
spec:
  selector: {matchLabels: {app: warned}}
  template:
    metadata: {labels: {app: warned}}
    spec:
      containers:
      - name: app
        image: nginx:1.25
        env: [{name: LOG_LEVEL, value: info}, {name: PATH_EXTRA, value: /opt}, {name: LOG_LEVEL, value: debug}${extra}]
        ports: [{containerPort: 8080}]
      - name: sidecar
        image: busybox:1.36
        ports: [{containerPort: 8080}]
`;
  const strict = await rw.kubectl('apply', '--warnings-as-errors', '-f', '-', { input: deployment('') });
  t.equal(strict.code, 1);
  t.match(strict.stderr, 'Warning: spec.template.spec.containers[0].env[2]: hides previous definition of "LOG_LEVEL", which may be dropped when using apply');
  t.match(strict.stderr, 'Warning: spec.template.spec.containers[1].ports[0]: duplicate port definition with spec.template.spec.containers[0].ports[0]');
  // Building on the earlier value ("$(PATH_EXTRA):…") is how a repeated name is meant to be used.
  const built = await applyText(deployment(', {name: PATH_EXTRA, value: "$(PATH_EXTRA):/usr/local"}'));
  t.equal(built.code, 0, built.stderr);
  t.notMatch(built.stderr, 'PATH_EXTRA');
});
