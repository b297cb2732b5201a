// The real kubectl against `rewind serve` for the wire formats: OpenAPI complete enough that
// client-side apply never warns and explain prints docs; server-side apply ownership and conflicts;
// strategic merge, merge and JSON patches as kubectl builds them; protobuf bodies of the create
// generators; server-side tables.
import t from 'tap';
import { startRewind } from './harness.ts';

const rw = await startRewind(t, ['--controllers=']);

const manifest = (replicas: number, image: string, env: string, name = 'web') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: c
        image: ${image}
        ports: [{containerPort: 80}]
        env: [${env}]
`;
const jsonpath = async (args: string[], path: string) => (await rw.kubectl('get', ...args, '-o', `jsonpath=${path}`)).stdout;

t.test('client-side apply computes its patch from our OpenAPI without warnings', async (t) => {
  const file = rw.file('web.yaml', manifest(2, 'nginx:1.25', '{name: A, value: "1"}, {name: B, value: "2"}'));
  const first = await rw.kubectl('apply', '-f', file);
  t.equal(first.stdout.trim(), 'deployment.apps/web created');
  t.equal(first.stderr, '', 'no warning');
  rw.file('web.yaml', manifest(3, 'nginx:1.26', '{name: A, value: "1"}'));
  const second = await rw.kubectl('apply', '-f', file);
  t.equal(second.stdout.trim(), 'deployment.apps/web configured');
  t.equal(second.stderr, '', 'no "error calculating patch from openapi v3 spec" warning');
  t.equal(await jsonpath(['deploy', 'web'], '{.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[*].name}'), '3 nginx:1.26 A');
});

t.test('kubectl patch, set image, label and rollout undo-style JSON patch', async (t) => {
  t.equal((await rw.kubectl('set', 'image', 'deploy/web', 'c=nginx:1.27')).code, 0);
  t.equal(await jsonpath(['deploy', 'web'], '{.spec.template.spec.containers[0].image}'), 'nginx:1.27');
  t.equal((await rw.kubectl('label', 'deploy', 'web', 'tier=fe')).code, 0);
  t.equal((await rw.kubectl('label', 'deploy', 'web', 'tier-')).code, 0);
  t.equal(await jsonpath(['deploy', 'web'], '{.metadata.labels.tier}'), '');
  const bad = await rw.kubectl('patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":99}]');
  t.equal(bad.code, 1);
  t.match(bad.stderr, 'The request is invalid: test operation does not apply: /spec/replicas: test failed');
  const ok = await rw.kubectl('patch', 'deploy', 'web', '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":1}]');
  t.equal(ok.code, 0, ok.stderr);
  t.equal(await jsonpath(['deploy', 'web'], '{.spec.replicas}'), '1');
});

t.test('server-side apply: a field another manager changed conflicts until forced', async (t) => {
  const file = rw.file('ssa.yaml', manifest(4, 'nginx:1.27', '{name: A, value: "1"}', 'ssa'));
  t.equal((await rw.kubectl('apply', '--server-side', '-f', file)).stdout.trim(), 'deployment.apps/ssa serverside-applied');
  t.equal((await rw.kubectl('apply', '--server-side', '-f', file)).code, 0, 're-applying the same config is no conflict');
  await rw.kubectl('patch', 'deploy', 'ssa', '-p', '{"spec":{"replicas":5}}');
  const conflict = await rw.kubectl('apply', '--server-side', '-f', file);
  t.equal(conflict.code, 1);
  t.match(conflict.stderr, 'Apply failed with 1 conflict: conflict with "kubectl-patch" using apps/v1: .spec.replicas');
  const forced = await rw.kubectl('apply', '--server-side', '--force-conflicts', '-f', file);
  t.equal(forced.code, 0, forced.stderr);
  t.equal(await jsonpath(['deploy', 'ssa'], '{.spec.replicas}'), '4');
  t.equal(await jsonpath(['deploy', 'ssa'], '{.metadata.managedFields[*].manager}'), 'kubectl', 'the patcher lost its only field');
  rw.file('ssa.yaml', manifest(4, 'nginx:1.27', '', 'ssa'));
  t.equal((await rw.kubectl('apply', '--server-side', '-f', file)).code, 0);
  t.equal(await jsonpath(['deploy', 'ssa'], '{.spec.template.spec.containers[0].env[*].name}'), '', 'an env var the manager stopped applying is removed');
});

t.test('create generators send protobuf; the objects arrive intact', async (t) => {
  const rows: [string[], string[], string, string][] = [
    // [command, get args, jsonpath, expected]
    [['create', 'configmap', 'cfg', '--from-literal=greeting=hello world'], ['cm', 'cfg'], '{.data.greeting}', 'hello world'],
    [['create', 'secret', 'generic', 'db', '--from-literal=password=p4ss'], ['secret', 'db'], '{.type} {.data.password}', 'Opaque cDRzcw=='],
    [['create', 'deployment', 'echo', '--image=registry.k8s.io/echoserver:1.10', '--replicas=2', '--port=8080'], ['deploy', 'echo'],
      '{.spec.replicas} {.spec.template.spec.containers[0].name} {.spec.template.spec.containers[0].ports[0].containerPort}', '2 echoserver 8080'],
    [['create', 'service', 'clusterip', 'echo', '--tcp=80:8080'], ['svc', 'echo'], '{.spec.ports[0].port}:{.spec.ports[0].targetPort}', '80:8080'],
    [['create', 'job', 'pi', '--image=perl:5.34', '--', 'perl', '-e', 'print 1'], ['job', 'pi'], '{.spec.template.spec.containers[0].command[*]}', 'perl -e print 1'],
    [['create', 'cronjob', 'hello', '--image=busybox', '--schedule=*/5 * * * *'], ['cj', 'hello'], '{.spec.schedule}', '*/5 * * * *'],
    [['create', 'serviceaccount', 'builder'], ['sa', 'builder'], '{.metadata.name}', 'builder'],
    [['create', 'ingress', 'web', '--rule=a.example.com/api*=echo:80'], ['ing', 'web'], '{.spec.rules[0].host}{.spec.rules[0].http.paths[0].path}', 'a.example.com/api'],
    [['create', 'quota', 'q', '--hard=pods=10'], ['quota', 'q'], '{.spec.hard.pods}', '10'],
    [['create', 'role', 'reader', '--verb=get', '--resource=pods'], ['role', 'reader'], '{.rules[0].verbs[0]} {.rules[0].resources[0]}', 'get pods'],
    [['create', 'rolebinding', 'rb', '--role=reader', '--user=alice'], ['rolebinding', 'rb'], '{.roleRef.name} {.subjects[0].name}', 'reader alice'],
    [['create', 'pdb', 'p', '--selector=app=web', '--min-available=1'], ['pdb', 'p'], '{.spec.minAvailable}', '1'],
    [['autoscale', 'deploy', 'echo', '--max=5', '--cpu-percent=80'], ['hpa', 'echo'], '{.spec.maxReplicas}', '5'],
    [['create', 'namespace', 'dev'], ['ns', 'dev'], '{.metadata.name}', 'dev'],
  ];
  for (const [cmd, get, path, want] of rows) {
    const created = await rw.kubectl(...cmd);
    t.equal(created.code, 0, `${cmd.join(' ')}: ${created.stderr}`);
    t.equal(await jsonpath(get, path), want, cmd.slice(0, 3).join(' '));
  }
});

t.test('explain prints field docs from the OpenAPI schemas', async (t) => {
  const r = await rw.kubectl('explain', 'deployment.spec.template.spec.containers.ports');
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /GROUP:\s+apps/);
  t.match(r.stdout, /FIELD: ports <\[\]ContainerPort>/);
  t.match(r.stdout, /containerPort\s+<integer> -required-/);
});

t.test('tables: wide columns and kubectl-added columns from row objects', async (t) => {
  const svc = await rw.kubectl('get', 'svc', 'echo', '-o', 'wide');
  t.match(svc.stdout, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\s+SELECTOR\n/);
  t.match(svc.stdout, /echo\s+ClusterIP\s+\S+\s+<none>\s+80\/TCP\s+\S+\s+app=echo/);
  const deploy = await rw.kubectl('get', 'deploy', '-A', '--show-labels');
  t.match(deploy.stdout, /^NAMESPACE\s+NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+LABELS\n/);
  t.match(deploy.stdout, /default\s+echo\s+0\/2\s+0\s+0\s+\S+\s+app=echo/);
  const cm = await rw.kubectl('get', 'cm', 'cfg');
  t.match(cm.stdout, /cfg\s+1\s+\S+/);
});
