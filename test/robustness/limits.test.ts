// The server's bounds, observed from clients: a watcher that stops reading is cut off with a 410
// ERROR event and resumes from its last resourceVersion; beyond --max-requests-inflight requests get
// 429 with Retry-After while watches are not counted; bodies over 3 MiB get 413; lists are paged.

import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import t from 'tap';
import { served } from './served.ts';

async function listening(f: { app: { listen(o: object): Promise<string>; server: { address(): unknown } } }): Promise<number> {
  await f.app.listen({ host: '127.0.0.1', port: 0 });
  return (f.app.server.address() as { port: number }).port;
}

/** A raw HTTP/1.1 request on its own socket; what the server sends is collected in `received`. */
function rawRequest(port: number, head: string): { socket: Socket; received: () => string; closed: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  let got = '';
  socket.on('data', (c) => (got += c.toString('utf8')));
  const closed = new Promise<void>((done) => socket.on('close', () => done()));
  socket.write(head);
  return { socket, received: () => got, closed };
}

const configMap = (name: string, size: number) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { blob: 'x'.repeat(size) } });

/** The JSON watch events in a chunked HTTP response body. */
function watchEvents(raw: string): { type: string; object: { code?: number; message?: string; metadata?: { name?: string; resourceVersion?: string } } }[] {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  return body
    .split(/\r\n/)
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => line.split('\n').filter(Boolean))
    .map((line) => JSON.parse(line));
}

/** A watch through node's HTTP client (it undoes the chunked framing); paused until `resume()`. */
function pausedWatch(port: number, rv: string): Promise<{ resume(): Promise<string> }> {
  return new Promise((ready) => {
    const req = get(`http://127.0.0.1:${port}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, (res) => {
      res.pause();
      ready({
        resume: () =>
          new Promise((done) => {
            let body = '';
            res.on('data', (c: Buffer) => (body += c.toString('utf8')));
            res.on('end', () => done(body));
            res.on('close', () => done(body));
            res.resume();
          }),
      });
    });
  });
}

type WatchEvent = { type: string; object: { code?: number; message?: string; metadata?: { name?: string; resourceVersion?: string } } };
const lines = (body: string): WatchEvent[] => body.split('\n').filter(Boolean).map((l) => JSON.parse(l));

t.test('a paused watcher is closed with 410 and resumes from its last resourceVersion', async (t) => {
  const f = await served(t, { watchBufferBytes: 256 * 1024 });
  const port = await listening(f);
  const watcher = await pausedWatch(port, String(f.store.rev));
  const TOTAL = 40;
  for (let i = 0; i < TOTAL; i++) {
    const r = await f.app.inject({ method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(configMap(`cm-${i}`, 900_000)) });
    t.equal(r.statusCode, 201);
  }
  const events = lines(await watcher.resume());
  const last = events[events.length - 1];
  t.equal(last.type, 'ERROR', 'the watch ends with an ERROR event');
  t.equal(last.object.code, 410);
  t.match(last.object.message, /too old resource version/);
  const added = events.filter((e) => e.type === 'ADDED');
  t.ok(added.length < TOTAL, `the paused watcher got ${added.length} of ${TOTAL} before it was cut off`);

  const resumeFrom = added[added.length - 1].object.metadata!.resourceVersion!;
  const rest = await watchUntil(port, resumeFrom, `cm-${TOTAL - 1}`);
  t.equal(rest[0].object.metadata!.name, `cm-${added.length}`, 'the resumed watch starts right after the last event received');
  t.equal(rest.length, TOTAL - added.length, 'and delivers every later event');
});

/** One watch from `rv`, read until it ends or an ADDED for `name` arrives. */
function watchOnce(port: number, rv: string, name: string): Promise<WatchEvent[]> {
  return new Promise((done) => {
    const req = get(`http://127.0.0.1:${port}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${rv}`, (res) => {
      let body = '';
      const complete = () => lines(body.slice(0, body.lastIndexOf('\n') + 1));
      res.on('data', (c: Buffer) => {
        body += c.toString('utf8');
        if (complete().some((e) => e.type === 'ADDED' && e.object.metadata?.name === name)) {
          req.destroy();
          done(complete());
        }
      });
      res.on('end', () => done(complete()));
    });
  });
}

/** Watch as a reflector does: on 410 watch again from the last resourceVersion seen, until `name` is ADDED. */
async function watchUntil(port: number, rv: string, name: string): Promise<WatchEvent[]> {
  const seen: WatchEvent[] = [];
  for (let from = rv; !seen.some((e) => e.object.metadata?.name === name); ) {
    const events = await watchOnce(port, from, name);
    const added = events.filter((e) => e.type === 'ADDED');
    seen.push(...added);
    if (added.length > 0) from = added[added.length - 1].object.metadata!.resourceVersion!;
  }
  return seen;
}

t.test('--max-requests-inflight: 429 with Retry-After beyond it; watches not counted', async (t) => {
  const f = await served(t, { maxRequestsInflight: 2 });
  const port = await listening(f);
  const watches = [0, 1, 2].map(() => rawRequest(port, 'GET /api/v1/namespaces/default/pods?watch=true HTTP/1.1\r\nHost: x\r\n\r\n'));
  await Promise.all(watches.map((w) => new Promise((done) => w.socket.once('data', done))));
  const list = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/pods`);
  t.equal(list.status, 200, 'three open watches do not use up two slots');
  // Two requests whose bodies never finish arriving stay in flight.
  const slow = [0, 1].map(() => rawRequest(port, 'POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{'));
  await new Promise((done) => setImmediate(done));
  let third = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/pods`);
  for (let i = 0; i < 50 && third.status !== 429; i++) third = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/pods`);
  t.equal(third.status, 429);
  t.equal(third.headers.get('retry-after'), '1');
  t.match(await third.json(), { kind: 'Status', reason: 'TooManyRequests', code: 429 });
  const probe = await fetch(`http://127.0.0.1:${port}/readyz`);
  t.equal(probe.status, 200, 'health probes are exempt');
  for (const s of slow) s.socket.destroy();
  await Promise.all(slow.map((s) => s.closed));
  let after = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/pods`);
  for (let i = 0; i < 50 && after.status !== 200; i++) after = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/pods`);
  t.equal(after.status, 200, 'slots come back when the requests end');
  for (const w of watches) w.socket.destroy();
});

t.test('bodies over 3 MiB are 413; lists are paged with limit and continue', async (t) => {
  const f = await served(t);
  const big = await f.app.inject({ method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: { 'content-type': 'application/json' }, payload: Buffer.alloc(3 * 1024 * 1024 + 1, 'x') });
  t.equal(big.statusCode, 413);
  t.equal(big.json().reason, 'RequestEntityTooLarge');
  for (let i = 0; i < 5; i++) await f.app.inject({ method: 'POST', url: '/api/v1/namespaces/default/configmaps', headers: { 'content-type': 'application/json' }, payload: JSON.stringify(configMap(`p-${i}`, 1)) });
  const names: string[] = [];
  let next = '';
  do {
    const page = (await f.app.inject({ method: 'GET', url: `/api/v1/namespaces/default/configmaps?limit=2${next ? `&continue=${encodeURIComponent(next)}` : ''}` })).json();
    t.ok(page.items.length <= 2);
    names.push(...page.items.map((o: { metadata: { name: string } }) => o.metadata.name));
    next = page.metadata.continue ?? '';
  } while (next);
  t.same(names, ['p-0', 'p-1', 'p-2', 'p-3', 'p-4']);
});
