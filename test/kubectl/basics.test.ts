// issue 3 acceptance: version, api-resources, cluster-info, explain, and the `create` generators of
// seed 000 (kubectl 1.32 sends those bodies as protobuf).
import t from 'tap';
import { startRewind } from './harness.ts';

const rw = await startRewind(t, ['--controllers=']);

t.test('version reports the server as 1.32', async (t) => {
  const r = await rw.kubectl('version');
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /Server Version: v1\.32\./);
});

t.test('api-resources lists kinds with short names and groups', async (t) => {
  const r = await rw.kubectl('api-resources');
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /^pods\s+po\s+v1\s+true\s+Pod$/m);
  t.match(r.stdout, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
  t.match(r.stdout, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
});

t.test('cluster-info names the server', async (t) => {
  const r = await rw.kubectl('cluster-info');
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, `Kubernetes control plane is running at ${rw.url}`);
});

t.test('the system namespaces exist from the first start', async (t) => {
  const r = await rw.kubectl('get', 'ns');
  t.equal(r.code, 0, r.stderr);
  for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) t.match(r.stdout, new RegExp(`^${ns}\\s+Active\\s`, 'm'));
});

t.test('explain pod.spec.containers', async (t) => {
  const r = await rw.kubectl('explain', 'pod.spec.containers');
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /KIND:\s+Pod/);
  t.match(r.stdout, /FIELD:\s+containers/);
  t.match(r.stdout, /image\s/);
});

t.test('create namespace, configmap (literal and file) and deployment', async (t) => {
  const ns = await rw.kubectl('create', 'namespace', 'czm');
  t.equal(ns.stdout.trim(), 'namespace/czm created', ns.stderr);
  const lit = await rw.kubectl('create', 'configmap', 'testmap1', '--from-literal', 'shortname=msb.com', '--from-literal', 'longname=magicsandbox.com');
  t.equal(lit.stdout.trim(), 'configmap/testmap1 created', lit.stderr);
  const file = rw.file('cmfile.txt', 'hello from a file\n');
  const fromFile = await rw.kubectl('create', 'configmap', 'testmap2', '--from-file', file);
  t.equal(fromFile.stdout.trim(), 'configmap/testmap2 created', fromFile.stderr);
  const data = await rw.kubectl('get', 'cm', 'testmap1', '-o', 'jsonpath={.data.shortname} {.data.longname}');
  t.equal(data.stdout, 'msb.com magicsandbox.com');
  const fileData = await rw.kubectl('get', 'cm', 'testmap2', '-o', 'jsonpath={.data.cmfile\\.txt}');
  t.equal(fileData.stdout, 'hello from a file\n');
  const deploy = await rw.kubectl('create', 'deployment', 'hello-minikube', '--image=k8s.gcr.io/echoserver:1.10');
  t.equal(deploy.stdout.trim(), 'deployment.apps/hello-minikube created', deploy.stderr);
  const container = await rw.kubectl('get', 'deploy', 'hello-minikube', '-o', 'jsonpath={.spec.template.spec.containers[0].name}={.spec.template.spec.containers[0].image}');
  t.equal(container.stdout, 'echoserver=k8s.gcr.io/echoserver:1.10');
  const dup = await rw.kubectl('create', 'namespace', 'czm');
  t.equal(dup.code, 1);
  t.match(dup.stderr, 'Error from server (AlreadyExists): namespaces "czm" already exists');
});
