// JSON patch (RFC 6902) and merge patch (RFC 7386) with the bodies kubectl sends.
import t from 'tap';
import { applyPatch } from '../../core/patch/index.ts';
import type { KObject } from '../../core/object.ts';
import { statusOf } from './status-of.ts';

const cm = (): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', labels: { env: 'staging', k: 'v' } }, data: { a: '1' } });
const run = (contentType: string, body: unknown, current = cm()) => applyPatch({ contentType, current, res: 'v1/configmaps', body: JSON.stringify(body) });
const MERGE = 'application/merge-patch+json';
const JSONP = 'application/json-patch+json';

t.test('merge patch: label, label k-, scale, empty', async (t) => {
  t.same(run(MERGE, { metadata: { labels: { env: 'prod' } } }).metadata.labels, { env: 'prod', k: 'v' });
  t.same(run(MERGE, { metadata: { labels: { k: null } } }).metadata.labels, { env: 'staging' });
  t.same(run(MERGE, {}), cm());
  const scale: KObject = { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'd' }, spec: { replicas: 1 } };
  t.same(applyPatch({ contentType: MERGE, current: scale, res: 'autoscaling/v1/scales', body: '{"spec":{"replicas":5}}' }).spec, { replicas: 5 });
  t.same(run(MERGE, { data: { list: [1] } }).data, { a: '1', list: [1] }, 'lists replace');
});

t.test('json patch: rollout undo replaces the template and annotations', async (t) => {
  const deploy: KObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', annotations: { a: '1' } }, spec: { template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'v2' }] } } } };
  const template = { metadata: { creationTimestamp: null, labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } };
  const out = applyPatch({ contentType: JSONP, current: deploy, res: 'apps/v1/deployments', body: JSON.stringify([
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '1' } },
  ]) });
  t.same((out.spec as any).template, template);
  t.same(out.metadata.annotations, { 'deployment.kubernetes.io/revision': '1' });
  t.equal((deploy.spec as any).template.spec.containers[0].image, 'v2', 'current is not mutated');
});

t.test('json patch: add, remove, test', async (t) => {
  t.same(run(JSONP, [{ op: 'add', path: '/data/b', value: '2' }, { op: 'remove', path: '/metadata/labels/k' }, { op: 'test', path: '/data/a', value: '1' }]),
    { ...cm(), metadata: { name: 'c', labels: { env: 'staging' } }, data: { a: '1', b: '2' } });
});

const failures: [string, unknown, number, string][] = [
  // [what, body, code, reason]
  ['a failed test op', [{ op: 'test', path: '/data/a', value: '2' }], 422, 'Invalid'],
  ['a path that does not exist', [{ op: 'replace', path: '/spec/x', value: 1 }], 422, 'Invalid'],
  ['an unknown op', [{ op: 'bogus', path: '/data' }], 422, 'Invalid'],
  ['a body that is not a list', { op: 'add' }, 400, 'BadRequest'],
];
for (const [what, body, code, reason] of failures) {
  t.test(`json patch: ${what} → ${code}`, async (t) => {
    t.match(statusOf(() => run(JSONP, body)), { code, reason });
  });
}

t.test('malformed JSON is 400 for every JSON patch type', async (t) => {
  for (const ct of [MERGE, JSONP, 'application/strategic-merge-patch+json']) {
    t.match(statusOf(() => applyPatch({ contentType: ct, current: cm(), res: 'v1/configmaps', body: '{"a":' })), { code: 400 }, ct);
  }
});
