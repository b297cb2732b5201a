// The rewind.dev/v1 API through fastify.inject: history, diff, why, the event log and revert.

import t from 'tap';
import type { Actor } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { apiFixture, configMap, type Fixture } from '../api/server.ts';

const ALICE: Actor = { kind: 'user', name: 'alice', userAgent: 'kubectl/v1.32.0 (linux/amd64) kubernetes/abc' };
const API = '/apis/rewind.dev/v1';
const CM = '/api/v1/namespaces/default/configmaps';

const deployment = (replicas: number): KObject =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' }, spec: { replicas } }) as KObject;
const replicaSet = (replicas: number): KObject =>
  ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-7d9c', namespace: 'default' }, spec: { replicas } }) as KObject;

/** deployment web scaled 3→5 by alice, its replicaset scaled by the deployment controller, a pod created by the replicaset controller. */
async function scaleChain(f: Fixture) {
  const [dep] = await f.store.commit([{ op: 'create', res: 'apps/v1/deployments', object: deployment(3) }], { actor: ALICE });
  await f.store.commit([{ op: 'create', res: 'apps/v1/replicasets', object: replicaSet(3) }], { actor: { kind: 'controller', name: 'deployment' }, cause: dep.rev });
  const [scaled] = await f.store.commit([{ op: 'update', res: 'apps/v1/deployments', object: { ...deployment(5), metadata: { ...deployment(5).metadata } } }], { actor: ALICE });
  const [rs] = await f.store.commit([{ op: 'update', res: 'apps/v1/replicasets', object: replicaSet(5) }], { actor: { kind: 'controller', name: 'deployment' }, cause: scaled.rev });
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-7d9c-x2b4', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } as KObject;
  const [p] = await f.store.commit([{ op: 'create', res: 'v1/pods', object: pod }], { actor: { kind: 'controller', name: 'replicaset' }, cause: rs.rev });
  return { dep, scaled, rs, pod: p };
}

t.test('why follows causes back to the user write', async (t) => {
  const f = await apiFixture(t);
  const c = await scaleChain(f);
  const r = await f.req('GET', `${API}/why?type=po&name=web-7d9c-x2b4&namespace=default`);
  t.equal(r.statusCode, 200);
  t.equal(
    r.json().text,
    `pod web-7d9c-x2b4 created by replicaset controller (rev ${c.pod.rev}) because replicaset web-7d9c spec.replicas 3→5 by deployment controller (rev ${c.rs.rev}) because deployment web spec.replicas 3→5 by alice via kubectl (rev ${c.scaled.rev})`,
  );
  const earlier = await f.req('GET', `${API}/why?type=deploy&name=web&at=${c.dep.rev}`);
  t.equal(earlier.json().text, `deployment web created by alice via kubectl (rev ${c.dep.rev})`, 'at a past point');
  t.equal((await f.req('GET', `${API}/why?type=po&name=nope`)).statusCode, 404);
  t.equal((await f.req('GET', `${API}/why?type=flux&name=x`)).statusCode, 400);
});

t.test('history lists every revision with its change', async (t) => {
  const f = await apiFixture(t);
  const c = await scaleChain(f);
  await f.store.commit([{ op: 'delete', res: 'apps/v1/deployments', ns: 'default', name: 'web' }], { actor: ALICE });
  const h = (await f.req('GET', `${API}/history?type=deployments.apps&name=web`)).json();
  t.same(h.items.map((i: { type: string }) => i.type), ['ADDED', 'MODIFIED', 'DELETED']);
  t.equal(h.items[1].rev, c.scaled.rev);
  t.same(h.items[1].changes, ['spec.replicas 3→5']);
  t.same(h.items[1].patch, [{ op: 'replace', path: '/spec/replicas', value: 5 }]);
  t.equal(h.items[1].actor.name, 'alice');
  const since = (await f.req('GET', `${API}/history?type=deploy&name=web&since=${c.dep.rev}&until=${c.scaled.rev}`)).json();
  t.same(since.items.map((i: { rev: number }) => i.rev), [c.scaled.rev], 'since and until bound the window');
  const never = await f.req('GET', `${API}/history?type=deploy&name=nope`);
  t.match([never.statusCode, never.json()], [404, { kind: 'Status', reason: 'NotFound', message: 'deployments.apps "nope" not found' }], 'an object that never existed, as kubectl get says it');
  const notYet = await f.req('GET', `${API}/history?type=deploy&name=web&until=${c.dep.rev - 1}`);
  t.equal(notYet.statusCode, 404, 'nor before it was created');
});

t.test('diff reports created, deleted and changed objects between two points', async (t) => {
  const f = await apiFixture(t);
  await f.req('POST', CM, configMap('kept', { v: '1' }));
  const gone = await f.req('POST', CM, configMap('gone'));
  const from = Number(gone.json().metadata.resourceVersion);
  await f.req('POST', CM, configMap('new'));
  await f.req('DELETE', `${CM}/gone`);
  await f.req('PATCH', `${CM}/kept`, { data: { v: '2' } }, { 'content-type': 'application/merge-patch+json' });
  const d = (await f.req('GET', `${API}/diff?from=${from}&to=now&type=cm`)).json();
  t.same(d.created.map((c: { name: string }) => c.name), ['new']);
  t.same(d.deleted.map((c: { name: string }) => c.name), ['gone']);
  t.same(d.changed.map((c: { name: string }) => c.name), ['kept']);
  t.same(d.changed[0].patch, [{ op: 'replace', path: '/data/v', value: '2' }]);
  const one = (await f.req('GET', `${API}/diff?from=${from}&to=now&type=cm&name=new`)).json();
  t.same([one.created.length, one.deleted.length, one.changed.length], [1, 0, 0], 'one object');
  t.equal((await f.req('GET', `${API}/diff?from=1`)).statusCode, 400);
});

t.test('the event log filters by type, actor, labels and window', async (t) => {
  const f = await apiFixture(t);
  const head = f.store.rev;
  await scaleChain(f);
  await f.req('POST', CM, configMap('labelled', {}, { tier: 'web' }));
  const all = (await f.req('GET', `${API}/events?since=${head}`)).json().items;
  t.equal(all.length, 6);
  const byAlice = (await f.req('GET', `${API}/events?since=${head}&actor=alice`)).json().items;
  t.same(byAlice.map((e: { kind: string; type: string }) => `${e.type} ${e.kind}`), ['ADDED Deployment', 'MODIFIED Deployment']);
  const pods = (await f.req('GET', `${API}/events?type=pods`)).json().items;
  t.same(pods.map((e: { name: string }) => e.name), ['web-7d9c-x2b4']);
  const labelled = (await f.req('GET', `${API}/events?labelSelector=tier%3Dweb`)).json().items;
  t.same(labelled.map((e: { name: string }) => e.name), ['labelled']);
  t.equal(labelled[0].object, undefined, 'objects only when asked');
  t.equal((await f.req('GET', `${API}/events?labelSelector=tier%3Dweb&objects=1`)).json().items[0].object.kind, 'ConfigMap');
});

t.test('revert writes an old state back as a new event, re-creates and deletes', async (t) => {
  const f = await apiFixture(t);
  await f.req('POST', CM, configMap('a', { v: '1' }, { app: 'x' }));
  const b = await f.req('POST', CM, configMap('b', { v: '1' }, { app: 'x' }));
  const point = Number(b.json().metadata.resourceVersion);
  await f.req('PATCH', `${CM}/a`, { data: { v: '2' } }, { 'content-type': 'application/merge-patch+json' });
  await f.req('DELETE', `${CM}/b`);
  await f.req('POST', CM, configMap('c', {}, { app: 'x' }));

  const one = await f.req('POST', `${API}/revert`, { type: 'cm', name: 'a', to: String(point) });
  t.equal(one.statusCode, 200);
  t.equal(one.json().items[0].action, 'updated');
  t.same(f.store.get('v1/configmaps', 'default', 'a')?.data, { v: '1' });
  const h = (await f.req('GET', `${API}/history?type=cm&name=a`)).json().items;
  t.equal(h.length, 3, 'the revert is itself history');

  const set = (await f.req('POST', `${API}/revert`, { type: 'cm', labelSelector: 'app=x', to: String(point) })).json();
  const actions = Object.fromEntries(set.items.map((i: { name: string; action: string }) => [i.name, i.action]));
  t.same(actions, { a: 'unchanged', b: 'created', c: 'deleted' });
  t.same(f.store.get('v1/configmaps', 'default', 'b')?.data, { v: '1' }, 'b is back');
  t.equal(f.store.get('v1/configmaps', 'default', 'c'), undefined, 'c is gone');
  t.equal((await f.req('POST', `${API}/revert`, { type: 'cm', name: 'a' })).statusCode, 400);
});

t.test('events?follow=1 streams the log from a point, then live events', async (t) => {
  const f = await apiFixture(t);
  const first = await f.req('POST', CM, configMap('before'));
  const since = Number(first.json().metadata.resourceVersion);
  await f.req('POST', CM, configMap('after'));
  await f.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = f.app.server.address() as { port: number };
  const ctl = new AbortController();
  const res = await fetch(`http://127.0.0.1:${port}${API}/events?follow=1&since=${since - 1}&type=cm`, { signal: ctl.signal });
  const reader = res.body!.getReader();
  let text = '';
  let wroteLive = false;
  // Three complete lines: before and after from the log, then live.
  while (text.split('\n').length < 4) {
    text += new TextDecoder().decode((await reader.read()).value);
    if (!wroteLive && text.includes('"after"')) {
      wroteLive = true;
      await f.req('POST', CM, configMap('live'));
    }
  }
  ctl.abort();
  t.same(text.trim().split('\n').map((l) => JSON.parse(l).name), ['before', 'after', 'live']);
});
