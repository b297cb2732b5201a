// issue 3 acceptance: get with every output form, labels as columns, each selector form of seed 001,
// -A, get all, and get -w seeing a later change.
import t from 'tap';
import { startRewind } from './harness.ts';

const rw = await startRewind(t, ['--controllers=']);

const pod = (name: string, labels: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  labels: {${labels}}
spec:
  containers:
  - name: c
    image: nginx
`;
const applied = await rw.kubectl('apply', '-f', rw.file('pods.yaml', [
  pod('prod-1', 'env: prod, app: web'),
  pod('devel-1', 'env: devel, app: web'),
  pod('test-1', 'env: test'),
  pod('plain', ''),
].join('---\n')));
t.equal(applied.code, 0, applied.stderr);

const names = (out: string) => out.trim().split('\n').slice(1).map((l) => l.split(/\s+/)[0]);

t.test('get po prints the real columns', async (t) => {
  const r = await rw.kubectl('get', 'po');
  t.equal(r.code, 0, r.stderr);
  t.match(r.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
  t.same(names(r.stdout), ['devel-1', 'plain', 'prod-1', 'test-1']);
  const wide = await rw.kubectl('get', 'po', '-o', 'wide');
  t.match(wide.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/m);
});

t.test('-o yaml, json, name, jsonpath', async (t) => {
  const yaml = await rw.kubectl('get', 'po', 'plain', '-o', 'yaml');
  t.match(yaml.stdout, /^kind: Pod$/m);
  t.match(yaml.stdout, /^  name: plain$/m);
  const json = JSON.parse((await rw.kubectl('get', 'po', '-o', 'json')).stdout);
  t.equal(json.kind, 'List');
  t.equal(json.items.length, 4);
  t.equal((await rw.kubectl('get', 'po', '-o', 'name')).stdout, 'pod/devel-1\npod/plain\npod/prod-1\npod/test-1\n');
  t.equal((await rw.kubectl('get', 'po', '-o', 'jsonpath={.items[*].metadata.name}')).stdout, 'devel-1 plain prod-1 test-1');
});

t.test('--show-labels and -L', async (t) => {
  const labels = await rw.kubectl('get', 'po', '--show-labels');
  t.match(labels.stdout, /^prod-1\s.*\sapp=web,env=prod$/m);
  t.match(labels.stdout, /^plain\s.*\s<none>$/m);
  const col = await rw.kubectl('get', 'po', '-L', 'env');
  t.match(col.stdout, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\s+ENV$/m);
  t.match(col.stdout, /^devel-1\s.*\sdevel$/m);
});

t.test('-l with each selector form of seed 001', async (t) => {
  const cases: [string, string[]][] = [
    ['env=prod', ['prod-1']],
    ['env==prod', ['prod-1']],
    ['env!=prod', ['devel-1', 'plain', 'test-1']],
    ['env in (prod, devel)', ['devel-1', 'prod-1']],
    ['env notin (prod, devel)', ['plain', 'test-1']],
    ['env', ['devel-1', 'prod-1', 'test-1']],
    ['!env', ['plain']],
    ['app=web,env=devel', ['devel-1']],
  ];
  for (const [selector, want] of cases) {
    const r = await rw.kubectl('get', 'po', '-l', selector, '-o', 'name');
    t.equal(r.code, 0, r.stderr);
    t.same(r.stdout.trim().split('\n'), want.map((n) => `pod/${n}`), selector);
  }
  const none = await rw.kubectl('get', 'po', '-l', 'env=nowhere');
  t.match(none.stderr, 'No resources found in default namespace.');
});

t.test('-A shows the namespace column; get all prefixes kinds', async (t) => {
  await rw.kubectl('create', 'namespace', 'other');
  await rw.kubectl('apply', '-n', 'other', '-f', rw.file('other.yaml', pod('elsewhere', 'env: prod')));
  const all = await rw.kubectl('get', 'po', '-A');
  t.match(all.stdout, /^NAMESPACE\s+NAME\s+READY/m);
  t.match(all.stdout, /^other\s+elsewhere\s/m);
  t.match(all.stdout, /^default\s+plain\s/m);
  await rw.kubectl('create', 'deployment', 'dep', '--image=nginx');
  const everything = await rw.kubectl('get', 'all');
  t.equal(everything.code, 0, everything.stderr);
  t.match(everything.stdout, /^pod\/plain\s/m);
  t.match(everything.stdout, /^deployment\.apps\/dep\s/m);
});

t.test('get -w sees a later change', async (t) => {
  const watch = rw.spawnKubectl('get', 'cm', '-w');
  t.teardown(() => watch.kill());
  await rw.kubectl('create', 'configmap', 'before');
  await watch.waitFor(/^before\s/m);
  await rw.kubectl('create', 'configmap', 'after', '--from-literal', 'a=b');
  const out = await watch.waitFor(/^after\s+1\s/m);
  t.match(out, /^NAME\s+DATA\s+AGE$/m);
});
