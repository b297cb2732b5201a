// "Bad input gets a 4xx and changes nothing; the server never crashes": a seeded stream of broken
// requests (truncated and re-typed bodies, wrong media types, odd paths and queries) against every
// verb. Each answer must be a Status below 500, and a refused request must not move the revision.
import t from 'tap';
import { pick, randomInt, seededRandom } from '../../core/random.ts';
import { apiFixture, configMap } from './server.ts';

const rng = seededRandom('api-robustness');

const VALID = [
  configMap('cm', { a: 'b' }),
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 1, selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } } },
  { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }] }] } },
];
const URLS = [
  '/api/v1/namespaces/default/configmaps',
  '/api/v1/namespaces/default/configmaps/cm',
  '/apis/apps/v1/namespaces/default/deployments',
  '/apis/apps/v1/namespaces/default/deployments/d/scale',
  '/api/v1/namespaces/default/pods/p/status',
  '/api/v1/namespaces/default/pods/p/binding',
  '/api/v1/namespaces/nowhere/pods',
  '/api/v1/nodes/n/status',
  '/apis/apps/v1/namespaces/default/deployments?labelSelector=a%20in%20(',
  '/api/v1/namespaces/default/configmaps?limit=x&continue=bogus',
  '/api/v1/namespaces/default/configmaps?fieldSelector=spec.nope%3D1',
  '/api/v1/namespaces/default/configmaps?resourceVersion=abc&watch=true',
];
const TYPES = ['application/json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/json-patch+json', 'application/apply-patch+yaml', 'application/yaml', 'application/vnd.kubernetes.protobuf', 'text/plain'];
const METHODS = ['POST', 'PUT', 'PATCH', 'DELETE', 'GET'] as const;

/** Replace one value somewhere in `v` by a value of another type. */
function retype(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return pick(rng, [42, 'x', true, null, [], {}, -1, 1e308]);
  const keys = Object.keys(v);
  if (keys.length === 0) return pick(rng, [42, 'x', null]);
  const k = pick(rng, keys);
  const copy: Record<string, unknown> = Array.isArray(v) ? ([...v] as unknown as Record<string, unknown>) : { ...(v as Record<string, unknown>) };
  copy[k] = randomInt(rng, 3) === 0 ? retype(undefined) : retype(copy[k]);
  return copy;
}

function brokenBody(): string | Buffer {
  const text = JSON.stringify(retype(retype(pick(rng, VALID))));
  switch (randomInt(rng, 4)) {
    case 0:
      return text.slice(0, randomInt(rng, text.length));
    case 1:
      return Buffer.from(Array.from({ length: randomInt(rng, 64) }, () => randomInt(rng, 256)));
    default:
      return text;
  }
}

t.test('a thousand broken requests: never a 5xx, always a Status', async (t) => {
  const { app, store } = await apiFixture(t);
  const bad: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const method = pick(rng, METHODS);
    const url = pick(rng, URLS);
    const rev = store.rev;
    const r = await app.inject({ method, url, headers: { 'content-type': pick(rng, TYPES) }, payload: method === 'GET' ? undefined : brokenBody() });
    const body = r.headers['content-type']?.toString().startsWith('application/json') ? r.json() : undefined;
    if (r.statusCode >= 500 || (r.statusCode >= 400 && body?.kind !== 'Status')) bad.push(`${method} ${url} → ${r.statusCode} ${r.body.slice(0, 200)}`);
    if (r.statusCode >= 400 && store.rev !== rev) bad.push(`${method} ${url} → ${r.statusCode} but the revision moved`);
  }
  t.same(bad, [], 'every failure is a 4xx Status');
  const list = await app.inject({ method: 'GET', url: '/api/v1/namespaces' });
  t.equal(list.statusCode, 200, 'the server still serves');
});

t.test('integer query parameters that do not parse are a 400, as the parameter codec answers', async (t) => {
  const { app } = await apiFixture(t);
  for (const [query, value] of [['watch=true&timeoutSeconds', 'abc'], ['watch=true&timeoutSeconds', '1.5'], ['limit', 'x']] as const) {
    const r = await app.inject({ method: 'GET', url: `/api/v1/namespaces/default/configmaps?${query}=${value}` });
    t.equal(r.statusCode, 400, query);
    t.match(r.json(), { kind: 'Status', reason: 'BadRequest', message: `strconv.ParseInt: parsing "${value}": invalid syntax` }, query);
  }
});
