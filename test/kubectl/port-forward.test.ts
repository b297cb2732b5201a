// seed 001: `kubectl port-forward nginx 8000:80`, then HTTP requests to the local port reach the
// simulated pod through the SPDY-over-WebSocket tunnel.
import t from 'tap';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { startRewind } from './harness.ts';

const rw = await startRewind(t);

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function fetchLocal(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

t.test('kubectl port-forward nginx LOCAL:80 forwards HTTP to the pod', async (t) => {
  await rw.kubectl('run', 'nginx', '--image=nginx', '--port=80');
  t.equal((await rw.kubectl('wait', '--for=condition=Ready', 'pod/nginx', '--timeout=60s')).code, 0);
  const port = await freePort();
  const pf = rw.spawnKubectl('port-forward', 'nginx', `${port}:80`);
  t.teardown(() => pf.kill());
  const out = await pf.waitFor(/Forwarding from 127\.0\.0\.1/);
  t.match(out, `Forwarding from 127.0.0.1:${port} -> 80`);
  for (let i = 0; i < 2; i++) {
    const r = await fetchLocal(port);
    t.equal(r.status, 200);
    t.match(r.body, /<title>Welcome to nginx!<\/title>[\s\S]*served by pod nginx/);
  }
  const refused = await rw.kubectl('port-forward', 'nosuch', `${port}:80`);
  t.match(refused.stderr, /pods "nosuch" not found/);
});
