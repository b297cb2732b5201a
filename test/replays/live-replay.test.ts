// Replaying a trace into a running server (POST rewind.dev replays): the events become new events of
// the server's log with their recorded actors, causes remapped to the new revisions, owner uids
// remapped to the new objects, paced by the recorded gaps divided by the speed on the server's clock;
// progress is followable; bad uploads are 400 and write nothing; the same trace replayed into two
// fresh servers gives the same log.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { connect, type AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { pack } from 'msgpackr';
import { lastValueFrom } from 'rxjs';
import t from 'tap';
import { ensureDefaultRoles } from '../../api/auth/default-roles.ts';
import type { UserInfo } from '../../api/auth/user.ts';
import { ensureSystemNamespaces } from '../../api/bootstrap.ts';
import { buildServer } from '../../api/server.ts';
import { admit } from '../../core/admission.ts';
import { VirtualClock } from '../../core/clock.ts';
import type { Actor, Event } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { logDigest } from '../../replays/digest.ts';
import { LiveReplays } from '../../replays/live-replay.ts';
import { recordTrace, storeSource } from '../../replays/record.ts';
import { openStore, type Store } from '../../store/index.ts';

const API = '/apis/rewind.dev/v1';
const ALICE: Actor = { kind: 'user', name: 'alice', userAgent: 'kubectl/v1.32.0' };
const DEPLOYMENT_CONTROLLER: Actor = { kind: 'controller', name: 'deployment' };
const RS_CONTROLLER: Actor = { kind: 'controller', name: 'replicaset' };
const T0 = Date.UTC(2026, 2, 1);
const TOKENS = new Map<string, UserInfo>([
  ['root', { name: 'root', groups: ['system:masters'] }],
  ['alice', { name: 'alice', groups: [] }],
]);

const owned = (o: KObject, owner: KObject) =>
  ({ ...o, metadata: { ...o.metadata, ownerReferences: [{ apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true }] } }) as KObject;
const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } } } as KObject;
const replicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-1', namespace: 'default' }, spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: (deployment.spec as { template: unknown }).template } } as unknown as KObject;
const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1-a', namespace: 'default', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KObject;

/** The trace of: a deployment by alice, its replicaset 10 s later, a pod 20 s after that, then the pod deleted 30 s later. */
async function incidentTrace(t: { teardown(fn: () => unknown): void }): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'rewind-live-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const clock = new VirtualClock(T0);
  const store = await openStore({ clock });
  const [d] = await store.commit([{ op: 'create', res: 'apps/v1/deployments', object: deployment }], { actor: ALICE });
  clock.advanceBy(10_000);
  const [rs] = await store.commit([{ op: 'create', res: 'apps/v1/replicasets', object: owned(replicaSet, d.object) }], { actor: DEPLOYMENT_CONTROLLER, cause: d.rev });
  clock.advanceBy(20_000);
  const [p] = await store.commit([{ op: 'create', res: 'v1/pods', object: owned(pod, rs.object) }], { actor: RS_CONTROLLER, cause: rs.rev });
  clock.advanceBy(30_000);
  await store.commit([{ op: 'delete', res: 'v1/pods', ns: 'default', name: p.name }], { actor: ALICE });
  const path = join(dir, 'incident.trace');
  await recordTrace(storeSource(store, async (x) => Number(x)), path);
  await store.close();
  return readFileSync(path);
}

/** A fresh server as `rewind serve` builds it (admission, system namespaces, default roles; no controllers) on a virtual clock. */
async function server(t: { teardown(fn: () => unknown): void }) {
  const clock = new VirtualClock(Date.UTC(2026, 5, 1));
  const store = await openStore({ clock, admit });
  await ensureSystemNamespaces(store);
  await ensureDefaultRoles(store);
  const spool = mkdtempSync(join(tmpdir(), 'rewind-spool-'));
  const app = buildServer({ store, clock, replays: new LiveReplays(store, clock, [], spool), auth: { tokens: TOKENS, anonymous: false } });
  t.teardown(async () => {
    await app.close();
    await store.close();
    rmSync(spool, { recursive: true, force: true });
  });
  const upload = (body: Buffer, query = '', token = 'root') =>
    app.inject({ method: 'POST', url: `${API}/replays${query}`, headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${token}` }, payload: body });
  const get = (url: string, token = 'root') => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const status = async (name: string) => (await get(`${API}/replays/${name}`)).json();
  /** Let the replay run to its end, moving the virtual clock from timer to timer. */
  const finish = async (name: string) => {
    for (;;) {
      await new Promise((r) => setImmediate(r));
      const s = await status(name);
      if (s.status.phase !== 'Running') return s;
      if (clock.pending() > 0) clock.advanceToNextTimer();
    }
  };
  /** Uploads kept on disk: one while its replay runs, none once it has ended or been refused. */
  const spooled = () => readdirSync(spool).length;
  return { app, store, clock, upload, get, status, finish, spooled };
}

async function eventsAfter(store: Store, rev: number): Promise<Event[]> {
  const out: Event[] = [];
  for await (const e of store.read(rev)) out.push(e);
  return out;
}

t.test('a paced replay writes the recorded events with their actors, remapped causes and owner uids', async (t) => {
  const trace = await incidentTrace(t);
  const s = await server(t);
  const before = s.store.rev;
  const res = await s.upload(trace, '?speed=10x');
  t.equal(res.statusCode, 201, res.body);
  const started = res.json();
  t.same([started.kind, started.metadata.name, started.spec.speed, started.spec.mode, started.status.total], ['Replay', 'replay-1', '10x', 'recorded', 4]);
  t.equal(started.status.phase, 'Running');

  const done = await s.finish('replay-1');
  t.same([done.status.phase, done.status.applied, done.status.skipped, done.status.startRev, done.status.lastRev], ['Succeeded', 4, 0, before, before + 4]);
  const events = await eventsAfter(s.store, before);
  t.same(events.map((e) => `${e.type} ${e.res} ${e.name} by ${e.actor.kind}/${e.actor.name}`), [
    'ADDED apps/v1/deployments web by user/alice',
    'ADDED apps/v1/replicasets web-1 by controller/deployment',
    'ADDED v1/pods web-1-a by controller/replicaset',
    'DELETED v1/pods web-1-a by user/alice',
  ]);
  t.same(events.map((e) => e.ts - events[0].ts), [0, 1_000, 3_000, 6_000], 'recorded gaps (10 s, 20 s, 30 s) divided by 10 on the server clock');
  t.match(events[0].actor.userAgent, /^rewind-replay\/replay-1 \(rev 1\)$/, 'marked with the replay and the recorded rev');
  const [dep, rs, p] = events;
  t.same([rs.cause, p.cause], [dep.rev, rs.rev], 'causes point at the replayed events');
  t.equal(rs.object.metadata.ownerReferences?.[0].uid, dep.object.metadata.uid, 'the owner reference names the new deployment uid');
  t.equal(p.object.metadata.ownerReferences?.[0].uid, rs.object.metadata.uid);

  const follow = await s.get(`${API}/replays/replay-1?follow=1`);
  t.same(follow.body.trim().split('\n').map((l) => JSON.parse(l).status.phase), ['Succeeded'], 'a follower of an ended replay gets its last state');
  t.equal((await s.get(`${API}/replays/replay-9`)).statusCode, 404);
});

t.test('--until and rederive mode choose what is written; speed max does not wait', async (t) => {
  const trace = await incidentTrace(t);
  const s = await server(t);
  const before = s.store.rev;
  t.equal((await s.upload(trace, '?speed=max&until=3')).statusCode, 201);
  const first = await s.finish('replay-1');
  t.equal(first.status.applied, 3, 'revs 1..3 of the trace');
  t.equal(new Set((await eventsAfter(s.store, before)).map((e) => e.ts)).size, 1, 'no waiting: one instant');
  const mid = s.store.rev;
  t.equal((await s.upload(trace, '?mode=rederive&speed=max')).statusCode, 201);
  const second = await s.finish('replay-2');
  t.same([second.spec.mode, second.status.total], ['rederive', 2], 'only the inputs: alice\'s create and delete');
  t.same((await eventsAfter(s.store, mid)).map((e) => `${e.type} ${e.name}`), ['MODIFIED web', 'DELETED web-1-a'], 'the deployment existed: updated to its recorded content');
});

t.test('a bad upload is a 400 and writes nothing', async (t) => {
  const s = await server(t);
  const rev = s.store.rev;
  for (const [body, query, why] of [
    [Buffer.from('not a trace at all'), '', 'garbage'],
    [Buffer.alloc(0), '', 'empty'],
    [Buffer.from([0, 0, 0, 2, 0x81, 0xa0]), '', 'a frame that is not a header'],
    [Buffer.from('x'), '?speed=fast', 'bad speed'],
    [Buffer.from('x'), '?mode=guess', 'bad mode'],
    [traceOf([{ rev: 1, ts: T0, type: 'ADDED', res: 'v1/gizmos', ns: '', name: 'x', object: { metadata: {} }, actor: { kind: 'user', name: 'a' } }]), '', 'an unknown resource'],
    [traceOf([{ rev: 1, ts: T0, type: 'ADDED', res: 'v1/pods', ns: 'default', name: 'x', object: null, actor: { kind: 'user', name: 'a' } }]), '', 'an event without an object'],
    [traceOf(['not an event']), '', 'not an event at all'],
    [traceOf([{ rev: 1, ts: T0, type: 'toString', res: 'v1/pods', ns: 'default', name: 'x', object: { metadata: {} }, actor: { kind: 'user', name: 'a' } }]), '', 'a type that is no event type'],
  ] as const) {
    const r = await s.upload(body, query);
    t.equal(r.statusCode, 400, `${why}: ${r.body}`);
    t.equal(r.json().kind, 'Status');
  }
  t.equal(s.store.rev, rev);
  t.match((await s.upload(traceOf([{ rev: 7, ts: T0, type: 'MOVED' }]))).json().message, /the trace's event rev 7 is not a Rewind event of a known resource/);
  t.equal(s.spooled(), 0, 'no refused upload is kept');
});

/** Where each frame of a trace ends (4-byte length, then the body). */
function frameEnds(trace: Buffer): number[] {
  const ends: number[] = [];
  for (let at = 0; at < trace.length; at += 4 + trace.readUInt32BE(at)) ends.push(at + 4 + trace.readUInt32BE(at));
  return ends;
}

t.test('a trace cut short, inside a frame or between two, is a 400 and writes nothing', async (t) => {
  const trace = await incidentTrace(t);
  const [header, base, chunk] = frameEnds(trace);
  t.equal(chunk, trace.length, 'the four events are one chunk after the header and the base');
  const s = await server(t);
  const rev = s.store.rev;
  for (const [cut, message] of [
    [chunk - 3, /the upload is truncated$/],
    [base, /the upload is truncated: it holds 0 of the 4 events its header announces/],
    [header, /the upload is truncated: it ends before its base/],
  ] as const) {
    const r = await s.upload(trace.subarray(0, cut));
    t.equal(r.statusCode, 400, r.body);
    t.match(r.json(), { kind: 'Status', reason: 'BadRequest', message });
  }
  t.equal(s.store.rev, rev, 'nothing written');
  t.equal(s.spooled(), 0, 'nothing kept');
  t.equal((await s.upload(trace, '?speed=max')).statusCode, 201, 'the whole trace is taken');
  t.equal(s.spooled(), 1, 'kept on disk while it is replayed');
  t.equal((await s.finish('replay-1')).status.applied, 4);
  t.equal(s.spooled(), 0, 'and removed once replayed');
});

t.test('an upload is read as it arrives: a body that is no trace is refused before the rest of it is read', async (t) => {
  const clock = new VirtualClock(T0);
  const store = await openStore({ clock });
  t.teardown(() => store.close());
  let pulled = 0;
  async function* endless(): AsyncGenerator<Buffer> {
    for (;;) {
      pulled++;
      yield Buffer.from('not a trace, and it never ends ');
    }
  }
  const replays = new LiveReplays(store, clock);
  await t.rejects(replays.prepare(endless(), { mode: 'recorded', speed: Infinity }), { reason: 'BadRequest', message: /the body is not a readable trace/ });
  t.ok(pulled < 10, `refused after ${pulled} pieces`);
});

t.test('a connection dropped mid-upload writes nothing and keeps nothing; the next upload is taken', async (t) => {
  const trace = await incidentTrace(t);
  const s = await server(t);
  const rev = s.store.rev;
  await s.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = s.app.server.address() as AddressInfo;
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  socket.write(`POST ${API}/replays HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer root\r\nContent-Type: application/octet-stream\r\nContent-Length: ${trace.length}\r\n\r\n`);
  socket.write(trace.subarray(0, trace.length >> 1));
  // Until the server has received (and spooled) the half sent, then the client goes away.
  while (s.spooled() === 0) await new Promise((r) => setImmediate(r));
  socket.destroy();
  while (s.spooled() > 0) await new Promise((r) => setImmediate(r));
  t.equal(s.store.rev, rev, 'nothing written');
  t.equal((await s.upload(trace, '?speed=max')).statusCode, 201);
  t.equal((await s.finish('replay-1')).status.applied, 4);
});

/** A version 1 trace file (plain msgpack frames, docs/TRACES.md) holding `events` as its one chunk. */
function traceOf(events: unknown[]): Buffer {
  const frame = (v: unknown) => {
    const body = pack(v);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    return [len, body];
  };
  const header = { format: 'rewind.dev/trace', version: 1, from: 0, to: events.length, fromTime: T0, toTime: T0, baseEvents: 0, events: events.length, source: 'test' };
  return Buffer.concat([...frame(header), ...frame([]), ...frame(events)]);
}

t.test('the same trace replayed into two fresh servers gives the same log', async (t) => {
  const trace = await incidentTrace(t);
  const digests: string[] = [];
  for (let i = 0; i < 2; i++) {
    const s = await server(t);
    t.equal((await s.upload(trace, '?speed=2x')).statusCode, 201);
    await s.finish('replay-1');
    digests.push(await logDigest(s.store));
  }
  t.equal(digests[0], digests[1]);
});

const EDIT_BINDING = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'alice-edit' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'edit' }, subjects: [{ kind: 'User', name: 'alice' }] };

t.test('replaying needs create on replays, impersonation and every write; one replay at a time', async (t) => {
  const trace = await incidentTrace(t);
  const s = await server(t);
  const bind = await s.app.inject({ method: 'POST', url: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', headers: { authorization: 'Bearer root', 'content-type': 'application/json' }, payload: JSON.stringify(EDIT_BINDING) });
  t.equal(bind.statusCode, 201);
  const rev = s.store.rev;
  const refused = await s.upload(trace, '', 'alice');
  t.equal(refused.statusCode, 403, 'edit may write deployments but not replay as other users');
  t.match(refused.json(), { reason: 'Forbidden', message: /replays\.rewind\.dev is forbidden: User "alice"/ });
  t.equal(s.store.rev, rev, 'nothing written');
  t.equal((await s.get(`${API}/replays/replay-1`, 'alice')).statusCode, 403, 'nor see replays');

  t.equal((await s.upload(trace, '?speed=1x')).statusCode, 201, 'cluster-admin may');
  const second = await s.upload(trace);
  t.equal(second.statusCode, 409, 'while replay-1 waits for its next event');
  t.match(second.json().message, /replay-1.*a replay is running/);
  t.equal((await s.finish('replay-1')).status.phase, 'Succeeded');
  t.equal((await s.upload(trace, '?speed=max')).statusCode, 201, 'and again once it has ended');
});

t.test('a write the server refuses is skipped, counted and shown; the replay goes on', async (t) => {
  const trace = await incidentTrace(t);
  const s = await server(t);
  // Rederive without controllers: nobody creates the pod, so alice's recorded delete finds nothing.
  t.equal((await s.upload(trace, '?mode=rederive&speed=max')).statusCode, 201);
  const done = await s.finish('replay-1');
  t.match(done.status, { phase: 'Succeeded', total: 2, applied: 1, skipped: 1, message: '1 write(s) refused by the server; the first: rev 4 DELETED v1/pods default/web-1-a: pods "web-1-a" not found' });
  t.ok(s.store.get('apps/v1/deployments', 'default', 'web'), 'the write before it was made');
});

t.test('recorded mode warns when the server runs controllers (they react to the replayed writes)', async (t) => {
  const trace = await incidentTrace(t);
  const clock = new VirtualClock(T0);
  const store = await openStore({ clock });
  t.teardown(() => store.close());
  const replays = new LiveReplays(store, clock, ['deployment', 'replicaset']);
  const recorded = (await replays.prepare(Readable.from([trace]), { mode: 'recorded', speed: Infinity })).start();
  t.match(recorded.status.warning, /^2 controllers run in this server and react to the replayed writes too .* serve with --controllers=-\* to see the trace alone, or replay with --mode rederive$/);
  await lastValueFrom(replays.follow(recorded.metadata.name)!);
  const rederive = (await replays.prepare(Readable.from([trace]), { mode: 'rederive', speed: Infinity })).start();
  t.equal(rederive.status.warning, undefined, 'rederive is meant for a server whose controllers run');
  await lastValueFrom(replays.follow(rederive.metadata.name)!);
  const quiet = new LiveReplays(store, clock, []);
  t.equal((await quiet.prepare(Readable.from([trace]), { mode: 'recorded', speed: Infinity })).start().status.warning, undefined, 'no controllers, no warning');
});
