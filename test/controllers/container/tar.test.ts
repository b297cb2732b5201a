// `tar cf - PATH…` in a simulated container (controllers/container/tar.ts), checked by reading its
// archive back with the system's tar: members, modes, sizes and contents.
import t from 'tap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runArgv } from '../../../controllers/container/commands.ts';
import { configMap, pod } from '../service-fixtures.ts';
import { sandbox } from './sandbox.ts';

const conf = configMap('conf', { 'app.conf': 'port=80\nhéllo\n', [`long-${'x'.repeat(120)}`]: 'long name\n' });
const cmvol = pod('cmvol', {
  ip: '10.244.3.3',
  spec: {
    volumes: [{ name: 'v', configMap: { name: 'conf' } }],
    containers: [{ name: 'c', image: 'nginx', volumeMounts: [{ name: 'v', mountPath: '/etc/conf' }] }],
  },
});
const box = sandbox(cmvol, 'c', [conf]);

t.test('the archive of a mounted directory reads back with tar', async (t) => {
  const r = runArgv(['tar', 'cf', '-', '/etc/conf'], box);
  t.equal(r.code, 0);
  t.equal(r.stderr, "tar: removing leading '/' from member names\n");
  const dir = mkdtempSync(join(tmpdir(), 'rewind-tar-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'a.tar'), Buffer.from(r.stdout)); // the exec stream sends stdout as UTF-8
  const listing = execFileSync('tar', ['tvf', join(dir, 'a.tar')], { encoding: 'utf8' });
  t.match(listing, /^drwxr-xr-x root\/root\s+0 .* etc\/conf\/$/m);
  t.match(listing, /^-rw-r--r-- root\/root\s+15 .* etc\/conf\/app\.conf$/m, 'size in UTF-8 bytes');
  t.match(listing, new RegExp(`etc/conf/long-${'x'.repeat(120)}$`, 'm'), 'a name over 100 bytes (GNU long name)');
  execFileSync('tar', ['xf', join(dir, 'a.tar'), '-C', dir]);
  t.equal(readFileSync(join(dir, 'etc/conf/app.conf'), 'utf8'), 'port=80\nhéllo\n');
});

t.test('a missing path, and uses other than cf -', async (t) => {
  t.match(runArgv(['tar', 'cf', '-', '/nope'], box), { code: 1, stderr: /tar: \/nope: No such file or directory\n$/ });
  t.match(runArgv(['tar', 'xmf', '-'], box), { code: 127, stderr: 'sh: tar: not simulated by Rewind (see docs/SIMULATION.md)\n' });
});
