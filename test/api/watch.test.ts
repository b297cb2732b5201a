import t from 'tap';
import { get, type IncomingMessage } from 'node:http';
import { apiFixture, configMap } from './server.ts';

const CM = '/api/v1/namespaces/default/configmaps';

interface WatchEvent {
  type: string;
  object: { kind: string; metadata: { name?: string; resourceVersion?: string }; data?: Record<string, string> };
}

/** Open a watch on a listening server; resolves once the headers arrive, then yields events. */
function openWatch(base: string, path: string): Promise<{ res: IncomingMessage; next(): Promise<WatchEvent>; close(): void; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = get(base + path, (res) => {
      const queue: WatchEvent[] = [];
      const waiting: ((e: WatchEvent) => void)[] = [];
      let buf = '';
      res.on('data', (chunk: Buffer) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n')) >= 0) {
          const e = JSON.parse(buf.slice(0, i)) as WatchEvent;
          buf = buf.slice(i + 1);
          const w = waiting.shift();
          if (w) w(e);
          else queue.push(e);
        }
      });
      const ended = new Promise<void>((done) => res.on('end', () => done()));
      resolve({
        res,
        next: () => new Promise((r) => (queue.length ? r(queue.shift()!) : waiting.push(r))),
        close: () => req.destroy(),
        ended,
      });
    });
    req.on('error', reject);
  });
}

async function listening(t: { teardown(fn: () => unknown): void }) {
  const f = await apiFixture(t);
  const base = await f.app.listen({ host: '127.0.0.1', port: 0 });
  return { ...f, base };
}

t.test('rv=0: synthetic ADDED for current objects, then live changes', async (t) => {
  const { req, base } = await listening(t);
  await req('POST', CM, configMap('a', { v: '1' }));
  const w = await openWatch(base, `${CM}?watch=true&resourceVersion=0`);
  t.equal(w.res.headers['content-type'], 'application/json');
  t.match(await w.next(), { type: 'ADDED', object: { kind: 'ConfigMap', metadata: { name: 'a' } } });
  const cm = (await req('GET', `${CM}/a`)).json();
  await req('PUT', `${CM}/a`, { ...cm, data: { v: '2' } });
  t.match(await w.next(), { type: 'MODIFIED', object: { data: { v: '2' } } });
  await req('DELETE', `${CM}/a`);
  t.match(await w.next(), { type: 'DELETED', object: { metadata: { name: 'a' } } });
  w.close();
});

t.test('rv=N: only changes after N, headers flushed before any event', async (t) => {
  const { req, base } = await listening(t);
  const a = (await req('POST', CM, configMap('a'))).json();
  const w = await openWatch(base, `${CM}?watch=1&resourceVersion=${a.metadata.resourceVersion}`);
  t.equal(w.res.statusCode, 200, 'headers arrive while nothing has happened yet');
  await req('POST', CM, configMap('b'));
  t.match(await w.next(), { type: 'ADDED', object: { metadata: { name: 'b' } } });
  w.close();
});

t.test('a label selector turns moves in and out of the selection into ADDED and DELETED', async (t) => {
  const { req, base } = await listening(t);
  const a = (await req('POST', CM, configMap('a', {}, { tier: 'web' }))).json();
  const w = await openWatch(base, `${CM}?watch=true&labelSelector=tier%3Dweb&resourceVersion=${a.metadata.resourceVersion}`);
  const relabel = (tier: string) =>
    req('PATCH', `${CM}/a`, [{ op: 'replace', path: '/metadata/labels/tier', value: tier }], { 'content-type': 'application/json-patch+json' });
  await relabel('db');
  t.match(await w.next(), { type: 'DELETED', object: { metadata: { name: 'a' } } });
  await req('POST', CM, configMap('other', {}, { tier: 'db' }));
  await relabel('web');
  t.match(await w.next(), { type: 'ADDED', object: { metadata: { name: 'a' } } }, 'the unrelated create was not seen');
  w.close();
});

t.test('bookmarks and timeoutSeconds follow the clock', async (t) => {
  const { base, clock, store } = await listening(t);
  const w = await openWatch(base, `${CM}?watch=true&allowWatchBookmarks=true&timeoutSeconds=90&resourceVersion=${store.rev}`);
  clock.advanceBy(60_000);
  t.match(await w.next(), { type: 'BOOKMARK', object: { kind: 'ConfigMap', metadata: { resourceVersion: String(store.rev) } } });
  clock.advanceBy(30_000);
  await w.ended;
  t.pass('the stream ended at timeoutSeconds');
});

t.test('a watch that cannot start is a plain Status reply', async (t) => {
  const { req, store } = await apiFixture(t);
  const r = await req('GET', `${CM}?watch=true&resourceVersion=${store.rev + 100}`);
  t.equal(r.statusCode, 504);
  t.equal((await req('GET', `${CM}?watch=true&labelSelector=${encodeURIComponent('a in (')}`)).statusCode, 400);
});

t.test('the deprecated /watch/ path prefix is a watch', async (t) => {
  const { req, base, store } = await listening(t);
  const w = await openWatch(base, `/api/v1/watch/namespaces/default/configmaps?resourceVersion=${store.rev}`);
  await req('POST', CM, configMap('w'));
  t.match(await w.next(), { type: 'ADDED', object: { metadata: { name: 'w' } } });
  w.close();
});
