// deepEqual and specChanged (core/metadata.ts): the generation rule's comparison of JSON data — key
// order and keys holding undefined do not count, array order does.
import t from 'tap';
import { deepEqual, specChanged } from '../../core/metadata.ts';
import type { KObject } from '../../core/object.ts';

const EQUAL: Array<[string, unknown, unknown]> = [
  ['same primitives', 'a', 'a'],
  ['nested objects, keys in another order', { a: 1, b: { c: [1, { d: 2, e: 3 }] } }, { b: { c: [1, { e: 3, d: 2 }] }, a: 1 }],
  ['a key holding undefined is no key', { a: 1, b: undefined }, { a: 1 }],
  ['…on either side', { a: 1 }, { c: undefined, a: 1 }],
  ['empty object and empty array each to itself', [{}, []], [{}, []]],
  ['null', { a: null }, { a: null }],
];

const DIFFERENT: Array<[string, unknown, unknown]> = [
  ['another primitive', 1, '1'],
  ['a missing key', { a: 1, b: 2 }, { a: 1 }],
  ['an extra key', { a: 1 }, { a: 1, b: 2 }],
  ['the same number of keys, other names', { a: 1, b: 2 }, { a: 1, c: 2 }],
  ['undefined against a value', { a: undefined }, { a: 0 }],
  ['null against an object', { a: null }, { a: {} }],
  ['array order', [1, 2], [2, 1]],
  ['array length', [1, 2], [1, 2, undefined]],
  ['an array against an object with index keys', [1], { 0: 1 }],
  ['a deep difference', { a: { b: [{ c: 1 }] } }, { a: { b: [{ c: 2 }] } }],
  ['NaN (not equal to itself)', NaN, NaN],
];

t.test('deepEqual', async (t) => {
  for (const [label, a, b] of EQUAL) {
    t.ok(deepEqual(a, b), `${label}: equal`);
    t.ok(deepEqual(b, a), `${label}: equal, swapped`);
  }
  for (const [label, a, b] of DIFFERENT) {
    t.notOk(deepEqual(a, b), `${label}: different`);
    t.notOk(deepEqual(b, a), `${label}: different, swapped`);
  }
});

t.test('specChanged looks at everything but metadata and status', async (t) => {
  const pod = (over: Partial<KObject>): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] }, ...over });
  t.notOk(specChanged(pod({ metadata: { name: 'p', labels: { a: 'b' } }, status: { phase: 'Running' } }), pod({})), 'metadata and status only');
  t.ok(specChanged(pod({ spec: { containers: [{ name: 'd' }] } }), pod({})), 'a spec change');
  t.ok(specChanged(pod({ data: { k: 'v' } }), pod({})), 'a field the old object lacks');
  t.ok(specChanged(pod({}), pod({ data: { k: 'v' } })), 'a field the new object lacks');
  t.notOk(specChanged(pod({ data: undefined }), pod({})), 'a field holding undefined is no field');
});
