import t from 'tap';
import { apiFixture } from './server.ts';

t.test('version reports 1.32 so the kubectl dispatcher picks kubectl 1.32', async (t) => {
  const { req } = await apiFixture(t);
  const r = await req('GET', '/version?timeout=5s');
  t.equal(r.statusCode, 200);
  t.match(r.json(), { major: '1', minor: '32', gitVersion: /^v1\.32\./ });
  t.equal(r.headers['cache-control'], 'no-cache, private');
});

t.test('aggregated discovery: exact content type, short names, categories', async (t) => {
  const { req } = await apiFixture(t);
  const accept = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';
  const core = await req('GET', '/api', undefined, { accept });
  t.match(core.headers['content-type'], /^application\/json;g=apidiscovery\.k8s\.io;v=v2;as=APIGroupDiscoveryList/);
  const v1 = core.json().items[0].versions[0];
  t.equal(v1.version, 'v1');
  const pods = v1.resources.find((r: { resource: string }) => r.resource === 'pods');
  t.match(pods, { scope: 'Namespaced', shortNames: ['po'], categories: ['all'], responseKind: { kind: 'Pod' } });
  const apis = (await req('GET', '/apis', undefined, { accept })).json();
  const apps = apis.items.find((g: { metadata: { name: string } }) => g.metadata.name === 'apps');
  const deploy = apps.versions[0].resources.find((r: { resource: string }) => r.resource === 'deployments');
  t.same(deploy.shortNames, ['deploy']);
  t.ok(deploy.subresources.some((s: { subresource: string }) => s.subresource === 'scale'));
  const hpa = apis.items.find((g: { metadata: { name: string } }) => g.metadata.name === 'autoscaling');
  t.same(hpa.versions.map((v: { version: string }) => v.version), ['v2', 'v1'], 'preferred version first');
});

t.test('legacy discovery for clients that do not ask for the aggregated format', async (t) => {
  const { req } = await apiFixture(t);
  t.match((await req('GET', '/api')).json(), { kind: 'APIVersions', versions: ['v1'] });
  const groups = (await req('GET', '/apis')).json();
  t.equal(groups.kind, 'APIGroupList');
  t.ok(groups.groups.some((g: { name: string }) => g.name === 'apps'));
  const core = (await req('GET', '/api/v1')).json();
  t.equal(core.kind, 'APIResourceList');
  t.ok(core.resources.some((r: { name: string; kind: string }) => r.name === 'pods/binding' && r.kind === 'Binding'));
  const apps = (await req('GET', '/apis/apps/v1')).json();
  t.match(apps.resources.find((r: { name: string }) => r.name === 'deployments/scale'), { group: 'autoscaling', version: 'v1', kind: 'Scale' });
});

t.test('unknown paths get the apiserver NotFound Status', async (t) => {
  const { req } = await apiFixture(t);
  for (const url of ['/nope', '/api/v1/foos', '/apis/nope/v1', '/apis/apps/v1/namespaces/default/pods']) {
    const r = await req('GET', url);
    t.equal(r.statusCode, 404, url);
    t.match(r.json(), { kind: 'Status', status: 'Failure', reason: 'NotFound', message: 'the server could not find the requested resource' });
  }
});

t.test('OpenAPI v3: an index of every group-version; a document at its hash is immutable', async (t) => {
  const { req } = await apiFixture(t);
  const index = (await req('GET', '/openapi/v3')).json();
  t.ok(index.paths['api/v1'] && index.paths['apis/apps/v1'] && index.paths['apis/autoscaling/v1']);
  const url = index.paths['apis/apps/v1'].serverRelativeURL;
  const doc = await req('GET', url);
  t.equal(doc.statusCode, 200);
  t.equal(doc.headers['cache-control'], 'public, immutable');
  t.ok(doc.json().components.schemas);
  const stale = await req('GET', '/openapi/v3/apis/apps/v1?hash=old');
  t.equal(stale.headers['cache-control'], 'no-cache, private');
  t.equal((await req('GET', '/openapi/v3/apis/nope/v1')).statusCode, 404);
  const v2 = await req('GET', '/openapi/v2');
  t.same([v2.statusCode, v2.json()], [200, { swagger: '2.0' }], 'a Swagger 2.0 document without definitions');
});
