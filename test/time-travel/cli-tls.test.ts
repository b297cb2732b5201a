// Every rewind subcommand that needs a cluster, against a real `rewind serve --tls --token-auth-file`
// (its certificate signed by the CA it generated), reached the way kubectl reaches it: KUBECONFIG
// naming two files — the user's context and tokenFile in one, the cluster with its CA as a file path
// in the other — merged with the first winning. kubectl itself drives the cluster alongside.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { run, startRewind } from '../kubectl/harness.ts';

const REWIND = fileURLToPath(new URL('../../bin/rewind', import.meta.url));

const tokens = mkdtempSync(join(tmpdir(), 'rewind-cli-tls-'));
t.teardown(() => rmSync(tokens, { recursive: true, force: true }));
writeFileSync(join(tokens, 'tokens.csv'), 'root-token,root,u0,"system:masters"\n');
const rw = await startRewind(t, ['--tls', '--token-auth-file', join(tokens, 'tokens.csv')]);
const served = parse(readFileSync(rw.kubeconfig, 'utf8'));

// The user's file: a context and a user with a tokenFile beside it; the cluster's: the server and
// its CA as a path relative to that file, plus a context of the same name that loses to the first.
mkdirSync(join(rw.dir, 'user'));
mkdirSync(join(rw.dir, 'cluster/pki'), { recursive: true });
copyFileSync(join(rw.dir, 'data/pki/ca.crt'), join(rw.dir, 'cluster/pki/ca.crt'));
rw.file('user/root.token', 'root-token\n');
const config = (o: object) => stringify({ apiVersion: 'v1', kind: 'Config', ...o });
const userFile = rw.file(
  'user/config',
  config({
    'current-context': 'ops',
    contexts: [
      { name: 'ops', context: { cluster: 'rewind-tls', user: 'root' } },
      { name: 'team', context: { cluster: 'rewind-tls', user: 'root', namespace: 'team' } },
    ],
    users: [{ name: 'root', user: { tokenFile: 'root.token' } }],
  }),
);
const clusterFile = rw.file(
  'cluster/config',
  config({
    'current-context': 'other',
    contexts: [{ name: 'ops', context: { cluster: 'rewind-tls', user: 'nobody' } }],
    clusters: [{ name: 'rewind-tls', cluster: { server: served.clusters[0].cluster.server, 'certificate-authority': 'pki/ca.crt' } }],
  }),
);
const KUBECONFIG = [userFile, join(rw.dir, 'no-such-file'), clusterFile].join(':');
const rewind = (...args: string[]) => run('env', ['NODE_OPTIONS=', `KUBECONFIG=${KUBECONFIG}`, process.execPath, REWIND, ...args]);
const kubectl = (...args: string[]) => rw.kubectl('--token', 'root-token', ...args);

t.test('history, diff, why, log, at, kubeconfig and revert over TLS, with relative and RFC 3339 points', async (t) => {
  t.match(rw.url, /^https:/);
  const create = await kubectl('create', 'deployment', 'web', '--image=nginx:1.26', '-o', 'jsonpath={.metadata.resourceVersion}');
  t.equal(create.code, 0, create.stderr);
  const created = Number(create.stdout);
  t.equal((await kubectl('scale', 'deploy/web', '--replicas=3')).code, 0);

  const history = await rewind('history', 'deploy/web');
  t.equal(history.code, 0, history.stderr);
  t.match(history.stdout, new RegExp(`^${created}\\s+\\S+Z\\s+root via kubectl\\s+ADDED`, 'm'));
  t.match(history.stdout, /root via kubectl\s+MODIFIED\s+spec\.replicas 1→3/);
  const yaml = parse((await rewind('history', 'deploy/web', '-o', 'yaml', '--since', '-1h')).stdout);
  t.equal(yaml.items[0].rev, created, '-o yaml, --since a relative point');

  const diff = await rewind('diff', '-1h', 'now', 'deploy/web');
  t.equal(diff.code, 0, diff.stderr);
  t.match(diff.stdout, /^\+\+\+ deployment\/default\/web@\d+\s*$/m, 'a relative first point is an operand, not an option');
  t.match(diff.stdout, /\(created\)/);
  const when = new Date(Date.now() + 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const patches = JSON.parse((await rewind('diff', String(created), when, 'deploy/web', '-o', 'json')).stdout);
  t.match(patches.objects, [{ change: 'changed', kind: 'Deployment', name: 'web', patch: [{ op: 'replace', path: '/spec/replicas', value: 3 }] }], 'an RFC 3339 point');

  const why = await rewind('why', 'deploy/web', '--at', String(created));
  t.equal(why.stdout.trim(), `deployment web created by root via kubectl (rev ${created})`);
  const log = await rewind('log', '--actor', 'root', '--type', 'deploy');
  t.match(log.stdout, new RegExp(`^${created} \\S+Z ADDED deployment default/web by root via kubectl$`, 'm'));

  const at = await rewind('at', String(created), '--', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}');
  t.same([at.code, at.stdout], [0, '1'], 'kubectl, handed our flags, reads the past over TLS');
  const past = join(rw.dir, 'past.kubeconfig');
  t.equal((await rewind('kubeconfig', '--at', String(created), '-o', past)).code, 0);
  const alone = await run('kubectl', ['--kubeconfig', past, 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']);
  t.same([alone.code, alone.stdout], [0, '1'], 'the written kubeconfig carries the CA and the token');

  const revert = await rewind('revert', 'deploy/web', '--to', String(created));
  t.match(revert.stdout, /^deployment\/web -n default updated \(rev \d+\)$/m, revert.stderr);
  t.equal((await kubectl('get', 'deploy/web', '-o', 'jsonpath={.spec.replicas}')).stdout, '1');
});

t.test('record a trace from the server and replay it into it; node, load and curl', async (t) => {
  const trace = join(rw.dir, 'incident.trace');
  const record = await rewind('record', '-o', trace, '--quiet');
  t.match(record.stderr, /^recorded revs 0\.\.\d+ \(\d+ events\)/, record.stderr);
  const replay = await rewind('replay', trace, '--mode', 'rederive', '--speed', 'max', '--quiet');
  t.equal(replay.code, 0, replay.stderr);
  t.match(replay.stderr, /^replay-1: Succeeded: (\d+) of \1 events written to https:\/\/127\.0\.0\.1:\d+ as revs/m, 'the upload went over TLS');

  t.match((await rewind('node', 'stop', 'node-1')).stdout, 'node/node-1 kubelet stopped');
  t.match((await rewind('node', 'start', 'node-1')).stdout, 'node/node-1 kubelet started');
  t.match((await rewind('load', 'deploy/web', '--cpu', '100m')).stdout, 'deployment.apps/web load: cpu 100m');
  const curl = await rewind('curl', '-f', 'http://nothing.example/');
  t.same([curl.code, curl.stderr], [22, ''], 'no ingress serves it: an HTTP error, not a connection error');
});

t.test('the trust and the identity are checked as kubectl checks them', async (t) => {
  const noCa = rw.file('no-ca', config({ 'current-context': 'x', contexts: [{ name: 'x', context: { cluster: 'x' } }], clusters: [{ name: 'x', cluster: { server: rw.url } }] }));
  const untrusted = await rewind('log', '--kubeconfig', noCa, '--token', 'root-token');
  t.equal(untrusted.code, 1);
  t.match(untrusted.stderr, /^cannot reach the server at https:\/\/127\.0\.0\.1:\d+: self-signed certificate in certificate chain \(give the CA that signed it/);
  t.equal((await rewind('log', '--kubeconfig', noCa, '--token', 'root-token', '--insecure-skip-tls-verify')).code, 0);
  const wrong = await rewind('history', 'deploy/web', '--token', 'nope');
  t.same([wrong.code, wrong.stderr.trim()], [1, 'Error from server (Unauthorized): Unauthorized'], '--token overrides the tokenFile');
  const served = await rewind('why', 'deploy/web', '--kubeconfig', rw.kubeconfig);
  t.match(served.stderr, /Unauthorized/, "the server's own kubeconfig has its CA but no token");
  t.equal((await rewind('why', 'deploy/web', '--kubeconfig', rw.kubeconfig, '--token', 'root-token')).code, 0);
  t.equal((await kubectl('create', 'namespace', 'team')).code, 0);
  t.equal((await kubectl('create', 'configmap', 'conf', '-n', 'team')).code, 0);
  t.match((await rewind('history', 'cm/conf', '--context', 'team')).stdout, /root via kubectl\s+ADDED/, "the context's namespace, as kubectl takes it");
  t.match((await rewind('history', 'cm/conf')).stderr, 'Error from server (NotFound): configmaps "conf" not found', 'the current context has none: default');
  t.match((await rewind('why', 'deploy/web', '--context', 'other')).stderr, /^context "other" not found in /, "the second file's current-context lost to the first's, and it has no such context");
});
