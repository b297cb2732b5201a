// issue 3 acceptance: describe for pod, deployment, service, endpoints, configmap, node, namespace.
import t from 'tap';
import { startRewind } from './harness.ts';

const rw = await startRewind(t, ['--controllers=']);

const manifests = `apiVersion: v1
kind: Node
metadata:
  name: node-a
  labels:
    kubernetes.io/hostname: node-a
---
apiVersion: v1
kind: Pod
metadata:
  name: web-pod
  labels:
    app: web
spec:
  containers:
  - name: web
    image: nginx
    ports:
    - containerPort: 80
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
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
      - name: web
        image: nginx
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
    targetPort: 80
---
apiVersion: v1
kind: Endpoints
metadata:
  name: manual
subsets:
- addresses:
  - ip: 10.0.0.7
  ports:
  - port: 80
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  color: blue
`;
const applied = await rw.kubectl('apply', '-f', rw.file('all.yaml', manifests));
t.equal(applied.code, 0, applied.stderr);

const cases: [string[], RegExp[]][] = [
  [['pod', 'web-pod'], [/^Name:\s+web-pod$/m, /^Namespace:\s+default$/m, /^Labels:\s+app=web$/m, /Port:\s+80\/TCP/]],
  [['deployment', 'web'], [/^Name:\s+web$/m, /^Replicas:\s+2 desired/m, /^Selector:\s+app=web$/m]],
  [['service', 'web'], [/^Name:\s+web$/m, /^Selector:\s+app=web$/m, /^Port:\s+<unset>\s+80\/TCP$/m]],
  [['endpoints', 'manual'], [/^Name:\s+manual$/m, /10\.0\.0\.7/]],
  [['configmap', 'settings'], [/^Name:\s+settings$/m, /^color:$/m, /^blue$/m]],
  [['node', 'node-a'], [/^Name:\s+node-a$/m, /kubernetes\.io\/hostname=node-a/]],
  [['namespace', 'default'], [/^Name:\s+default$/m, /^Status:\s+Active$/m]],
];

for (const [args, patterns] of cases) {
  t.test(`describe ${args.join(' ')}`, async (t) => {
    const r = await rw.kubectl('describe', ...args);
    t.equal(r.code, 0, r.stderr);
    for (const p of patterns) t.match(r.stdout, p);
  });
}
