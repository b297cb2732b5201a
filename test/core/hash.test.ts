import t from 'tap';
import { canonicalJson, fnv32a, podTemplateHash, safeEncode } from '../../core/hash.ts';

const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } };

t.test('fnv32a matches the published FNV-1a test vectors', async (t) => {
  t.equal(fnv32a(new TextEncoder().encode('')), 0x811c9dc5);
  t.equal(fnv32a(new TextEncoder().encode('a')), 0xe40c292c);
  t.equal(fnv32a(new TextEncoder().encode('hello')), 0x4f9f2cab);
});

t.test('safeEncode maps digits through the Kubernetes safe alphabet', async (t) => {
  t.equal(safeEncode('1594726520'), '59f8c6b964');
  t.match(safeEncode('0123456789'), /^[bcdfghjklmnpqrstvwxz2456789]{10}$/);
});

t.test('canonicalJson sorts keys and drops undefined and null members', async (t) => {
  t.equal(canonicalJson({ b: 1, a: [{ d: undefined, c: 'x' }] }), '{"a":[{"c":"x"}],"b":1}');
  t.equal(canonicalJson({ metadata: { creationTimestamp: null, labels: {} }, list: [null] }), '{"list":[null],"metadata":{"labels":{}}}');
});

t.test('podTemplateHash is a pure function of the template and collisionCount', async (t) => {
  const reordered = { spec: { containers: [{ image: 'nginx', name: 'web' }] }, metadata: { labels: { app: 'web' } } };
  t.equal(podTemplateHash(template), podTemplateHash(reordered), 'key order does not matter');
  t.match(podTemplateHash(template), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
  const changed = structuredClone(template);
  changed.spec.containers[0].image = 'nginx:1.27';
  t.not(podTemplateHash(changed), podTemplateHash(template), 'a different image gives a different hash');
  t.not(podTemplateHash(template, 1), podTemplateHash(template), 'collisionCount moves the hash');
  t.not(podTemplateHash(template, 1), podTemplateHash(template, 2));
  t.equal(podTemplateHash(template, undefined), podTemplateHash(template));
  const fromKubectl = { ...template, metadata: { ...template.metadata, creationTimestamp: null } };
  t.equal(podTemplateHash(fromKubectl), podTemplateHash(template), 'creationTimestamp: null (rollout undo) hashes as absent');
});

t.test('a null field hashes as an absent one (rollout undo sends creationTimestamp: null back)', async (t) => {
  const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.25' }] } };
  const undone = { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: template.spec };
  t.equal(podTemplateHash(undone), podTemplateHash(template));
});
