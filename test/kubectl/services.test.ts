// issue 5 acceptance, services and endpoints (seeds 000 and 001), driven by the real kubectl.
import t from 'tap';
import { eventually } from './eventually.ts';
import { startRewind } from './harness.ts';

const rw = await startRewind(t);

const whoami = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: whoami
  labels:
    app: whoami
spec:
  replicas: 5
  selector:
    matchLabels:
      app: whoami
  template:
    metadata:
      labels:
        app: whoami
    spec:
      containers:
      - name: whoami
        image: traefik/whoami
        ports:
        - containerPort: 80
`;

const field = (text: string, name: string) => new RegExp(`^${name}:[ \\t]+(.*)$`, 'm').exec(text)?.[1];

t.test('seed 000: kubectl expose deploy whoami --type=NodePort --port 80, then describe svc and endpoints', async (t) => {
  t.equal((await rw.kubectl('apply', '-f', rw.file('whoami.yaml', whoami))).code, 0);
  t.equal((await rw.kubectl('rollout', 'status', 'deploy/whoami', '--timeout=60s')).code, 0);
  const exposed = await rw.kubectl('expose', 'deploy', 'whoami', '--type=NodePort', '--port', '80');
  t.equal(exposed.stdout, 'service/whoami exposed\n', exposed.stderr);
  const eps = await eventually(() => rw.kubectl('describe', 'endpoints', 'whoami'), (r) => (field(r.stdout, '  Addresses') ?? '').split(',').length === 5);
  const ips = (await rw.kubectl('get', 'pods', '-l', 'app=whoami', '-o', 'jsonpath={.items[*].status.podIP}')).stdout.split(' ').sort();
  t.equal(field(eps.stdout, 'Labels'), 'app=whoami');
  t.match(field(eps.stdout, 'Annotations'), /^endpoints\.kubernetes\.io\/last-change-trigger-time: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  t.equal(field(eps.stdout, '  Addresses'), ips.join(','), 'every pod IP, sorted');
  t.equal(field(eps.stdout, '  NotReadyAddresses'), '<none>');
  t.match(eps.stdout, /^\s+<unset>\s+80\s+TCP$/m);

  const svc = (await rw.kubectl('describe', 'svc', 'whoami')).stdout;
  t.equal(field(svc, 'Selector'), 'app=whoami');
  t.equal(field(svc, 'Type'), 'NodePort');
  t.match(field(svc, 'IP'), /^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$/, 'a cluster IP from 10.96.0.0/12');
  t.equal(field(svc, 'IPs'), field(svc, 'IP'));
  t.equal(field(svc, 'Port'), '<unset>  80/TCP');
  t.equal(field(svc, 'TargetPort'), '80/TCP');
  t.match(field(svc, 'NodePort'), /^<unset>  3\d{4}\/TCP$/);
  t.equal(field(svc, 'Endpoints'), `${ips.slice(0, 3).map((ip) => `${ip}:80`).join(',')} + 2 more...`);
  t.equal(field(svc, 'Session Affinity'), 'None');
  t.equal(field(svc, 'External Traffic Policy'), 'Cluster');

  const slices = await rw.kubectl('get', 'endpointslices', '-l', 'kubernetes.io/service-name=whoami', '-o', 'jsonpath={.items[*].endpoints[*].addresses[0]}');
  t.same(slices.stdout.split(' ').sort(), ips, 'the EndpointSlice lists the same pods');
});

t.test('seed 000: a service selecting app=nginx,run=nginx skips a pod that has only app=nginx', async (t) => {
  const manifests = `apiVersion: v1
kind: Service
metadata:
  name: nginx
spec:
  selector:
    app: nginx
    run: nginx
  ports:
  - port: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: one-label
  labels:
    app: nginx
spec:
  containers:
  - name: nginx
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: four-labels
  labels:
    app: nginx
    run: nginx
    ver: v1
    sta: running
spec:
  containers:
  - name: nginx
    image: nginx
`;
  t.equal((await rw.kubectl('apply', '-f', rw.file('nginx.yaml', manifests))).code, 0);
  t.equal((await rw.kubectl('wait', '--for=condition=Ready', 'pod/one-label', 'pod/four-labels', '--timeout=60s')).code, 0);
  const match = (await rw.kubectl('get', 'pod', 'four-labels', '-o', 'jsonpath={.status.podIP}')).stdout;
  const r = await eventually(() => rw.kubectl('get', 'endpoints', 'nginx', '-o', 'jsonpath={.subsets[*].addresses[*].ip}'), (x) => x.stdout !== '');
  t.equal(r.stdout, match, 'only the pod with both labels');
});

t.test('seed 001: a service without a selector keeps the Endpoints its user wrote', async (t) => {
  const manifests = `apiVersion: v1
kind: Service
metadata:
  name: external-service
spec:
  ports:
  - port: 80
---
apiVersion: v1
kind: Endpoints
metadata:
  name: external-service
subsets:
- addresses:
  - ip: 11.11.11.11
  - ip: 22.22.22.22
  ports:
  - port: 80
`;
  t.equal((await rw.kubectl('apply', '-f', rw.file('external.yaml', manifests))).code, 0);
  await rw.kubectl('label', 'svc', 'external-service', 'touched=yes');
  const r = await rw.kubectl('get', 'endpoints', 'external-service');
  t.match(r.stdout, /external-service\s+11\.11\.11\.11:80,22\.22\.22\.22:80\s/);
});

t.test('seed 000: the kube-dns service as kubectl get svc -n kube-system -l k8s-app=kube-dns shows it', async (t) => {
  const r = await rw.kubectl('get', 'svc', '-n', 'kube-system', '-l', 'k8s-app=kube-dns');
  t.match(r.stdout, /^NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE\nkube-dns\s+ClusterIP\s+10\.96\.0\.10\s+<none>\s+53\/UDP,53\/TCP,9153\/TCP\s+\S+\n$/);
  const k = await rw.kubectl('get', 'svc', 'kubernetes');
  t.match(k.stdout, /kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/);
  t.equal(field((await rw.kubectl('describe', 'svc', 'kubernetes')).stdout, 'Endpoints'), '172.18.0.1:6443');
});

t.test('seed 000: hello-svc asks for nodePort 30001; a second service asking for it is refused', async (t) => {
  const svc = (name: string) => `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  labels:
    app: hello-world
spec:
  type: NodePort
  ports:
  - port: 8080
    nodePort: 30001
    targetPort: 8080
    protocol: TCP
  selector:
    app: hello-world
`;
  t.equal((await rw.kubectl('apply', '-f', rw.file('hello.yaml', svc('hello-svc')))).code, 0);
  t.match((await rw.kubectl('get', 'svc', 'hello-svc')).stdout, /hello-svc\s+NodePort\s+10\.\S+\s+<none>\s+8080:30001\/TCP/);
  const clash = await rw.kubectl('apply', '-f', rw.file('clash.yaml', svc('hello-again')));
  t.not(clash.code, 0);
  t.match(clash.stderr, /Service "hello-again" is invalid: spec\.ports\[0\]\.nodePort: Invalid value: 30001: provided port is already allocated/);
});

t.test('seed 000: LoadBalancer with --external-ip shows it as EXTERNAL-IP; without one, the simulated pool answers', async (t) => {
  const r = await rw.kubectl('expose', 'deploy', 'whoami', '--name=whoami-lb', '--type=LoadBalancer', '--port=80', '--external-ip', '203.0.113.10');
  t.equal(r.code, 0, r.stderr);
  const lb = await rw.kubectl('get', 'svc', 'whoami-lb');
  t.match(lb.stdout, /whoami-lb\s+LoadBalancer\s+10\.\S+\s+203\.0\.113\.10\s+80:3\d{4}\/TCP/);
  await rw.kubectl('expose', 'deploy', 'whoami', '--name=whoami-pool', '--type=LoadBalancer', '--port=80');
  const pooled = await eventually(() => rw.kubectl('get', 'svc', 'whoami-pool', '-o', 'jsonpath={.status.loadBalancer.ingress[0].ip}'), (x) => x.stdout !== '');
  t.equal(pooled.stdout, '172.18.255.200');
});

t.test('seed 001: readiness drives membership — a pod that is never Ready is a NotReadyAddress', async (t) => {
  const pod = (name: string, annotations: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels:
    app: kubia
${annotations}spec:
  containers:
  - name: kubia
    image: luksa/kubia
    ports:
    - containerPort: 8080
---
`;
  const manifests = `${pod('kubia-ready', '')}${pod('kubia-unready', '  annotations:\n    sim.rewind.dev/readiness: fail\n')}apiVersion: v1
kind: Service
metadata:
  name: kubia
spec:
  sessionAffinity: ClientIP
  ports:
  - name: http
    port: 80
    targetPort: 8080
  selector:
    app: kubia
`;
  t.equal((await rw.kubectl('apply', '-f', rw.file('kubia.yaml', manifests))).code, 0);
  const ip = async (name: string) => (await eventually(() => rw.kubectl('get', 'pod', name, '-o', 'jsonpath={.status.podIP}'), (r) => r.stdout !== '')).stdout;
  const [ready, unready] = [await ip('kubia-ready'), await ip('kubia-unready')];
  const eps = await eventually(() => rw.kubectl('describe', 'endpoints', 'kubia'), (r) => field(r.stdout, '  Addresses') === ready && field(r.stdout, '  NotReadyAddresses') === unready);
  t.equal(field(eps.stdout, '  Addresses'), ready);
  t.equal(field(eps.stdout, '  NotReadyAddresses'), unready);
  t.match(eps.stdout, /^\s+http\s+8080\s+TCP$/m);
  t.equal(field((await rw.kubectl('describe', 'svc', 'kubia')).stdout, 'Session Affinity'), 'ClientIP');
});
