import t from 'tap';
import { apiFixture, configMap } from './server.ts';

const CM = '/api/v1/namespaces/default/configmaps';

t.test('client mistakes are 4xx Status replies that change nothing', async (t) => {
  const { req, store } = await apiFixture(t);
  const rev = store.rev;
  const badJson = await req('POST', CM, '{"metadata": {');
  t.equal(badJson.statusCode, 400);
  t.match(badJson.json(), { kind: 'Status', reason: 'BadRequest', message: /json parse error/ });

  const huge = await req('POST', CM, JSON.stringify(configMap('big', { x: 'a'.repeat(3 * 1024 * 1024 + 1) })));
  t.equal(huge.statusCode, 413);
  t.equal(huge.json().reason, 'RequestEntityTooLarge');

  const media = await req('POST', CM, 'x=1', { 'content-type': 'text/plain' });
  t.equal(media.statusCode, 415);
  t.equal(media.json().reason, 'UnsupportedMediaType');

  const wrongKind = await req('POST', CM, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } });
  t.equal(wrongKind.statusCode, 400);

  const wrongNs = await req('POST', CM, { ...configMap('x'), metadata: { name: 'x', namespace: 'kube-system' } });
  t.equal(wrongNs.statusCode, 400);
  t.match(wrongNs.json().message, /does not match the namespace/);

  const notObject = await req('POST', CM, '[1,2]');
  t.equal(notObject.statusCode, 400);

  const allNamespaces = await req('POST', '/api/v1/configmaps', { ...configMap('x'), metadata: { name: 'x', namespace: 'default' } });
  t.equal(allNamespaces.statusCode, 405, 'no create through the all-namespaces list');

  const method = await req('PUT', CM, configMap('x'));
  t.equal(method.statusCode, 405);
  t.equal(method.json().reason, 'MethodNotAllowed');

  t.equal(store.rev, rev, 'nothing was written');
});

t.test('YAML bodies are accepted', async (t) => {
  const { req } = await apiFixture(t);
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: y\ndata:\n  answer: "yes"\n';
  const r = await req('POST', CM, yaml, { 'content-type': 'application/yaml' });
  t.equal(r.statusCode, 201);
  t.equal(r.json().data.answer, 'yes');
});

t.test('fieldValidation: Strict refuses unknown fields, Warn answers with a Warning header', async (t) => {
  const { req } = await apiFixture(t);
  const body = { ...configMap('f'), bogus: 1 };
  const strict = await req('POST', `${CM}?fieldValidation=Strict`, body);
  t.equal(strict.statusCode, 400);
  t.match(strict.json().message, /strict decoding error: unknown field "bogus"/);
  const warn = await req('POST', `${CM}?fieldValidation=Warn`, body);
  t.equal(warn.statusCode, 201);
  t.match(String(warn.headers.warning), /299 - "unknown field \\"bogus\\""/);
  const bad = await req('POST', `${CM}?fieldValidation=Loud`, configMap('g'));
  t.equal(bad.statusCode, 400);
});

t.test('null metadata fields are dropped as Go decodes them, so selectors never meet a null map', async (t) => {
  const { req } = await apiFixture(t);
  const r = await req('POST', CM, { ...configMap('n'), metadata: { name: 'n', labels: null, annotations: null } });
  t.equal(r.statusCode, 201);
  t.notOk('labels' in r.json().metadata);
  const list = await req('GET', `${CM}?labelSelector=${encodeURIComponent('a!=b')}`);
  t.equal(list.statusCode, 200);
  t.same(list.json().items.map((i: { metadata: { name: string } }) => i.metadata.name), ['n']);
});

t.test('a JSON patch that sets labels to null leaves no null map either', async (t) => {
  const { req } = await apiFixture(t);
  await req('POST', CM, configMap('m', {}, { a: 'b' }));
  const r = await req('PATCH', `${CM}/m`, [{ op: 'replace', path: '/metadata/labels', value: null }], { 'content-type': 'application/json-patch+json' });
  t.equal(r.statusCode, 200);
  t.notOk('labels' in r.json().metadata);
});
