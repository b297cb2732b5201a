// kubectl debug as kubernetes.io's "Debug Running Pods" walks it: an ephemeral debug container with
// an interactive shell (-it, --target), one that runs a command, the "Ephemeral Containers:" section
// of describe, exec into a debug container, a node's debugging pod and a debugging copy of a pod.
import t from 'tap';
import { eventually } from './eventually.ts';
import { startRewind } from './harness.ts';

const rw = await startRewind(t);
const json = async (...args: string[]) => JSON.parse((await rw.kubectl('get', ...args, '-o', 'json')).stdout);

interface EphemeralStatus {
  name: string;
  state: { running?: unknown; terminated?: { exitCode: number; reason: string } };
}
const ephemeralStatus = async (name: string): Promise<EphemeralStatus | undefined> =>
  ((await json('pod', 'web-0')).status.ephemeralContainerStatuses as EphemeralStatus[] | undefined)?.find((s) => s.name === name);

const web = 'apiVersion: v1\nkind: Pod\nmetadata: {name: web-0, labels: {app: web}}\nspec:\n  containers: [{name: web, image: "nginx:1.27", ports: [{containerPort: 80}]}]\n';
await rw.kubectl('apply', '-f', rw.file('web-0.yaml', web));
await rw.kubectl('wait', '--for=condition=Ready', 'pod/web-0', '--timeout=60s');

t.test('kubectl debug -it --target: a busybox shell in the pod, ended by exit, the pod running on', async (t) => {
  // PATCH pods/web-0/ephemeralcontainers was a 405.
  const r = await rw.kubectl('debug', '-it', 'web-0', '--image=busybox:1.36', '--target=web', { input: 'hostname\necho in $HOSTNAME\nexit 4\n' });
  t.equal(r.code, 0, r.stderr);
  const name = /^Defaulting debug container name to (debugger-[a-z0-9]{5})\.$/m.exec(r.stdout)?.[1] ?? '';
  t.ok(name, r.stdout);
  t.match(r.stdout, /\nweb-0\nin web-0\n$/, 'the shell shares the pod\'s hostname');
  t.match(r.stdout, /^Targeting container "web"\. /);
  const spec = (await json('pod', 'web-0')).spec.ephemeralContainers;
  t.match(spec, [{ name, image: 'busybox:1.36', stdin: true, tty: true, targetContainerName: 'web', imagePullPolicy: 'IfNotPresent' }]);
  const ended = await eventually(async () => ({ code: 0, stdout: JSON.stringify(await ephemeralStatus(name)), stderr: '' }), (x) => x.stdout.includes('terminated'));
  t.match(JSON.parse(ended.stdout), { name, state: { terminated: { exitCode: 4, reason: 'Error' } } }, 'the debug container ends with its shell');
  t.match((await rw.kubectl('get', 'pod', 'web-0', '--no-headers')).stdout, /^web-0\s+1\/1\s+Running\s+0\s/, 'not counted, not restarted');
});

t.test('kubectl debug -- sleep 1d: a running debug container, shown by describe, reached by exec', async (t) => {
  const r = await rw.kubectl('debug', 'web-0', '--image=busybox:1.36', '-c', 'sleeper', '--', 'sleep', '1d');
  t.equal(r.code, 0, r.stderr);
  const exec = await eventually(() => rw.kubectl('exec', 'web-0', '-c', 'sleeper', '--', 'hostname'), (x) => x.code === 0);
  t.same(exec, { code: 0, stdout: 'web-0\n', stderr: '' });
  const describe = (await rw.kubectl('describe', 'pod', 'web-0')).stdout;
  const section = describe.slice(describe.indexOf('Ephemeral Containers:'), describe.indexOf('Conditions:'));
  t.match(section, /^Ephemeral Containers:\n/);
  t.match(section, /\n  sleeper:\n    Container ID:\s+containerd:\/\/[0-9a-f]+\n    Image:\s+busybox:1\.36\n[\s\S]*    Command:\n      sleep\n      1d\n    State:\s+Running\n/);
  t.match(describe, /Normal\s+Started\s+\S+\s+kubelet\s+Started container sleeper\n/);
  const yaml = (await rw.kubectl('get', 'pod', 'web-0', '-o', 'yaml')).stdout;
  t.match(yaml, /\n  ephemeralContainers:\n[\s\S]*    name: sleeper\n/);
});

t.test('kubectl debug node/NAME -it: a pod on the node, in its network, ended by exit', async (t) => {
  const r = await rw.kubectl('debug', 'node/node-2', '-it', '--image=busybox:1.36', { input: 'hostname\nexit\n' });
  t.equal(r.code, 0, r.stderr);
  const pod = /^Creating debugging pod (node-debugger-node-2-[a-z0-9]{5}) with container debugger on node node-2\.$/m.exec(r.stdout)?.[1] ?? '';
  t.ok(pod, r.stdout);
  t.match(r.stdout, /\nnode-2\n$/, "a host-network pod has the node's hostname");
  const done = await eventually(() => rw.kubectl('get', 'pod', pod, '-o', 'jsonpath={.spec.nodeName} {.spec.hostNetwork} {.status.phase}'), (x) => x.stdout.endsWith('Succeeded'));
  t.equal(done.stdout, 'node-2 true Succeeded');
});

t.test('kubectl debug -it --copy-to --share-processes: a copy of the pod with a debug shell', async (t) => {
  const r = await rw.kubectl('debug', 'web-0', '-it', '--copy-to=web-0-debug', '--share-processes', '--image=busybox:1.36', { input: 'hostname\nexit\n' });
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /\nweb-0-debug\n$/);
  const copy = await json('pod', 'web-0-debug');
  t.equal(copy.spec.shareProcessNamespace, true);
  t.same(copy.spec.containers.map((c: { name: string }) => c.name).slice(0, 1), ['web']);
  t.equal(copy.spec.ephemeralContainers, undefined, 'the copy leaves the ephemeral containers behind');
});
