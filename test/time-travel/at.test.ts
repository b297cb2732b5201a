// /at/{point}/ through fastify.inject: reads at a revision, an RFC 3339 time and a relative time;
// writes refused with 405; bad points are 400; a watch under /at/ replays the later events.

import t from 'tap';
import { apiFixture, configMap } from '../api/server.ts';

const CM = '/api/v1/namespaces/default/configmaps';

t.test('reads at a revision, a time and a relative time show the past', async (t) => {
  const f = await apiFixture(t);
  const created = await f.req('POST', CM, configMap('app', { v: '1' }));
  const rev1 = Number(created.json().metadata.resourceVersion);
  const timeOfV1 = f.clock.now();
  f.clock.advanceBy(10 * 60_000);
  const cur = created.json();
  cur.data = { v: '2' };
  t.equal((await f.req('PUT', `${CM}/app`, cur)).statusCode, 200);
  f.clock.advanceBy(10 * 60_000);

  t.same((await f.req('GET', `/at/${rev1}${CM}/app`)).json().data, { v: '1' }, 'at a revision');
  const iso = new Date(timeOfV1 + 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  t.same((await f.req('GET', `/at/${iso}${CM}/app`)).json().data, { v: '1' }, 'at an RFC 3339 time');
  t.same((await f.req('GET', `/at/-15m${CM}/app`)).json().data, { v: '1' }, '15 minutes ago');
  t.same((await f.req('GET', `/at/-5m${CM}/app`)).json().data, { v: '2' }, '5 minutes ago');
  t.same((await f.req('GET', `/at/now${CM}/app`)).json().data, { v: '2' }, 'now');
  const list = (await f.req('GET', `/at/${rev1 - 1}${CM}`)).json();
  t.same(list.items, [], 'before the create the list is empty');
  t.equal(list.metadata.resourceVersion, String(rev1 - 1));
  t.equal((await f.req('GET', `/at/${rev1 - 1}${CM}/app`)).statusCode, 404);
});

t.test('discovery, version and openapi are served under the prefix', async (t) => {
  const f = await apiFixture(t);
  t.equal((await f.req('GET', '/at/1/version')).json().minor, '32');
  t.ok((await f.req('GET', '/at/1/apis')).json().groups.length > 0);
  t.equal((await f.req('GET', '/at/1/api/v1')).json().kind, 'APIResourceList');
  t.equal((await f.req('GET', '/at/1/openapi/v3')).statusCode, 200);
});

t.test('writes under /at/ are 405 and change nothing; bad points are 400', async (t) => {
  const f = await apiFixture(t);
  const head = f.store.rev;
  for (const [method, url] of [['POST', CM], ['PUT', `${CM}/x`], ['PATCH', `${CM}/x`], ['DELETE', `${CM}/x`]] as const) {
    const r = await f.req(method, `/at/1${url}`, configMap('x'));
    t.equal(r.statusCode, 405, `${method} is refused`);
    t.equal(r.json().reason, 'MethodNotAllowed');
    t.match(r.json().message, /read-only/);
  }
  t.equal(f.store.rev, head, 'nothing was written');
  const bad = await f.req('GET', `/at/yesterday${CM}`);
  t.equal(bad.statusCode, 400);
  t.match(bad.json().message, /invalid point "yesterday"/);
  t.equal((await f.req('GET', `/at/99999${CM}`)).statusCode, 400, 'a future revision');
  t.equal((await f.req('GET', `/at/1${CM}?watch=1&speed=fast`)).statusCode, 400, 'a bad speed');
});

t.test('a watch under /at/ replays the events after the point', async (t) => {
  const f = await apiFixture(t);
  const first = await f.req('POST', CM, configMap('a'));
  const point = Number(first.json().metadata.resourceVersion);
  await f.req('POST', CM, configMap('b'));
  await f.req('DELETE', `${CM}/a`);
  await f.app.listen({ port: 0, host: '127.0.0.1' });
  const address = f.app.server.address() as { port: number };
  const ctl = new AbortController();
  const res = await fetch(`http://127.0.0.1:${address.port}/at/${point}${CM}?watch=1&resourceVersion=${point}&speed=max`, { signal: ctl.signal });
  const reader = res.body!.getReader();
  let text = '';
  while (text.split('\n').length < 3) text += new TextDecoder().decode((await reader.read()).value);
  ctl.abort();
  const events = text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
  t.same(events.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED b', 'DELETED a']);
});
