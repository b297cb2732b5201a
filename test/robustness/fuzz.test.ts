// Fuzzing the API with generated bad requests (test/robustness/bad-requests.ts): at least 10,000
// through fastify.inject and a smaller run over a real socket (plus malformed HTTP). Every answer is
// below 500, nothing crashes, a rejected request leaves the log exactly where it was (the store's
// head revision before and after), and the server still answers its health checks afterwards.
// The seed is printed; FUZZ_SEED=<seed> replays a failing run.

import { connect } from 'node:net';
import t from 'tap';
import { seededRandom } from '../../core/random.ts';
import { badRequest, KINDS_OF_BAD, realObjects, type BadRequest } from './bad-requests.ts';
import { served } from './served.ts';

const SEED = process.env.FUZZ_SEED ?? 'rewind-fuzz-1';
const INJECTED = Number(process.env.FUZZ_COUNT ?? 10_000);
const OVER_SOCKET = 400;
t.comment(`fuzz seed ${SEED} (FUZZ_SEED=${SEED} to replay)`);

const bases = realObjects();

interface Tally {
  sent: number;
  rejected: number;
  accepted: number;
}

const describe = (r: BadRequest, n: number) => `#${n} ${r.what}: ${r.method} ${r.url.slice(0, 120)}`;

t.test(`${INJECTED} bad requests through inject`, async (t) => {
  const f = await served(t);
  const rng = seededRandom(SEED);
  const tally: Tally = { sent: 0, rejected: 0, accepted: 0 };
  const failures: string[] = [];
  for (let n = 0; n < INJECTED; n++) {
    const r = badRequest(rng, n, bases);
    const before = f.store.rev;
    const res = await f.app.inject({ method: r.method, url: r.url, headers: r.headers, payload: r.payload });
    tally.sent++;
    if (res.statusCode >= 500) failures.push(`${describe(r, n)} → ${res.statusCode} ${res.body.slice(0, 300)}`);
    if (res.statusCode >= 400) {
      tally.rejected++;
      if (f.store.rev !== before) failures.push(`${describe(r, n)} → ${res.statusCode} but the log moved from ${before} to ${f.store.rev}`);
    } else tally.accepted++;
    if (failures.length >= 20) break;
  }
  t.same(failures, [], `no 5xx and no write from a rejected request (seed ${SEED})`);
  t.equal(tally.sent, INJECTED);
  t.ok(tally.rejected > INJECTED * 0.6, `most are rejected (${tally.rejected} rejected, ${tally.accepted} accepted, ${KINDS_OF_BAD.length} kinds of breakage)`);
  const ready = await f.app.inject({ method: 'GET', url: '/readyz' });
  t.equal(ready.statusCode, 200, 'still ready');
  t.equal(ready.body, 'ok');
});

/** Raw bytes to the socket; resolves with whatever the server answered before closing. */
function raw(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let got = '';
    socket.on('data', (c) => (got += c.toString('latin1')));
    socket.on('error', () => resolve(got));
    socket.on('close', () => resolve(got));
    socket.end(bytes);
  });
}

const MALFORMED_HTTP = [
  'GARBAGE\r\n\r\n',
  'GET /api/v1/pods HTTP/9.9\r\n\r\n',
  'GET /api/v1/pods\r\n\r\n',
  `GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
  'POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\nContent-Type: application/json\r\n\r\n{"kind":',
  'POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nZZ\r\nxx\r\n',
  'POST /api/v1/namespaces/default/configmaps HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
  'GET /api/v1/namespaces/default/pods?watch=true HTTP/1.1\r\nHost: x\r\n\r\n',
  '\u0000\u0001\u0002\r\n\r\n',
];

t.test(`${OVER_SOCKET} bad requests over a real socket, and malformed HTTP`, async (t) => {
  const f = await served(t);
  await f.app.listen({ host: '127.0.0.1', port: 0 });
  const address = f.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const rng = seededRandom(`${SEED}/socket`);
  const failures: string[] = [];
  for (let n = 0; n < OVER_SOCKET; n++) {
    const r = badRequest(rng, n, bases);
    const before = f.store.rev;
    const res = await fetch(`http://127.0.0.1:${port}${r.url}`, { method: r.method, headers: r.headers, body: r.method === 'GET' || r.payload === undefined ? undefined : new Uint8Array(Buffer.from(r.payload)) });
    const text = await res.text();
    if (res.status >= 500) failures.push(`${describe(r, n)} → ${res.status} ${text.slice(0, 300)}`);
    if (res.status >= 400 && f.store.rev !== before) failures.push(`${describe(r, n)} → ${res.status} but the log moved`);
  }
  t.same(failures, [], 'no 5xx, no write from a rejected request');
  const before = f.store.rev;
  for (const bytes of MALFORMED_HTTP) {
    const answer = await raw(port, bytes);
    t.notMatch(answer, /^HTTP\/1\.1 5\d\d/, `no 5xx for ${JSON.stringify(bytes.slice(0, 40))}`);
  }
  t.equal(f.store.rev, before, 'malformed HTTP wrote nothing');
  const health = await fetch(`http://127.0.0.1:${port}/healthz?verbose`);
  t.equal(health.status, 200);
  t.match(await health.text(), /healthz check passed/);
});
