// pods/log through fastify.inject and pods/exec over a real WebSocket (v5 and v4 framing), on a
// virtual clock: env fixed at container start, mounted files after the sync delay.
import t from 'tap';
import WebSocket from 'ws';
import type { KObject } from '../../core/object.ts';
import { rfc3339 } from '../../core/clock.ts';
import { apiFixture, configMap } from './server.ts';

const ACTOR = { actor: { kind: 'kubelet' as const, name: 'test' } };
const T0 = Date.UTC(2026, 0, 1);

function runningPod(name: string, containers: Record<string, unknown>[], extra: Record<string, unknown> = {}): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'node-1', containers, ...extra },
    status: {
      phase: 'Running',
      podIP: '10.244.1.9',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: containers.map((c) => ({ name: c.name, ready: true, restartCount: 0, image: c.image, imageID: '', containerID: 'sim://x', started: true, state: { running: { startedAt: rfc3339(T0 + 1000) } } })),
    },
  };
}

const fixture = await apiFixture(t);
const { store, clock, req } = fixture;
await store.commit([{ op: 'create', res: 'v1/configmaps', object: { ...configMap('multimap', { given: 'Nigel', family: 'Poulton' }), metadata: { name: 'multimap', namespace: 'default' } } }], ACTOR);
clock.advanceTo(T0 + 1000);
const env = [{ name: 'FIRSTNAME', valueFrom: { configMapKeyRef: { name: 'multimap', key: 'given' } } }];
await store.commit(
  [
    { op: 'create', res: 'v1/pods', object: runningPod('startup-pod', [{ name: 'args1', image: 'busybox', command: ['/bin/sh', '-c', 'echo one $(FIRSTNAME); echo two; echo three', 'wait'], env }]) },
    { op: 'create', res: 'v1/pods', object: runningPod('two', [{ name: 'a', image: 'busybox' }, { name: 'b', image: 'busybox' }]) },
    { op: 'create', res: 'v1/pods', object: runningPod('cmvol', [{ name: 'ctr', image: 'nginx', env, volumeMounts: [{ name: 'm', mountPath: '/etc/name' }] }], { volumes: [{ name: 'm', configMap: { name: 'multimap' } }] }) },
  ],
  ACTOR,
);
const waiting = runningPod('waiting', [{ name: 'c', image: 'busybox' }]);
waiting.status = { phase: 'Pending', containerStatuses: [{ name: 'c', ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }] };
await store.commit([{ op: 'create', res: 'v1/pods', object: waiting }], ACTOR);

const log = (path: string) => req('GET', `/api/v1/namespaces/default/pods/${path}`);

t.test('log: the container output, with timestamps and tailLines', async (t) => {
  const r = await log('startup-pod/log?container=args1');
  t.equal(r.statusCode, 200);
  t.match(r.headers['content-type'], /^text\/plain/);
  t.equal(r.body, 'one Nigel\ntwo\nthree\n');
  t.equal((await log('startup-pod/log?tailLines=1&timestamps=true')).body, '2026-01-01T00:00:01.000000000Z three\n');
  t.equal((await log('startup-pod/log?limitBytes=3')).body, 'one');
});

t.test('log: refusals in the apiserver\'s words', async (t) => {
  const several = await log('two/log');
  t.equal(several.statusCode, 400);
  t.equal(several.json().message, 'a container name must be specified for pod two, choose one of: [a b]');
  t.equal((await log('two/log?container=c')).json().message, 'container c is not valid for pod two');
  t.equal((await log('waiting/log')).json().message, 'container "c" in pod "waiting" is waiting to start: ContainerCreating');
  t.equal((await log('startup-pod/log?previous=true')).json().message, 'previous terminated container "args1" in pod "startup-pod" not found');
  const missing = await log('nosuch/log');
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().message, 'pods "nosuch" not found');
  t.equal((await log('startup-pod/log?tailLines=-1')).statusCode, 400);
});

await fixture.app.listen({ host: '127.0.0.1', port: 0 });
const address = fixture.app.server.address() as { port: number };

interface Session {
  frames: Buffer[];
  protocol: string;
  closed: Promise<void>;
  ws: WebSocket;
}

function exec(pod: string, command: string[], opts: { protocol?: string; query?: string } = {}): Promise<Session> {
  const q = command.map((c) => `command=${encodeURIComponent(c)}`).join('&');
  const ws = new WebSocket(`ws://127.0.0.1:${address.port}/api/v1/namespaces/default/pods/${pod}/exec?${q}&stdout=true&stderr=true${opts.query ?? ''}`, [opts.protocol ?? 'v5.channel.k8s.io']);
  const frames: Buffer[] = [];
  ws.on('message', (data: Buffer) => frames.push(data));
  const closed = new Promise<void>((done) => ws.on('close', () => done()));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ frames, protocol: ws.protocol, closed, ws }));
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

const channel = (s: Session, n: number) => s.frames.filter((f) => f[0] === n).map((f) => f.subarray(1).toString()).join('');

t.test('exec over v5: stdout on 1, stderr on 2, the Status on 3, then close', async (t) => {
  const s = await exec('cmvol', ['sh', '-c', 'printenv FIRSTNAME; ls /nope; exit 2']);
  await s.closed;
  t.equal(s.protocol, 'v5.channel.k8s.io');
  t.equal(channel(s, 1), 'Nigel\n');
  t.equal(channel(s, 2), 'ls: /nope: No such file or directory\n');
  t.same(JSON.parse(channel(s, 3)), {
    metadata: {},
    status: 'Failure',
    message: 'command terminated with non-zero exit code: error executing command [sh -c printenv FIRSTNAME; ls /nope; exit 2], exit code 2',
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: '2' }] },
  });
  const ok = await exec('cmvol', ['hostname'], { protocol: 'v4.channel.k8s.io' });
  await ok.closed;
  t.equal(ok.protocol, 'v4.channel.k8s.io');
  t.equal(channel(ok, 1), 'cmvol\n');
  t.same(JSON.parse(channel(ok, 3)), { metadata: {}, status: 'Success' });
});

t.test('exec with stdin runs once the client closes stdin ([255, 0])', async (t) => {
  const s = await exec('cmvol', ['sh'], { query: '&stdin=true' });
  s.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('echo $HOSTNAME | wc -l\n')]));
  s.ws.send(Buffer.from([255, 0]));
  await s.closed;
  t.equal(channel(s, 1), '1\n');
});

t.test('exec -it: a prompt, echo, each line run, exit ends the session', async (t) => {
  const s = await exec('cmvol', ['sh'], { query: '&stdin=true&tty=true' });
  s.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('hostname\r')]));
  s.ws.send(Buffer.concat([Buffer.from([0]), Buffer.from('exit 4\r')]));
  await s.closed;
  t.equal(channel(s, 1), '/ # hostname\r\ncmvol\r\n/ # exit 4\r\n');
  t.match(JSON.parse(channel(s, 3)), { reason: 'NonZeroExitCode', details: { causes: [{ message: '4' }] } });
});

t.test('exec refusals are HTTP Status replies before the upgrade', async (t) => {
  await t.rejects(exec('waiting', ['env']), { message: 'HTTP 400' });
  await t.rejects(exec('nosuch', ['env']), { message: 'HTTP 404' });
  await t.rejects(exec('bad%E0%A4%A', ['env']), { message: 'HTTP 400' }, 'an undecodable path is a 400, and the server lives on');
  t.equal((await req('GET', '/api/v1/namespaces/default/pods/cmvol')).statusCode, 200);
  const plain = await req('GET', '/api/v1/namespaces/default/pods/cmvol/exec?command=env');
  t.equal(plain.statusCode, 400);
  t.equal(plain.json().message, 'Upgrade request required');
});

t.test('a ConfigMap change shows in mounted files after the sync delay, never in env', async (t) => {
  clock.advanceTo(T0 + 60_000);
  await store.commit([{ op: 'patch', res: 'v1/configmaps', ns: 'default', name: 'multimap', apply: (cm) => ({ ...cm, data: { given: 'Ada', family: 'Lovelace' } }) }], ACTOR);
  const read = async () => {
    const s = await exec('cmvol', ['sh', '-c', 'cat /etc/name/given; echo; printenv FIRSTNAME']);
    await s.closed;
    return channel(s, 1);
  };
  clock.advanceBy(1000);
  t.equal(await read(), 'Nigel\nNigel\n', 'within the sync delay: the old file');
  clock.advanceBy(5000);
  t.equal(await read(), 'Ada\nNigel\n', 'after it: the new file, the old env');
});

t.test('log follow: the stream stays open until the pod is deleted', async (t) => {
  let ended = false;
  const followed = log('startup-pod/log?follow=true').then((r) => {
    ended = true;
    return r;
  });
  await new Promise((done) => setImmediate(done));
  t.equal(ended, false, 'still open while the pod runs');
  await store.commit([{ op: 'delete', res: 'v1/pods', ns: 'default', name: 'startup-pod' }], ACTOR);
  const r = await followed;
  t.equal(r.body, 'one Nigel\ntwo\nthree\n');
});
