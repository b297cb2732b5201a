// Time travel with the real kubectl and the rewind CLI against a real `rewind serve`: a deployment is
// created with 2 replicas, then scaled to 4; the past (by revision, RFC 3339 time and relative time)
// still shows 2, and history / diff / why / log / revert describe and undo the change.

import { fileURLToPath } from 'node:url';
import t from 'tap';
import { join } from 'node:path';
import { classicDb, LevelStore } from '../../store/index.ts';
import { run, startRewind, type Rewind } from './harness.ts';

const REWIND = fileURLToPath(new URL('../../bin/rewind', import.meta.url));

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: nginx:1.27}]
`;

/** Run bin/rewind with this server's kubeconfig. */
const rewind = (rw: Rewind, ...args: string[]) => rewindOffline(args[0], '--kubeconfig', rw.kubeconfig, ...args.slice(1));

/** Run bin/rewind (NODE_OPTIONS reset, as the harness does for the server). */
const rewindOffline = (...args: string[]) => run('env', ['NODE_OPTIONS=', process.execPath, REWIND, ...args]);

const podLines = (out: string) => out.split('\n').filter((l) => /^web-/.test(l));

t.test('the past through kubectl and the rewind CLI', async (t) => {
  const rw = await startRewind(t);
  t.equal((await rw.kubectl('apply', '-f', rw.file('web.yaml', DEPLOYMENT))).code, 0);
  t.equal((await rw.kubectl('rollout', 'status', 'deploy/web', '--timeout=60s')).code, 0);
  // The log's last revision once two pods run: the point "before the scale".
  const log = await rewind(rw, 'log', '-o', 'json');
  const before = JSON.parse(log.stdout.trim().split('\n').pop()!) as { rev: number; time: string };
  await new Promise((r) => setTimeout(r, 1100));
  t.equal((await rw.kubectl('scale', 'deploy/web', '--replicas=4')).code, 0);
  t.equal((await rw.kubectl('rollout', 'status', 'deploy/web', '--timeout=60s')).code, 0);
  t.equal(podLines((await rw.kubectl('get', 'pods')).stdout).length, 4);

  t.test('kubectl under /at/', async (t) => {
    const atRev = await rw.kubectl('--server', `${rw.url}/at/${before.rev}`, 'get', 'pods', '-owide');
    t.equal(atRev.code, 0, atRev.stderr);
    t.equal(podLines(atRev.stdout).length, 2, 'two pods at the revision');
    t.match(atRev.stdout, /NODE/);
    // Log times have second precision; the scale came more than a second after this one.
    const time = new Date(Date.parse(before.time) + 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    const atTime = await rw.kubectl('--server', `${rw.url}/at/${time}`, 'get', 'deploy', 'web');
    t.match(atTime.stdout, /web\s+2\/2/, 'at an RFC 3339 time');
    const described = await rw.kubectl('--server', `${rw.url}/at/${before.rev}`, 'describe', 'deploy', 'web');
    t.equal(described.code, 0, described.stderr);
    t.match(described.stdout, /Replicas:\s+2 desired/);
    const longAgo = await rw.kubectl('--server', `${rw.url}/at/-1h`, 'get', 'deploy');
    t.match(longAgo.stderr, /No resources found/, 'an hour ago there was nothing');
    const write = await rw.kubectl('--server', `${rw.url}/at/${before.rev}`, 'delete', 'deploy', 'web');
    t.not(write.code, 0);
    t.match(write.stderr, /read-only/);
    const viaAt = await rewind(rw, 'at', String(before.rev), '--', 'get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}');
    t.equal(viaAt.stdout, '2', `rewind at runs kubectl at the point ${viaAt.stderr}`);
  });

  t.test('history, diff and why', async (t) => {
    const h = await rewind(rw, 'history', 'deploy/web');
    t.equal(h.code, 0, h.stderr);
    t.match(h.stdout, /^REV\s+TIME\s+ACTOR\s+CHANGE\s+DIFF/);
    t.match(h.stdout, /ADDED/);
    t.match(h.stdout, /MODIFIED\s+spec\.replicas 2→4/, 'the scale, with its compact diff');
    const json = JSON.parse((await rewind(rw, 'history', 'deploy/web', '-o', 'json')).stdout);
    t.equal(json.kind, 'History');
    const d = await rewind(rw, 'diff', String(before.rev), 'now', 'deploy/web');
    t.match(d.stdout, /-\s+replicas: 2\n\+\s+replicas: 4/, 'a unified YAML diff');
    const dj = JSON.parse((await rewind(rw, 'diff', String(before.rev), 'now', 'deploy', '-o', 'json')).stdout);
    t.ok(dj.objects.some((o: { patch: { path: string; value: unknown }[] }) => o.patch.some((p) => p.path === '/spec/replicas' && p.value === 4)));
    const pods = await rewind(rw, 'diff', String(before.rev), 'now', 'pods');
    t.equal((pods.stdout.match(/\(created\)/g) ?? []).length, 2, 'two pods created since');
    const name = podLines((await rw.kubectl('get', 'pods', '--sort-by=.metadata.creationTimestamp')).stdout).pop()!.split(/\s+/)[0];
    const why = await rewind(rw, 'why', `pod/${name}`);
    t.equal(why.code, 0, why.stderr);
    t.match(why.stdout, new RegExp(`^pod ${name} .*\\n(  because .*\\n)*  because deployment web spec\\.replicas 2→4 by \\S+ via kubectl \\(rev \\d+\\)\\n$`), 'one line per link, the causes indented');
    t.match(why.stdout, /\n  because replicaset web-\S+ .*spec\.replicas 2→4 by deployment controller/);
  });

  t.test('log filters and revert', async (t) => {
    const byUser = await rewind(rw, 'log', '--type', 'deploy', '--actor', 'system:anonymous');
    t.match(byUser.stdout, /ADDED deployment default\/web by system:anonymous via kubectl/);
    t.notMatch(byUser.stdout, /replicaset/);
    const bad = await rewind(rw, 'log', '--type', 'nonsense');
    t.equal(bad.code, 1);
    t.match(bad.stderr, /doesn't have a resource type "nonsense"/);
    const r = await rewind(rw, 'revert', 'deploy/web', '--to', String(before.rev));
    t.equal(r.code, 0, r.stderr);
    t.match(r.stdout, /deployment\/web -n default updated \(rev \d+\)/);
    t.equal((await rw.kubectl('get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}')).stdout, '2');
    t.match((await rewind(rw, 'history', 'deploy/web')).stdout, /spec\.replicas 4→2/, 'the revert is history');
  });

  t.test('record from the server, replay into a data directory', async (t) => {
    const tracePath = join(rw.dir, 'incident.trace');
    const rec = await rewind(rw, 'record', '--since', String(before.rev), '-o', tracePath, '--quiet');
    t.equal(rec.code, 0, rec.stderr);
    t.match(rec.stderr, new RegExp(`recorded revs ${before.rev}\\.\\.\\d+`));
    const rep = await rewindOffline('replay', tracePath, '--data', join(rw.dir, 'replayed'), '--quiet');
    t.equal(rep.code, 0, rep.stderr);
    const store = await LevelStore.open(classicDb(join(rw.dir, 'replayed', 'log')));
    t.teardown(() => store.close());
    const head = JSON.parse((await rw.kubectl('get', '--raw', '/apis/rewind.dev/v1/point')).stdout).head as number;
    t.ok(store.rev <= head && store.rev > before.rev);
    t.match((await store.at(before.rev)).get('apps/v1/deployments', 'default', 'web')?.spec, { replicas: 2 }, 'the state at the start of the window');
    const pods = (await store.at(before.rev)).list('v1/pods').items.filter((p) => p.metadata.name?.startsWith('web-'));
    t.equal(pods.length, 2);
  });
});
