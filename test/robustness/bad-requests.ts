// A seeded generator of bad requests for the fuzz tests: real objects (the seed tutorials' manifests
// plus one of every common kind) broken in every way a client can break them — truncated or
// corrupted JSON and YAML, each leaf replaced by a value of the wrong type, invalid names and labels,
// huge strings, deep nesting, unknown groups, versions and kinds, bad selectors, bad patches of every
// patch type, bad resourceVersions and bad query parameters.

import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { pick, randomInt } from '../../core/random.ts';
import { lookupKind } from '../../core/registry.ts';

export interface BadRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** What was broken, for the failure message. */
  what: string;
}

type Rng = () => number;
type Obj = Record<string, unknown>;

const MANIFESTS = new URL('../kubectl/seed-manifests/', import.meta.url);

const EXTRA: Obj[] = [
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', labels: { a: 'b' } }, data: { k: 'v' } },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { k: 'dg==' } },
  { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: 2, selector: { matchLabels: { app: 'd' } }, template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'nginx', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '100m' } } }] } } } },
  { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox', command: ['true'] }] } } } },
  { apiVersion: 'v1', kind: 'Service', metadata: { name: 'svc' }, spec: { selector: { app: 'd' }, ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }] },
];

/** Every object of the seed manifests and the extras, with the collection URL it is created at. */
export function realObjects(): { object: Obj; collection: string }[] {
  const fromSeeds = readdirSync(MANIFESTS).flatMap((f) =>
    parseAllDocuments(readFileSync(new URL(f, MANIFESTS), 'utf8'))
      .map((d) => d.toJS() as Obj)
      .filter((o) => o && typeof o === 'object'),
  );
  return [...fromSeeds, ...EXTRA].flatMap((object) => {
    const info = lookupKind(String(object.apiVersion), String(object.kind));
    if (!info) return [];
    const prefix = info.group ? `/apis/${info.group}/${String(object.apiVersion).split('/')[1]}` : '/api/v1';
    const collection = info.scope === 'Namespaced' ? `${prefix}/namespaces/default/${info.plural}` : `${prefix}/${info.plural}`;
    return [{ object, collection }];
  });
}

/** Paths to every leaf (and every inner node) of a JSON value. */
export function paths(v: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (v === null || typeof v !== 'object') return [at];
  const children = Array.isArray(v) ? v.map((x, i) => paths(x, [...at, i])) : Object.entries(v).map(([k, x]) => paths(x, [...at, k]));
  return [at, ...children.flat()];
}

function setPath(v: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(v) ? [...v] : { ...(v as Obj) }) as Obj;
  const [head, ...rest] = path;
  copy[head as string] = setPath(copy[head as string], rest, value);
  return copy;
}

const deep = (n: number, leaf: unknown = 1): unknown => {
  let v = leaf;
  for (let i = 0; i < n; i++) v = { a: v };
  return v;
};

/** A value of another type than `v`, or a hostile one. */
function wrongValue(rng: Rng, v: unknown): unknown {
  const candidates: unknown[] = [42, -1, 1.5, 1e308, 'x', '', true, false, null, [], {}, ['x'], { x: 1 }, 'x'.repeat(100_000), deep(200), '\u0000\ud800', '-1', '9999999999999999999999'];
  return pick(rng, candidates.filter((c) => typeof c !== typeof v || c === null));
}

const BAD_NAMES = ['', 'UPPER', 'under_score', '-lead', 'trail-', 'a'.repeat(300), 'dot..dot', 'sp ace', '../etc', '%2e%2e', 'ünï', '\u0000', 'a/b'];
const BAD_LABELS: unknown[] = [{ '': 'v' }, { 'k k': 'v' }, { k: 'v v' }, { k: 'x'.repeat(64) }, { ['p'.repeat(254) + '/k']: 'v' }, { '/k': 'v' }, { k: 5 }, { k: null }, ['k'], 'k=v'];
const MEDIA = { json: 'application/json', yaml: 'application/yaml', merge: 'application/merge-patch+json', strategic: 'application/strategic-merge-patch+json', jsonPatch: 'application/json-patch+json', apply: 'application/apply-patch+yaml', protobuf: 'application/vnd.kubernetes.protobuf' };

function objectUrl(collection: string, obj: Obj): string {
  const name = (obj.metadata as Obj | undefined)?.name;
  return `${collection}/${encodeURIComponent(typeof name === 'string' && name ? name : 'x')}`;
}

type Make = (rng: Rng, base: { object: Obj; collection: string }) => BadRequest;

const NO_HEADERS: Record<string, string> = {};

const json = (v: unknown) => JSON.stringify(v);

const MAKERS: Record<string, Make> = {
  truncatedJson: (rng, { object, collection }) => {
    const text = json(object);
    return { method: 'POST', url: collection, headers: { 'content-type': MEDIA.json }, payload: text.slice(0, randomInt(rng, text.length - 1)), what: 'truncated JSON' };
  },
  corruptedJson: (rng, { object, collection }) => {
    const text = json(object);
    const i = randomInt(rng, text.length);
    return { method: pick(rng, ['POST', 'PUT'] as const), url: collection, headers: { 'content-type': MEDIA.json }, payload: text.slice(0, i) + pick(rng, ['{', '"', ']', '\\', ',,', '\u0000', 'nul']) + text.slice(i + 1), what: 'corrupted JSON' };
  },
  truncatedYaml: (rng, { object, collection }) => {
    const text = `apiVersion: ${String(object.apiVersion)}\nkind: ${String(object.kind)}\nmetadata:\n  name: y\n  labels: {a: [b\n: - :\n\t- x`;
    return { method: 'POST', url: collection, headers: { 'content-type': MEDIA.yaml }, payload: text.slice(0, randomInt(rng, text.length) + 1), what: 'broken YAML' };
  },
  wrongType: (rng, { object, collection }) => {
    const all = paths(object).filter((p) => p.length > 0);
    const path = pick(rng, all);
    const broken = setPath(object, path, wrongValue(rng, path.reduce<unknown>((v, k) => (v as Obj)[k as string], object)));
    const update = rng() < 0.3;
    return { method: update ? 'PUT' : 'POST', url: update ? objectUrl(collection, object) : collection, headers: { 'content-type': MEDIA.json }, payload: json(broken), what: `wrong type at ${path.join('.')}` };
  },
  badName: (rng, { object, collection }) => {
    const name = pick(rng, BAD_NAMES);
    return { method: 'POST', url: collection, headers: { 'content-type': MEDIA.json }, payload: json(setPath(object, ['metadata', 'name'], name)), what: `bad name ${JSON.stringify(name).slice(0, 40)}` };
  },
  badLabels: (rng, { object, collection }) => ({ method: 'POST', url: collection, headers: { 'content-type': MEDIA.json }, payload: json(setPath(object, ['metadata', pick(rng, ['labels', 'annotations'])], pick(rng, BAD_LABELS))), what: 'bad labels' }),
  hugeString: (rng, { object, collection }) => ({ method: 'POST', url: collection, headers: { 'content-type': MEDIA.json }, payload: json(setPath(object, ['metadata', 'annotations'], { big: 'x'.repeat(300_000 + randomInt(rng, 500_000)) })), what: 'huge annotation' }),
  tooLarge: (_rng, { collection }) => ({ method: 'POST', url: collection, headers: { 'content-type': MEDIA.json }, payload: Buffer.alloc(3 * 1024 * 1024 + 10, 'x'), what: 'body over 3 MiB' }),
  deepNesting: (rng, { object, collection }) => ({ method: 'POST', url: collection, headers: { 'content-type': MEDIA.json }, payload: json(setPath(object, ['spec'], deep(1000 + randomInt(rng, 3000)))), what: 'deep nesting' }),
  deepArrays: (rng, { collection }) => ({ method: 'POST', url: collection, headers: { 'content-type': MEDIA.json }, payload: '['.repeat(10_000 + randomInt(rng, 50_000)), what: 'deeply nested arrays' }),
  unknownKind: (rng, { object }) => {
    const url = pick(rng, ['/apis/nope.io/v1/namespaces/default/widgets', '/apis/apps/v9/namespaces/default/deployments', '/api/v2/pods', '/api/v1/namespaces/default/widgets', '/apis/apps', '/apis/apps/v1/deployments/x/y/z', '/api/v1/namespaces//pods', '/apis//v1/x']);
    return { method: pick(rng, ['POST', 'GET', 'DELETE', 'PUT'] as const), url, headers: { 'content-type': MEDIA.json }, payload: json(setPath(object, ['kind'], pick(rng, ['Widget', '', 7]))), what: 'unknown group/version/kind' };
  },
  mismatchedKind: (rng, { object, collection }) => ({ method: 'POST', url: collection, headers: { 'content-type': MEDIA.json }, payload: json({ ...object, apiVersion: pick(rng, ['v2', 'apps/v1beta9', 'x/y/z', '']), kind: pick(rng, ['Pod', 'Nope', '']) }), what: 'apiVersion/kind mismatch' }),
  badSelector: (rng, { collection }) => {
    const sel = pick(rng, ['a in (', 'a=b=c', '!', 'a notin b', ',,', 'a==', 'x'.repeat(70) + '=b', 'a in (b,', '(a)', 'a!=', '=v']);
    const field = pick(rng, ['metadata.name', 'spec.nope', 'status.phase', '']);
    return { method: pick(rng, ['GET', 'DELETE'] as const), url: `${collection}?${pick(rng, ['labelSelector', 'fieldSelector'])}=${encodeURIComponent(field ? `${field}${sel}` : sel)}`, headers: NO_HEADERS, what: 'bad selector' };
  },
  badPatch: (rng, { object, collection }) => {
    const type = pick(rng, [MEDIA.merge, MEDIA.strategic, MEDIA.jsonPatch, MEDIA.apply]);
    const payload = pick(rng, [
      '[{"op":"replace","path":"/spec/replicas"}]',
      '[{"op":"nope","path":"/a"}]',
      '[{"op":"add","path":"no-slash","value":1}]',
      '[{"op":"remove","path":"/metadata/name/x/y"}]',
      '[{"op":"test","path":"/metadata/name","value":"other"}]',
      '[{"op":"move","from":"/nope","path":"/a"}]',
      '{"op":"add"}',
      '[1,2,3]',
      '"string"',
      '{"metadata":{"name":"other"}}',
      '{"metadata":{"$patch":"delete"}}',
      '{"spec":{"$setElementOrder/containers":[{"name":1}]}}',
      '{"spec":{"containers":[{"$patch":"replace"}]}}',
      json({ ...object, metadata: { name: 7 } }),
      '{"apiVersion":"v1"}',
      'a: [b',
      '',
      '{',
    ]);
    const q = type === MEDIA.apply ? `?fieldManager=${pick(rng, ['fuzz', '', 'x'.repeat(200)])}&force=${pick(rng, ['true', 'maybe'])}` : '';
    return { method: 'PATCH', url: objectUrl(collection, object) + q, headers: { 'content-type': type }, payload, what: `bad ${type} patch` };
  },
  badResourceVersion: (rng, { object, collection }) => {
    const rv = pick(rng, ['abc', '-1', '1.5', '0x10', '99999999999999999999999', ' ', '1e3', 'null']);
    if (rng() < 0.5) return { method: 'GET', url: `${collection}?resourceVersion=${encodeURIComponent(rv)}&resourceVersionMatch=${pick(rng, ['Exact', 'NotOlderThan', 'Bogus'])}`, headers: NO_HEADERS, what: `list at resourceVersion ${rv}` };
    return { method: 'PUT', url: objectUrl(collection, object), headers: { 'content-type': MEDIA.json }, payload: json(setPath(object, ['metadata', 'resourceVersion'], rv)), what: `update at resourceVersion ${rv}` };
  },
  badQuery: (rng, { object, collection }) => {
    const q = pick(rng, ['limit=-1', 'limit=abc', 'limit=1e99', 'continue=bogus', 'continue=eyJ2IjoxfQ', 'timeoutSeconds=abc', 'dryRun=Maybe', 'fieldValidation=Loose', 'propagationPolicy=Sideways', 'gracePeriodSeconds=abc', 'gracePeriodSeconds=-5', 'orphanDependents=perhaps', 'pretty=%ZZ', 'fieldManager=' + 'x'.repeat(300), 'includeObject=Everything', 'sendInitialEvents=yes']);
    const method = pick(rng, ['GET', 'POST', 'DELETE'] as const);
    const url = method === 'DELETE' && rng() < 0.5 ? objectUrl(collection, object) : collection;
    return { method, url: `${url}?${q}`, headers: method === 'POST' ? { 'content-type': MEDIA.json } : NO_HEADERS, payload: method === 'POST' ? json(setPath(object, ['metadata', 'name'], 'q')) : undefined, what: `bad query ${q.slice(0, 40)}` };
  },
  badMediaType: (rng, { object, collection }) => ({ method: pick(rng, ['POST', 'PUT', 'PATCH'] as const), url: pick(rng, [collection, objectUrl(collection, object)]), headers: { 'content-type': pick(rng, ['text/plain', 'application/xml', 'multipart/form-data; boundary=x', MEDIA.protobuf, '', 'application/json; charset=utf-16']) }, payload: pick(rng, [json(object), '\u0008\u0002garbage', Buffer.from([0x6b, 0x38, 0x73, 0x00, 0x0a, 0xff, 0xff])]), what: 'bad media type or protobuf' }),
  badSubresource: (rng, { object, collection }) => ({ method: pick(rng, ['PUT', 'POST', 'PATCH'] as const), url: `${objectUrl(collection, object)}/${pick(rng, ['scale', 'status', 'binding', 'eviction', 'nope'])}`, headers: { 'content-type': MEDIA.json }, payload: pick(rng, ['{"spec":{"replicas":"many"}}', '{"target":{"name":5}}', '{"kind":"Scale"}', '[]', 'null']), what: 'bad subresource body' }),
  badHistoryQuery: (rng) => ({ method: pick(rng, ['GET', 'POST'] as const), url: `/apis/rewind.dev/v1/${pick(rng, ['history', 'diff', 'why', 'events', 'state', 'point', 'revert'])}?${pick(rng, ['object=', 'object=nope/x', 'from=abc&to=-1', 'at=yesterday-ish', 'at=99999999', 'since=-abc', 'type=Nope', 'object=deploy/' + 'x'.repeat(500)])}`, headers: { 'content-type': MEDIA.json }, payload: '{"objects":[{"kind":7}]', what: 'bad history query' }),
};

export const KINDS_OF_BAD = Object.keys(MAKERS);

/** The n-th bad request of a seeded stream: each kind of breakage in turn, over random real objects. */
export function badRequest(rng: Rng, n: number, bases: { object: Obj; collection: string }[]): BadRequest {
  const kind = KINDS_OF_BAD[n % KINDS_OF_BAD.length];
  return MAKERS[kind](rng, pick(rng, bases));
}
