// /healthz, /livez, /readyz as kube-apiserver answers them: "ok", ?verbose listing each check,
// per-check paths (/livez/etcd is the log check), ?exclude, and readiness failing once shutdown began.

import t from 'tap';
import { healthyState } from '../../api/health.ts';
import { served } from './served.ts';

t.test('probes', async (t) => {
  const health = healthyState();
  const f = await served(t, { health });
  const get = async (url: string) => {
    const r = await f.app.inject({ method: 'GET', url });
    return { code: r.statusCode, body: r.body };
  };
  t.same(await get('/readyz'), { code: 200, body: 'ok' });
  t.same(await get('/readyz?verbose'), { code: 200, body: '[+]ping ok\n[+]log ok\n[+]shutdown ok\nreadyz check passed\n' });
  t.same(await get('/livez?verbose'), { code: 200, body: '[+]ping ok\n[+]log ok\nlivez check passed\n' });
  t.same(await get('/livez/etcd'), { code: 200, body: 'ok' }, 'etcd is the log check');
  t.same(await get('/readyz/ping'), { code: 200, body: 'ok' });
  t.equal((await get('/readyz/nope')).code, 404);

  health.shuttingDown = true;
  t.same(await get('/readyz?verbose'), { code: 500, body: '[+]ping ok\n[+]log ok\n[-]shutdown failed: reason withheld\nreadyz check failed\n' });
  t.equal((await get('/readyz/shutdown')).code, 500);
  t.same(await get('/readyz?exclude=shutdown'), { code: 200, body: 'ok' });
  t.same(await get('/livez'), { code: 200, body: 'ok' }, 'still alive while draining');
  health.logClosed = true;
  t.equal((await get('/healthz')).code, 500, 'a closed log fails healthz');
});
