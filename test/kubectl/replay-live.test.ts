// `rewind replay TRACE` into a running `rewind serve`. Recorded mode, no controllers (only the trace
// moves): the rolling-update scenario's trace is uploaded at 100x while `kubectl get pods -w` watches;
// every pod of the incident appears in the watch, and `kubectl get pods` afterwards shows exactly the
// pods alive at the end of the trace. Rederive mode, controllers on: only the user writes are
// replayed and the server's own controllers roll the deployment out.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse, stringify } from 'yaml';
import { readTrace } from '../../replays/trace.ts';
import { run, startRewind } from './harness.ts';

const REWIND = fileURLToPath(new URL('../../bin/rewind', import.meta.url));
const SCENARIO = fileURLToPath(new URL('../../replays/scenarios/rolling-update.yaml', import.meta.url));
const rewind = (...args: string[]) => run('env', ['NODE_OPTIONS=', process.execPath, REWIND, ...args]);

/** Names of every pod the trace creates, and of those alive at its end. */
async function podsOf(path: string): Promise<{ all: Set<string>; alive: Set<string> }> {
  const all = new Set<string>();
  const alive = new Set<string>();
  for await (const chunk of (await readTrace(path)).chunks) {
    for (const e of chunk) {
      if (e.res !== 'v1/pods' || e.ns !== 'default') continue;
      all.add(e.name);
      if (e.type === 'DELETED') alive.delete(e.name);
      else alive.add(e.name);
    }
  }
  return { all, alive };
}

/** The rolling-update scenario's trace, written once for both tests. */
const dir = mkdtempSync(join(tmpdir(), 'rewind-replay-live-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));
const trace = join(dir, 'rolling.trace');

t.before(async () => {
  const scenario = await rewind('scenario', 'run', SCENARIO, '--trace', trace);
  if (scenario.code !== 0) throw new Error(`the scenario failed: ${scenario.stdout}${scenario.stderr}`);
});

t.test('a trace replayed into a running server unfolds under kubectl get pods -w', async (t) => {
  const pods = await podsOf(trace);
  t.ok(pods.all.size > pods.alive.size, 'the rolling update replaced pods');

  const rw = await startRewind(t, ['--controllers=-*']);
  // A pod of our own (no controllers: it stays Pending) shows when the watch's first list is done,
  // so the replay starts only once kubectl watches: no replayed pod can come and go unseen.
  t.equal((await rw.kubectl('run', 'marker', '--image=busybox')).code, 0);
  const watch = rw.spawnKubectl('get', 'pods', '-w', '-o', 'name');
  t.teardown(() => watch.kill());
  await watch.waitFor(/pod\/marker/);
  const replay = await rewind('replay', trace, '--kubeconfig', rw.kubeconfig, '--speed', '100x', '--quiet');
  t.equal(replay.code, 0, replay.stderr);
  t.notMatch(replay.stderr, /warning/, 'no controllers run: nothing but the trace moves');
  t.match(replay.stderr, /^replay-1: Succeeded: (\d+) of \1 events written to http:\/\/127\.0\.0\.1:\d+ as revs \d+\.\.\d+ \(recorded, speed 100x\)$/m);
  const last = [...pods.all].pop()!;
  const watched = await watch.waitFor(new RegExp(`pod/${last}`));
  for (const name of pods.all) t.match(watched, `pod/${name}`, `the watch saw ${name}`);

  const now = await rw.kubectl('get', 'pods', '-o', 'name');
  t.same(now.stdout.trim().split('\n').sort(), ['marker', ...pods.alive].map((n) => `pod/${n}`).sort());
  const status = await rw.kubectl('get', '--raw', '/apis/rewind.dev/v1/replays/replay-1');
  t.equal(JSON.parse(status.stdout).status.phase, 'Succeeded');

  const bad = await rewind('replay', SCENARIO, '--kubeconfig', rw.kubeconfig, '--quiet');
  t.equal(bad.code, 1);
  t.match(bad.stderr, /BadRequest.*not a readable trace/);
});

t.test('rederive into a server whose controllers run: its controllers derive the rollout', async (t) => {
  const rw = await startRewind(t);
  const replay = await rewind('replay', trace, '--kubeconfig', rw.kubeconfig, '--mode', 'rederive', '--speed', 'max', '--quiet');
  t.equal(replay.code, 0, replay.stderr);
  t.match(replay.stderr, /^replay-1: Succeeded: \d+ of \d+ events written .* \(rederive, speed max\)$/m);
  const rollout = await rw.kubectl('rollout', 'status', 'deploy/web', '--timeout=60s');
  t.equal(rollout.code, 0, rollout.stderr);
  const images = await rw.kubectl('get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].spec.containers[0].image}');
  t.same(images.stdout.split(' '), ['nginx:1.27', 'nginx:1.27', 'nginx:1.27'], 'the replayed patch, rolled out here');
  const log = await rw.kubectl('get', '--raw', '/apis/rewind.dev/v1/events?type=deploy&actor=alice');
  const writes = JSON.parse(log.stdout).items.map((e: { type: string; actor: { userAgent: string } }) => `${e.type} ${e.actor.userAgent}`);
  t.match(writes, [/^ADDED rewind-replay\/replay-1 \(rev \d+\)$/, /^MODIFIED rewind-replay\/replay-1 \(rev \d+\)$/], "alice's two writes, marked as replayed");
});

t.test('against a server with tokens: the kubeconfig user\'s token or --token; only an admin may replay', async (t) => {
  const tokens = join(dir, 'tokens.csv');
  writeFileSync(tokens, 'root-token,root,u0,"system:masters"\nalice-token,alice,u1\n');
  const rw = await startRewind(t, ['--token-auth-file', tokens, '--controllers=-*']);
  const none = await rewind('replay', trace, '--kubeconfig', rw.kubeconfig, '--quiet');
  t.equal(none.code, 1);
  t.match(none.stderr, /Error from server \(Unauthorized\)/);
  const alice = await rewind('replay', trace, '--kubeconfig', rw.kubeconfig, '--token', 'alice-token', '--quiet');
  t.equal(alice.code, 1);
  t.match(alice.stderr, /Error from server \(Forbidden\): replays\.rewind\.dev is forbidden: User "alice"/);
  // The kubeconfig's user carries the admin token, as kubectl would send it.
  const config = parse(readFileSync(rw.kubeconfig, 'utf8'));
  config.users[0].user = { token: 'root-token' };
  const admin = join(dir, 'admin.kubeconfig');
  writeFileSync(admin, stringify(config));
  const root = await rewind('replay', trace, '--kubeconfig', admin, '--quiet');
  t.equal(root.code, 0, root.stderr);
  t.match(root.stderr, /^replay-1: Succeeded/m);
  const history = await rewind('history', 'deploy/web', '--kubeconfig', admin);
  t.match(history.stdout, /alice via rewind-replay\s+ADDED/, 'the history shows the replayed write by its recorded user');
});
