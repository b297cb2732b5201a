// A new user's first hour with the real kubectl: commands a learner types after the seed tutorials,
// each checked against what a real v1.32 cluster prints. One server for the file; every case uses
// its own objects.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRewind } from './harness.ts';

const rw = await startRewind(t);
const fixture = (name: string) => readFileSync(new URL(`./first-hour/${name}`, import.meta.url), 'utf8');
const json = async (...args: string[]) => JSON.parse((await rw.kubectl('get', ...args, '-o', 'json')).stdout);

t.test('create job --from=cronjob copies a rich pod template through protobuf', async (t) => {
  t.equal((await rw.kubectl('apply', '-f', rw.file('nightly.yaml', fixture('rich-cronjob.yaml')))).code, 0);
  const r = await rw.kubectl('create', 'job', 'manual', '--from=cronjob/nightly');
  t.same(r, { code: 0, stdout: 'job.batch/manual created\n', stderr: '' });
  const cronjob = await json('cronjob', 'nightly');
  const job = await json('job', 'manual');
  t.same(job.spec.template.spec, cronjob.spec.jobTemplate.spec.template.spec, 'the pod spec arrives whole');
  t.same(job.metadata.labels, { team: 'data' });
  t.same(job.metadata.annotations, { 'cronjob.kubernetes.io/instantiate': 'manual' });
  t.match(job.metadata.ownerReferences, [{ kind: 'CronJob', name: 'nightly', uid: cronjob.metadata.uid, controller: true }]);
});

t.test('a kind: List file (get -o yaml > f) deletes, creates and re-applies', async (t) => {
  // kubectl validates a List client-side against /openapi/v2 (v3 has no List): a 404 there failed
  // every command with "error validating data: the server could not find the requested resource".
  await rw.kubectl('create', 'configmap', 'list-a', '--from-literal=k=a');
  await rw.kubectl('create', 'configmap', 'list-b', '--from-literal=k=b');
  const list = (await rw.kubectl('get', 'configmap', 'list-a', 'list-b', '-o', 'yaml')).stdout;
  t.match(list, /^apiVersion: v1\nitems:/);
  t.notMatch(list, /generation:/, 'a ConfigMap has no metadata.generation');
  const saved = rw.file('list.yaml', list);
  t.same(await rw.kubectl('delete', '-f', saved), { code: 0, stdout: 'configmap "list-a" deleted\nconfigmap "list-b" deleted\n', stderr: '' });
  t.same(await rw.kubectl('create', '-f', saved), { code: 0, stdout: 'configmap/list-a created\nconfigmap/list-b created\n', stderr: '' });

  const edited = rw.file('edited.yaml', list.replace(/\n\s+(resourceVersion|uid|creationTimestamp): .*/g, '').replace('k: b', 'k: c'));
  const first = await rw.kubectl('apply', '-f', edited);
  t.equal(first.stdout, 'configmap/list-a configured\nconfigmap/list-b configured\n');
  t.match(first.stderr, /Warning: resource configmaps\/list-a is missing the kubectl.kubernetes.io\/last-applied-configuration annotation/);
  t.equal((await rw.kubectl('get', 'configmap', 'list-b', '-o', 'jsonpath={.data.k}')).stdout, 'c');
  t.same(await rw.kubectl('apply', '-f', edited), { code: 0, stdout: 'configmap/list-a unchanged\nconfigmap/list-b unchanged\n', stderr: '' });
});

t.test('an unknown kind or apiVersion gets kubectl\'s "no matches for kind"', async (t) => {
  const typo = rw.file('typo.yaml', 'apiVersion: v1\nkind: Pood\nmetadata:\n  name: p\n');
  t.same(await rw.kubectl('apply', '-f', typo), {
    code: 1, stdout: '',
    stderr: `error: resource mapping not found for name: "p" namespace: "" from "${typo}": no matches for kind "Pood" in version "v1"\nensure CRDs are installed first\n`,
  });
  const v2 = rw.file('v2.yaml', 'apiVersion: apps/v2\nkind: Deployment\nmetadata:\n  name: d\n');
  t.match(await rw.kubectl('create', '-f', v2), { code: 1, stderr: /no matches for kind "Deployment" in version "apps\/v2"/ });
});

t.test('kubectl run with a command that ends: Completed, Error, CrashLoopBackOff, and run -i --rm', async (t) => {
  // A container whose command the simulation can follow ends as that program would
  // (controllers/container/lifetime.ts); before, every such pod ran forever.
  await rw.kubectl('run', 'hi', '--image=busybox', '--restart=Never', '--', 'echo', 'hello');
  await rw.kubectl('run', 'bad', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo oops; exit 3');
  await rw.kubectl('run', 'again', '--image=busybox', '--', 'echo', 'again');
  await rw.kubectl('run', 'nap', '--image=busybox', '--restart=Never', '--', 'sleep', '3600');
  const wait = (pod: string, jsonpath: string) => rw.kubectl('wait', `--for=jsonpath=${jsonpath}`, `pod/${pod}`, '--timeout=60s');
  t.equal((await wait('hi', '{.status.phase}=Succeeded')).code, 0);
  t.equal((await wait('bad', '{.status.phase}=Failed')).code, 0);
  t.equal((await wait('again', '{.status.containerStatuses[0].state.waiting.reason}=CrashLoopBackOff')).code, 0);
  t.equal((await wait('nap', '{.status.phase}=Running')).code, 0);
  const table = (await rw.kubectl('get', 'pods', 'hi', 'bad', 'nap', '--no-headers')).stdout;
  t.match(table, /^hi\s+0\/1\s+Completed\s+0\s/m);
  t.match(table, /^bad\s+0\/1\s+Error\s+0\s/m);
  t.match(table, /^nap\s+1\/1\s+Running\s+0\s/m, 'sleep 3600 is still asleep');
  t.equal((await rw.kubectl('get', 'pod', 'bad', '-o', 'jsonpath={.status.containerStatuses[0].state.terminated.exitCode}')).stdout, '3');
  t.same(await rw.kubectl('logs', 'hi'), { code: 0, stdout: 'hello\n', stderr: '' });
  t.same(await rw.kubectl('logs', 'again'), { code: 0, stdout: 'again\n', stderr: '' }, 'a container in back-off shows its last run');

  const once = await rw.kubectl('run', 'once', '-i', '--rm', '--image=busybox', '--restart=Never', '--', 'echo', 'hello');
  t.same(once, { code: 0, stdout: 'hello\npod "once" deleted\n', stderr: '' });
});

t.test('auth whoami and auth can-i --list', async (t) => {
  // Both were 404s: kubectl printed "the selfsubjectreviews API is not enabled in the cluster" and
  // "the server could not find the requested resource".
  t.same(await rw.kubectl('auth', 'whoami'), { code: 0, stdout: 'ATTRIBUTE   VALUE\nUsername    system:anonymous\nGroups      [system:unauthenticated]\n', stderr: '' });
  const open = await rw.kubectl('auth', 'can-i', '--list');
  t.equal(open.code, 0);
  t.match(open.stdout, /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs\n\*\.\*\s+\[\]\s+\[\]\s+\[\*\]\n\s+\[\*\]\s+\[\]\s+\[\*\]\n$/, 'open mode: everything');

  // A token user bound to `edit` in one namespace: the rules RBAC gives it there, and not elsewhere.
  const dir = mkdtempSync(join(tmpdir(), 'rewind-first-hour-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const tokens = join(dir, 'tokens.csv');
  writeFileSync(tokens, 'root-token,root,u0,"system:masters"\nbob-token,bob,u2,"devs"\n');
  const secure = await startRewind(t, ['--tls', '--token-auth-file', tokens]);
  const binding = 'apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n' +
    'metadata: {name: bob-edit, namespace: team}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}\n' +
    'subjects: [{kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}]\n';
  t.equal((await secure.kubectl('--token', 'root-token', 'apply', '-f', secure.file('rbac.yaml', binding))).code, 0);
  const who = await secure.kubectl('--token', 'bob-token', 'auth', 'whoami');
  t.match(who.stdout, /^Username\s+bob$/m);
  t.match(who.stdout, /^UID\s+u2$/m);
  t.match(who.stdout, /^Groups\s+\[devs system:authenticated\]$/m);
  const inTeam = await secure.kubectl('--token', 'bob-token', 'auth', 'can-i', '--list', '-n', 'team');
  t.equal(inTeam.code, 0, inTeam.stderr);
  const deployments = /^deployments\.apps\s+\[\]\s+\[\]\s+\[(.*)\]$/m.exec(inTeam.stdout)?.[1].split(' ').sort();
  t.same(deployments, ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'], 'edit: read and write deployments');
  t.match(inTeam.stdout, /^selfsubjectreviews\.authentication\.k8s\.io\s+\[\]\s+\[\]\s+\[create\]$/m);
  const elsewhere = await secure.kubectl('--token', 'bob-token', 'auth', 'can-i', '--list', '-n', 'default');
  t.notMatch(elsewhere.stdout, /deployments/, 'edit is bound in team only');
  t.match(elsewhere.stdout, /selfsubjectaccessreviews\.authorization\.k8s\.io/);
});

t.test('kubectl run -i --rm -- sh: a debug shell over attach, its exit ending the pod', async (t) => {
  // pods/attach answered "Upgrade request required": kubectl fell back to logs and timed out.
  await rw.kubectl('create', 'deployment', 'dns-target', '--image=nginx');
  await rw.kubectl('expose', 'deployment', 'dns-target', '--port=80');
  const debug = await rw.kubectl('run', 'debug', '-i', '--rm', '--image=busybox', '--restart=Never', '--', 'sh', { input: 'nslookup dns-target\necho bye\n' });
  t.equal(debug.code, 0, debug.stderr);
  t.match(debug.stdout, /^Server:\s+10\.96\.0\.10\n[\s\S]*Name:\s+dns-target\.default\.svc\.cluster\.local\nAddress: 10\.\d+\.\d+\.\d+\n[\s\S]*bye\npod "debug" deleted\n$/);
  const failed = await rw.kubectl('run', 'oops', '-i', '--image=busybox', '--restart=Never', '--', 'sh', { input: 'exit 3\n' });
  t.equal(failed.code, 3, 'kubectl run returns the container\'s exit code');
  t.match(failed.stderr, /pod default\/oops terminated \(Error\)/);
  t.match((await rw.kubectl('get', 'pod', 'oops', '--no-headers')).stdout, /^oops\s+0\/1\s+Error\s+0\s/);
});

t.test('kubectl cp copies a file and a mounted directory out of a pod', async (t) => {
  // tar was not simulated, so kubectl cp failed with exit code 127.
  await rw.kubectl('create', 'configmap', 'cp-conf', '--from-literal=app.conf=port=80', '--from-literal=mode=debug');
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata: {name: cp-src}\nspec:\n  volumes: [{name: v, configMap: {name: cp-conf}}]\n' +
    '  containers: [{name: c, image: nginx, volumeMounts: [{name: v, mountPath: /etc/conf}]}]\n';
  await rw.kubectl('apply', '-f', rw.file('cp-src.yaml', pod));
  t.equal((await rw.kubectl('wait', '--for=condition=Ready', 'pod/cp-src', '--timeout=60s')).code, 0);
  const out = join(rw.dir, 'conf');
  t.match(await rw.kubectl('cp', 'cp-src:/etc/conf', out), { code: 0 });
  t.equal(readFileSync(join(out, 'app.conf'), 'utf8'), 'port=80');
  t.equal(readFileSync(join(out, 'mode'), 'utf8'), 'debug');
  t.match(await rw.kubectl('cp', 'cp-src:/etc/hostname', join(rw.dir, 'hostname')), { code: 0 });
  t.equal(readFileSync(join(rw.dir, 'hostname'), 'utf8'), 'cp-src\n');
});

t.test('kubectl get cs (componentstatuses, deprecated but served by 1.32)', async (t) => {
  t.same(await rw.kubectl('get', 'cs'), {
    code: 0,
    stdout: 'NAME                 STATUS    MESSAGE   ERROR\ncontroller-manager   Healthy   ok        \nscheduler            Healthy   ok        \netcd-0               Healthy   ok        \n',
    stderr: 'Warning: v1 ComponentStatus is deprecated in v1.19+\n',
  });
  t.match(await rw.kubectl('get', 'componentstatus', 'scheduler', '-o', 'jsonpath={.conditions[0].type}={.conditions[0].status}'), { code: 0, stdout: 'Healthy=True' });
  t.match(await rw.kubectl('delete', 'cs', 'scheduler'), { code: 1, stderr: /MethodNotAllowed/ });
});

t.test('replicas beyond int32 are refused as Go\'s decoder refuses them, and change nothing', async (t) => {
  // They were stored, and the replica set controller then created pods without end.
  await rw.kubectl('create', 'deployment', 'huge', '--image=nginx');
  const before = (await rw.kubectl('get', 'deployment', 'huge', '-o', 'jsonpath={.metadata.resourceVersion}')).stdout;
  t.same(await rw.kubectl('scale', 'deployment', 'huge', '--replicas=99999999999'), {
    code: 1,
    stdout: '',
    stderr: 'Error from server (BadRequest): Scale in version "v1" cannot be handled as a Scale: json: cannot unmarshal number 99999999999 into Go struct field ScaleSpec.spec.replicas of type int32\n',
  });
  t.match(await rw.kubectl('patch', 'deployment', 'huge', '-p', '{"spec":{"replicas":99999999999}}'), {
    code: 1,
    stderr: /cannot unmarshal number 99999999999 into Go struct field DeploymentSpec\.spec\.replicas of type int32/,
  });
  t.equal((await rw.kubectl('get', 'deployment', 'huge', '-o', 'jsonpath={.metadata.resourceVersion} {.spec.replicas}')).stdout, `${before} 1`);
});

t.test('kubectl debug --copy-to: a copy of the pod with a debug shell', async (t) => {
  // kubectl sends the copied pod as protobuf, which was refused with 415.
  await rw.kubectl('run', 'dbg-src', '--image=nginx', '--labels=app=dbg');
  t.equal((await rw.kubectl('wait', '--for=condition=Ready', 'pod/dbg-src', '--timeout=60s')).code, 0);
  const r = await rw.kubectl('debug', 'dbg-src', '-i', '--image=busybox', '--copy-to=dbg-copy', '--container=shell', '--', 'sh', { input: 'hostname\n' });
  t.equal(r.code, 0, r.stderr);
  t.equal(r.stdout, 'dbg-copy\n');
  const copy = await json('pod', 'dbg-copy');
  t.same(copy.spec.containers.map((c: { name: string; image: string }) => `${c.name}=${c.image}`), ['dbg-src=nginx', 'shell=busybox']);
  t.equal(copy.metadata.labels, undefined, 'the copy leaves the labels behind (services do not select it)');
});
