// The simulated shell and its commands, each observed through its stdout, stderr and exit code.
import t from 'tap';
import type { KObject } from '../../../core/object.ts';
import { runArgv, runScript } from '../../../controllers/container/commands.ts';
import { parse } from '../../../controllers/container/shell.ts';
import { configMap, pod, service } from '../service-fixtures.ts';
import { sandbox } from './sandbox.ts';

const multimap = configMap('multimap', { given: 'Nigel', family: 'Poulton' });
const cmvol = pod('cmvol', {
  ns: 'dev',
  ip: '10.244.3.3',
  spec: {
    volumes: [{ name: 'volmap', configMap: { name: 'multimap' } }],
    containers: [{ name: 'ctr', image: 'nginx', env: [{ name: 'FIRSTNAME', valueFrom: { configMapKeyRef: { name: 'multimap', key: 'given' } } }], volumeMounts: [{ name: 'volmap', mountPath: '/etc/name' }] }],
  },
});
const endpoints = (name: string, ns: string, ips: string[], port: number): KObject => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name, namespace: ns },
  subsets: [{ addresses: ips.map((ip, i) => ({ ip, targetRef: { kind: 'Pod', namespace: ns, name: `${name}-${ns}-${i}` } })), ports: [{ name: 'http', port, protocol: 'TCP' }] }],
});
const backend = (name: string, ns: string, ip: string) => pod(name, { ns, ip, readySince: 1, spec: { containers: [{ name: 'w', image: 'traefik/whoami', ports: [{ containerPort: 8080 }] }] } });
const cluster = [
  configMap('multimap', { given: 'Nigel', family: 'Poulton' }, 'dev'),
  service('kube-dns', { clusterIP: '10.96.0.10', ports: [{ port: 53, protocol: 'UDP' }] }, { ns: 'kube-system' }),
  service('ent', { clusterIP: '10.96.1.1', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }, { ns: 'dev' }),
  service('ent', { clusterIP: '10.96.2.2', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }, { ns: 'prod' }),
  service('empty', { clusterIP: '10.96.3.3', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] }, { ns: 'dev' }),
  endpoints('ent', 'dev', ['10.244.1.10'], 8080),
  endpoints('ent', 'prod', ['10.244.2.20'], 8080),
  backend('ent-dev-0', 'dev', '10.244.1.10'),
  backend('ent-prod-0', 'prod', '10.244.2.20'),
];
const box = () => sandbox(cmvol, 'ctr', cluster);
const run = (script: string) => runScript(script, box());

t.test('env, printenv and hostname', async (t) => {
  t.match(runArgv(['env'], box()).stdout, /^PATH=.*\nHOSTNAME=cmvol\nFIRSTNAME=Nigel\n/);
  t.same(runArgv(['printenv', 'FIRSTNAME'], box()), { stdout: 'Nigel\n', stderr: '', code: 0 });
  t.equal(runArgv(['printenv', 'NOPE'], box()).code, 1);
  t.equal(runArgv(['hostname'], box()).stdout, 'cmvol\n');
  t.equal(runArgv(['env', 'X=1', 'printenv', 'X'], box()).stdout, '1\n');
});

t.test('ls and cat over mounted files and the kubelet-managed ones (seed 000 cmvol)', async (t) => {
  t.same(runArgv(['ls', '/etc/name'], box()), { stdout: 'family\ngiven\n', stderr: '', code: 0 });
  t.equal(runArgv(['cat', '/etc/name/given'], box()).stdout, 'Nigel');
  t.match(runArgv(['ls', '-l', '/etc/name'], box()).stdout, /^total 2\n-rw-r--r-- +1 root +root +7 Jan +1 01:00 family\n/);
  t.match(runArgv(['cat', '/etc/hosts'], box()).stdout, /10\.244\.3\.3\tcmvol\n$/);
  t.equal(runArgv(['cat', '/etc/resolv.conf'], box()).stdout, 'search dev.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  t.same(runArgv(['cat', '/nope'], box()), { stdout: '', stderr: "cat: can't open '/nope': No such file or directory\n", code: 1 });
  t.same(runArgv(['ls', '/nope'], box()), { stdout: '', stderr: 'ls: /nope: No such file or directory\n', code: 1 });
  t.equal(runArgv(['cat', '/var/run/secrets/kubernetes.io/serviceaccount/namespace'], box()).stdout, 'dev');
});

t.test('curl and wget go through DNS and kube-proxy to a pod that names itself (seed 000 dev/prod)', async (t) => {
  t.match(runArgv(['curl', '-s', 'ent:8080'], box()).stdout, /^Hostname: ent-dev-0\nIP: 127\.0\.0\.1\nIP: 10\.244\.1\.10\nRemoteAddr: 10\.244\.3\.3:\d+\nGET \/ HTTP\/1\.1\nHost: ent:8080\n/);
  t.match(runArgv(['curl', '-s', 'http://ent.prod.svc.cluster.local:8080/x'], box()).stdout, /^Hostname: ent-prod-0\n[\s\S]*GET \/x HTTP\/1\.1/);
  t.same(runArgv(['curl', 'nosuch:8080'], box()), { stdout: '', stderr: 'curl: (6) Could not resolve host: nosuch\n', code: 6 });
  t.same(runArgv(['curl', '-s', 'nosuch'], box()), { stdout: '', stderr: '', code: 6 }, '-s hides the error');
  t.same(runArgv(['curl', '-sS', 'empty'], box()), { stdout: '', stderr: "curl: (7) Failed to connect to empty port 80 after 0 ms: Couldn't connect to server\n", code: 7 });
  t.match(runArgv(['curl', 'ent:8080'], box()).stderr, /% Total/, 'progress meter without -s');
  t.equal(runArgv(['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', 'ent:8080'], box()).stdout, '200');
  t.match(runArgv(['wget', '-qO-', 'ent:8080'], box()), { stdout: /^Hostname: ent-dev-0\n/, code: 0 });
  t.same(runArgv(['wget', '-qO-', 'empty'], box()), { stdout: '', stderr: "wget: can't connect to remote host (10.96.3.3): Connection refused\n", code: 1 });
  t.same(runArgv(['wget', '-qO-', 'nosuch'], box()), { stdout: '', stderr: "wget: bad address 'nosuch:80'\n", code: 1 });
});

t.test('nslookup prints like busybox; dig +short', async (t) => {
  t.same(runArgv(['nslookup', 'ent.prod'], box()), { stdout: 'Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\tent.prod.svc.cluster.local\nAddress: 10.96.2.2\n\n', stderr: '', code: 0 });
  t.same(runArgv(['nslookup', 'nosuch'], box()), { stdout: "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n** server can't find nosuch: NXDOMAIN\n\n", stderr: '', code: 1 });
  t.equal(runArgv(['dig', '+short', 'ent.dev.svc.cluster.local'], box()).stdout, '10.96.1.1\n');
  t.equal(runArgv(['dig', '+short', 'ent'], box()).stdout, '', 'dig uses no search list without +search');
  t.equal(runArgv(['dig', '+short', '+search', 'ent'], box()).stdout, '10.96.1.1\n');
  t.equal(runArgv(['dig', '+short', 'SRV', '_http._tcp.ent.dev.svc.cluster.local'], box()).stdout, '0 100 8080 ent.dev.svc.cluster.local.\n');
});

t.test('the shell: lists, pipes, $VAR, quoting, exit codes', async (t) => {
  t.equal(run('env | grep NAME').stdout, 'HOSTNAME=cmvol\nFIRSTNAME=Nigel\n');
  t.equal(run("echo 'literal $HOME' \"home is $HOME\"").stdout, 'literal $HOME home is /root\n');
  t.equal(run('false && echo no; true && echo yes || echo never').stdout, 'yes\n');
  t.equal(run('false; echo $?').stdout, '1\n');
  t.same(run('echo a; exit 3; echo b'), { stdout: 'a\n', stderr: '', code: 3 });
  t.equal(run('ls /etc/name | wc -l').stdout, '2\n');
  t.equal(run('printf x 2>&1 | head -n 1').stdout, 'sh: printf: not simulated by Rewind (see docs/SIMULATION.md)\n');
  t.equal(run('cat /nope 2>/dev/null || echo missing').stdout, 'missing\n');
  t.same(run('echo out; echo err >&2'), { stdout: 'out\n', stderr: 'err\n', code: 0 });
  t.equal(run('X=hello; echo $X ${X}!').stdout, 'hello hello!\n');
  t.equal(run('env | grep -c NAME').stdout, '2\n');
  t.equal(run('ls /etc/name | tail -n 1 | sort').stdout, 'given\n');
  t.equal(runArgv(['sh', '-c', 'echo $0 $1', 'zero', 'one'], box()).stdout, 'zero one\n');
  t.equal(runArgv(['sh'], box(), 'echo from stdin').stdout, 'from stdin\n');
  t.equal(run('sleep 3600; echo woke').stdout, 'woke\n', 'sleep returns at once');
});

t.test('unknown commands and bad syntax are reported, not guessed', async (t) => {
  t.same(runArgv(['python3', '-c', 'print(1)'], box()), { stdout: '', stderr: 'sh: python3: not simulated by Rewind (see docs/SIMULATION.md)\n', code: 127 });
  t.same(run('echo "unterminated'), { stdout: '', stderr: 'sh: unterminated quoted string\n', code: 2 });
  t.same(run("echo aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa | grep '(a+)+$'"), { stdout: '', stderr: "grep: nested repetition in '(a+)+$' is not simulated by Rewind (see docs/SIMULATION.md)\n", code: 2 });
  t.throws(() => parse('| grep x'), { message: 'syntax error: unexpected operator' });
  t.throws(() => parse('echo a &&'), { message: 'syntax error: unexpected end of file' });
});
