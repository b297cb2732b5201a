// issue 5 acceptance, inside a pod (seeds 000 and 001): kubectl exec and logs over the simulated
// container — env from ConfigMaps, $(VAR) in commands, mounted ConfigMap files that follow changes
// while env does not, DNS across namespaces, resolv.conf, exit codes.
import t from 'tap';
import { eventually } from './eventually.ts';
import { startRewind } from './harness.ts';

const rw = await startRewind(t);

const multimap = (given: string, family: string) => `kind: ConfigMap
apiVersion: v1
metadata:
  name: multimap
data:
  given: ${given}
  family: ${family}
`;

/** The env block seed 000's envpod and startup-pod share: FIRSTNAME and LASTNAME from multimap. */
const namesFromMultimap = `    env:
    - name: FIRSTNAME
      valueFrom:
        configMapKeyRef:
          name: multimap
          key: given
    - name: LASTNAME
      valueFrom:
        configMapKeyRef:
          name: multimap
          key: family
`;

const seedPods = `apiVersion: v1
kind: Pod
metadata:
  labels:
    chapter: configmaps
  name: envpod
spec:
  containers:
  - name: ctr1
    image: busybox
    command: ["sleep"]
    args: ["infinity"]
${namesFromMultimap}---
apiVersion: v1
kind: Pod
metadata:
  name: startup-pod
  labels:
    chapter: configmaps
spec:
  restartPolicy: OnFailure
  containers:
  - name: args1
    image: busybox
    command: [ "/bin/sh", "-c", "echo First name $(FIRSTNAME) last name $(LASTNAME)", "wait" ]
${namesFromMultimap}---
apiVersion: v1
kind: Pod
metadata:
  name: cmvol
spec:
  volumes:
  - name: volmap
    configMap:
      name: multimap
  containers:
  - name: ctr
    image: nginx
    volumeMounts:
    - name: volmap
      mountPath: /etc/name
`;

await rw.kubectl('apply', '-f', rw.file('multimap.yml', multimap('Nigel', 'Poulton')));
await rw.kubectl('apply', '-f', rw.file('pods.yml', seedPods));
await rw.kubectl('wait', '--for=condition=Ready', 'pod/envpod', 'pod/cmvol', '--timeout=60s');

t.test('seed 000: kubectl exec envpod -- env shows HOSTNAME and the ConfigMap values', async (t) => {
  const r = await rw.kubectl('exec', 'envpod', '--', 'env');
  t.equal(r.code, 0, r.stderr);
  const names = r.stdout.split('\n').filter((l) => l.includes('NAME'));
  t.same(names, ['HOSTNAME=envpod', 'FIRSTNAME=Nigel', 'LASTNAME=Poulton']);
  t.match(r.stdout, /^KUBERNETES_SERVICE_HOST=10\.96\.0\.1$/m, 'service link variables of the kubernetes service');
});

t.test('seed 000: kubectl logs startup-pod -c args1', async (t) => {
  const r = await eventually(() => rw.kubectl('logs', 'startup-pod', '-c', 'args1'), (x) => x.code === 0);
  t.equal(r.stdout, 'First name Nigel last name Poulton\n', r.stderr);
  const stamped = await rw.kubectl('logs', 'startup-pod', '--timestamps');
  t.match(stamped.stdout, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z First name Nigel last name Poulton\n$/);
});

t.test('seed 000: kubectl exec cmvol -- ls /etc/name; a ConfigMap change reaches the file but not env', async (t) => {
  t.same(await rw.kubectl('exec', 'cmvol', '--', 'ls', '/etc/name'), { code: 0, stdout: 'family\ngiven\n', stderr: '' });
  t.equal((await rw.kubectl('exec', 'cmvol', '--', 'cat', '/etc/name/given')).stdout, 'Nigel');
  t.equal((await rw.kubectl('apply', '-f', rw.file('multimap.yml', multimap('Ada', 'Lovelace')))).code, 0);
  const file = await eventually(() => rw.kubectl('exec', 'cmvol', '--', 'cat', '/etc/name/given'), (r) => r.stdout === 'Ada');
  t.equal(file.stdout, 'Ada', 'the mounted file follows after the sync delay');
  t.equal((await rw.kubectl('exec', 'envpod', '--', 'printenv', 'FIRSTNAME')).stdout, 'Nigel\n', 'env stays as the container started');
});

const ent = (ns: string) => `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: ent
  namespace: ${ns}
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ent
  template:
    metadata:
      labels:
        app: ent
    spec:
      containers:
      - name: web
        image: traefik/whoami
        args: ["--port", "8080"]
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: ent
  namespace: ${ns}
spec:
  selector:
    app: ent
  ports:
  - port: 8080
`;

const jump = `apiVersion: v1
kind: Pod
metadata:
  name: jump
  namespace: dev
spec:
  containers:
  - name: jump
    image: busybox
    command: ["sleep", "infinity"]
`;

t.test('seed 000: from a pod in dev, curl ent:8080 reaches dev, the FQDN reaches prod; resolv.conf', async (t) => {
  for (const ns of ['dev', 'prod']) t.equal((await rw.kubectl('apply', '-f', rw.file(`ent-${ns}.yaml`, ent(ns)))).code, 0);
  await rw.kubectl('apply', '-f', rw.file('jump.yaml', jump));
  for (const ns of ['dev', 'prod']) await rw.kubectl('rollout', 'status', '-n', ns, 'deploy/ent', '--timeout=60s');
  await rw.kubectl('wait', '-n', 'dev', '--for=condition=Ready', 'pod/jump', '--timeout=60s');
  const podsOf = async (ns: string) => (await rw.kubectl('get', 'pods', '-n', ns, '-l', 'app=ent', '-o', 'jsonpath={.items[*].metadata.name}')).stdout.split(' ');
  const [devPods, prodPods] = [await podsOf('dev'), await podsOf('prod')];
  const served = (out: string) => /^Hostname: (\S+)$/m.exec(out)?.[1] ?? '';
  const short = await eventually(() => rw.kubectl('exec', '-n', 'dev', 'jump', '--', 'curl', '-s', 'ent:8080'), (r) => r.code === 0);
  t.ok(devPods.includes(served(short.stdout)), `served by a dev pod: ${short.stdout}${short.stderr}`);
  const fqdn = await rw.kubectl('exec', '-n', 'dev', 'jump', '--', 'curl', '-s', 'ent.prod.svc.cluster.local:8080');
  t.ok(prodPods.includes(served(fqdn.stdout)), `served by a prod pod: ${fqdn.stdout}${fqdn.stderr}`);
  // Round-robin needs both dev pods in the service's endpoints (the endpoints controller may trail the rollout).
  await eventually(() => rw.kubectl('get', 'endpoints', 'ent', '-n', 'dev', '-o', 'jsonpath={.subsets[*].addresses[*].ip}'), (r) => r.stdout.trim().split(' ').length === 2);
  const both = new Set<string>();
  const outputs: string[] = [];
  for (let i = 0; i < 4; i++) {
    const r = await rw.kubectl('exec', '-n', 'dev', 'jump', '--', 'wget', '-qO-', 'ent:8080');
    outputs.push(`${r.code}: ${r.stdout}${r.stderr}`);
    both.add(served(r.stdout));
  }
  t.same([...both].sort(), [...devPods].sort(), `round-robin reaches both dev pods\n${outputs.join('\n')}`);
  const resolv = await rw.kubectl('exec', '-n', 'dev', 'jump', '--', 'cat', '/etc/resolv.conf');
  t.equal(resolv.stdout, 'search dev.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  const lookup = await rw.kubectl('exec', '-n', 'dev', 'jump', '--', 'nslookup', 'ent.prod');
  t.match(lookup.stdout, /^Name:\tent\.prod\.svc\.cluster\.local$/m);
});

t.test('exit codes, stderr, stdin and the not-simulated message reach kubectl', async (t) => {
  const failed = await rw.kubectl('exec', 'envpod', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3');
  t.equal(failed.code, 3);
  t.equal(failed.stdout, 'out\n');
  t.match(failed.stderr, /command terminated with exit code 3/);
  const unknown = await rw.kubectl('exec', 'envpod', '--', 'python3');
  t.equal(unknown.code, 127);
  t.match(unknown.stderr, /^sh: python3: not simulated by Rewind \(see docs\/SIMULATION\.md\)$/m);
  const piped = await rw.kubectl('exec', '-i', 'envpod', '--', 'sh', { input: 'env | grep -c NAME\n' });
  t.equal(piped.stdout, '3\n', piped.stderr);
});

t.test('the log endpoint refuses a missing container name with the apiserver\'s words', async (t) => {
  const two = `apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  containers:
  - name: a
    image: busybox
    command: ["sh", "-c", "echo from a"]
  - name: b
    image: busybox
    command: ["sh", "-c", "echo from b"]
`;
  await rw.kubectl('apply', '-f', rw.file('two.yaml', two));
  const raw = await rw.kubectl('get', '--raw', '/api/v1/namespaces/default/pods/two/log');
  t.match(raw.stderr, /a container name must be specified for pod two, choose one of: \[a b\]/);
  const b = await eventually(() => rw.kubectl('logs', 'two', '-c', 'b'), (r) => r.code === 0);
  t.equal(b.stdout, 'from b\n');
  const missing = await rw.kubectl('logs', 'nosuch');
  t.match(missing.stderr, /pods "nosuch" not found/);
});

t.test('seed 001: an ExternalName service resolves as a CNAME; seed 004: SRV for a named port', async (t) => {
  const manifests = `apiVersion: v1
kind: Service
metadata:
  name: external-service
spec:
  type: ExternalName
  externalName: someapi.somecompany.com
  ports:
  - port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: my-service
  namespace: prod
spec:
  selector:
    app: ent
  ports:
  - name: http
    port: 80
    targetPort: 8080
`;
  t.equal((await rw.kubectl('apply', '-f', rw.file('names.yaml', manifests))).code, 0);
  const cname = await rw.kubectl('exec', 'envpod', '--', 'nslookup', 'external-service');
  t.match(cname.stdout, /^external-service\.default\.svc\.cluster\.local\tcanonical name = someapi\.somecompany\.com$/m);
  const srv = await rw.kubectl('exec', 'envpod', '--', 'nslookup', '-type=SRV', '_http._tcp.my-service.prod');
  t.match(srv.stdout, /^_http\._tcp\.my-service\.prod\.svc\.cluster\.local\tservice = 0 100 80 my-service\.prod\.svc\.cluster\.local$/m);
  const ip = (await rw.kubectl('get', 'svc', '-n', 'prod', 'my-service', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
  t.equal((await rw.kubectl('exec', 'envpod', '--', 'dig', '+short', 'my-service.prod.svc.cluster.local')).stdout, `${ip}\n`);
});

t.test('a StatefulSet behind a headless service: each pod has its own DNS name, the service name lists them', async (t) => {
  const manifests = `apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  clusterIP: None
  selector:
    app: web
  ports:
  - name: web
    port: 80
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: nginx
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - name: web
          containerPort: 80
`;
  t.equal((await rw.kubectl('apply', '-f', rw.file('web-sts.yaml', manifests))).code, 0);
  t.equal((await rw.kubectl('rollout', 'status', 'statefulset/web', '--timeout=90s')).code, 0);
  const ip = (name: string) => rw.kubectl('get', 'pod', name, '-o', 'jsonpath={.status.podIP}').then((r) => r.stdout);
  const [ip0, ip1] = [await ip('web-0'), await ip('web-1')];
  const one = await eventually(() => rw.kubectl('exec', 'envpod', '--', 'nslookup', 'web-0.nginx'), (r) => r.code === 0);
  t.match(one.stdout, new RegExp(`^Name:\\tweb-0\\.nginx\\.default\\.svc\\.cluster\\.local\\nAddress: ${ip0.replace(/\./g, '\\.')}$`, 'm'));
  const all = await eventually(() => rw.kubectl('exec', 'envpod', '--', 'dig', '+short', 'nginx.default.svc.cluster.local'), (r) => r.stdout.split('\n').filter(Boolean).length === 2);
  t.same(all.stdout.split('\n').filter(Boolean).sort(), [ip0, ip1].sort());
  t.equal((await rw.kubectl('exec', 'web-1', '--', 'hostname')).stdout, 'web-1\n');
  t.match((await rw.kubectl('exec', 'web-1', '--', 'cat', '/etc/hosts')).stdout, new RegExp(`${ip1.replace(/\./g, '\\.')}\\tweb-1\\.nginx\\.default\\.svc\\.cluster\\.local\\tweb-1`));
});
