// issue 5 acceptance, ingress (seed 001) with the real kubectl: an Ingress routing two hosts to two
// services gets the controller's address, and requests — through `rewind curl` from outside and
// `curl` inside a pod — reach a pod of the right service.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import t from 'tap';
import { eventually } from './eventually.ts';
import { startRewind } from './harness.ts';

const rw = await startRewind(t, ['--sim', 'pullMs=0,startMs=0']);
const REWIND = fileURLToPath(new URL('../../bin/rewind', import.meta.url));
const rewind = async (...args: string[]) => {
  try {
    // NODE_OPTIONS reset, as the harness does for the server (tap's loader hooks must not reach the CLI).
    const { stdout, stderr } = await promisify(execFile)('env', ['NODE_OPTIONS=', process.execPath, REWIND, ...args, '--kubeconfig', rw.kubeconfig]);
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

const app = (name: string, image: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
      - name: ${name}
        image: ${image}
        ports:
        - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: ${name}
spec:
  selector:
    app: ${name}
  ports:
  - port: 80
    targetPort: 8080
---
`;

const ingress = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: kubia
spec:
  rules:
  - host: kubia.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: kubia
            port:
              number: 80
  - host: hello.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: hello
            port:
              number: 80
`;

t.test('an ingress routing two hosts', async (t) => {
  t.equal((await rw.kubectl('apply', '-f', rw.file('apps.yaml', app('kubia', 'luksa/kubia') + app('hello', 'google-samples/hello-app:1.0') + ingress))).code, 0);
  t.equal((await rw.kubectl('rollout', 'status', 'deploy/kubia', '--timeout=60s')).code, 0);
  t.equal((await rw.kubectl('rollout', 'status', 'deploy/hello', '--timeout=60s')).code, 0);
  const listed = await eventually(() => rw.kubectl('get', 'ingresses'), (r) => /172\.18\.255\.250/.test(r.stdout));
  // CLASS stays <none>: Rewind's admission has no DefaultIngressClass plugin to fill ingressClassName
  // in; the default class `rewind` serves the ingress all the same.
  t.match(listed.stdout, /kubia\s+<none>\s+kubia\.example\.com,hello\.example\.com\s+172\.18\.255\.250\s+80/);

  const kubiaPod = (await rw.kubectl('get', 'pods', '-l', 'app=kubia', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
  const helloPod = (await rw.kubectl('get', 'pods', '-l', 'app=hello', '-o', 'jsonpath={.items[0].metadata.name}')).stdout;
  const outside = await eventually(() => rewind('curl', 'http://kubia.example.com/'), (r) => r.stdout.includes(kubiaPod));
  t.equal(outside.stdout, `You've hit ${kubiaPod}\n`, outside.stderr);
  const byHeader = await rewind('curl', '-v', 'http://172.18.255.250/', '-H', 'Host: hello.example.com');
  t.match(byHeader.stdout, new RegExp(`Hostname: ${helloPod}`));
  t.match(byHeader.stderr, /ingress default\/kubia rule hello\.example\.com\/ \(Prefix\) → service default\/hello → pod default\//);
  const unknown = await rewind('curl', '-i', 'http://nobody.example.com/');
  t.match(unknown.stdout, /^HTTP\/1\.1 404 Not Found/);

  const inside = await rw.kubectl('exec', kubiaPod, '--', 'curl', '-s', 'http://hello.example.com/');
  t.equal(inside.code, 0, inside.stderr);
  t.match(inside.stdout, new RegExp(`Hostname: ${helloPod}`), 'from a pod, the ingress host reaches the other service');
  const byAddress = await rw.kubectl('exec', helloPod, '--', 'curl', '-s', '-H', 'Host: kubia.example.com', 'http://172.18.255.250/');
  t.equal(byAddress.stdout, `You've hit ${kubiaPod}\n`, 'the controller address routes by the Host header');
});
