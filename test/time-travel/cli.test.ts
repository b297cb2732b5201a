// The rewind CLI's own parts that need no cluster: kubeconfig for a point, argument errors, relative
// POINTs as operands, -o formats checked first.

import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parse } from 'yaml';
import { run } from '../kubectl/harness.ts';

const REWIND = fileURLToPath(new URL('../../bin/rewind', import.meta.url));
const rewind = (...args: string[]) => run('env', ['NODE_OPTIONS=', process.execPath, REWIND, ...args]);

t.test('rewind kubeconfig --at points the server at /at/POINT', async (t) => {
  const r = await rewind('kubeconfig', '--server', 'http://127.0.0.1:6443/', '--at', '2026-11-22T10:42:00Z');
  t.equal(r.code, 0, r.stderr);
  const config = parse(r.stdout);
  t.equal(config.clusters[0].cluster.server, 'http://127.0.0.1:6443/at/2026-11-22T10%3A42%3A00Z');
  t.equal(config['current-context'], 'rewind');
});

t.test('usage errors are reported, not thrown', async (t) => {
  const noName = await rewind('history', 'deploy', '--server', 'http://127.0.0.1:1');
  t.equal(noName.code, 1);
  t.match(noName.stderr, /history needs TYPE\/NAME/);
  const down = await rewind('why', 'pod/x', '--server', 'http://127.0.0.1:1');
  t.equal(down.code, 1);
  t.match(down.stderr, /cannot reach the server at http:\/\/127\.0\.0\.1:1/);
  const noKubectlArgs = await rewind('at', '-15m', '--server', 'http://127.0.0.1:1');
  t.match(noKubectlArgs.stderr, /usage: rewind at POINT -- <kubectl args>/);
  const badMode = await rewind('replay', '/nonexistent.trace', '--data', '/tmp/x', '--mode', 'nope');
  t.equal(badMode.code, 1);
  t.match(badMode.stderr, /unknown mode "nope": use recorded or rederive/);
  const badSpeed = await rewind('replay', '/nonexistent.trace', '--data', '/tmp/x', '--speed', 'fast');
  t.equal(badSpeed.code, 1);
  t.match(badSpeed.stderr, /invalid speed "fast": expected a positive factor \(10, 10x\) or "max"/);
  const relative = await rewind('diff', '-15m', 'now', '--server', 'http://127.0.0.1:1');
  t.match(relative.stderr, /^cannot reach the server/, 'a relative POINT is an operand, not an unknown option');
  const format = await rewind('why', 'pod/x', '-o', 'xml', '--server', 'http://127.0.0.1:1');
  t.same([format.code, format.stderr.trim()], [1, 'error: unable to match a printer suitable for the output format "xml", allowed formats are: json,yaml'], 'refused before the server is asked');
  const followUntil = await rewind('log', '--follow', '--until', 'now', '--server', 'http://127.0.0.1:1');
  t.match(followUntil.stderr, /^--until cannot be used with --follow/);
  const noTrace = await rewind('replay', '/nonexistent.trace', '--server', 'http://127.0.0.1:1');
  t.equal(noTrace.code, 1);
  t.match(noTrace.stderr, /cannot read \/nonexistent\.trace/, 'into a server: the file is read first');
});
