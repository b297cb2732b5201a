// pods/ephemeralcontainers through fastify.inject with admission, as `kubectl debug` uses it: the
// strategic merge patch kubectl 1.32 sends, and kube-apiserver's answers to what the subresource
// refuses (ValidatePodEphemeralContainersUpdate, validateEphemeralContainers) or silently drops.
import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { served } from '../robustness/served.ts';

const { app, store } = await served(t);
const POD = '/api/v1/namespaces/default/pods/web-0';
const SUB = `${POD}/ephemeralcontainers`;
const SMP = { 'content-type': 'application/strategic-merge-patch+json' };

const send = (method: 'GET' | 'PUT' | 'PATCH' | 'POST', url: string, body?: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.inject({ method, url, headers, payload: body === undefined ? undefined : JSON.stringify(body) });

/** What kubectl 1.32 sends for `kubectl debug web-0 --image=busybox:1.36 --target=web -- sleep 1d`. */
const debugger1 = { command: ['sleep', '1d'], image: 'busybox:1.36', name: 'debugger-x7k2q', resources: {}, targetContainerName: 'web', terminationMessagePolicy: 'File' };
const addEphemeral = (...containers: Record<string, unknown>[]) => send('PATCH', SUB, { spec: { ephemeralContainers: containers } }, SMP);

const stored = () => store.get('v1/pods', 'default', 'web-0')!;
const specOf = (pod: KObject) => pod.spec as { ephemeralContainers?: Record<string, unknown>[]; activeDeadlineSeconds?: number };
const message = (body: string) => JSON.parse(body).message as string;

const created = await send('POST', '/api/v1/namespaces/default/pods', {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-0', labels: { app: 'web' } },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], initContainers: [{ name: 'init', image: 'busybox:1.36', command: ['true'] }] },
});
t.equal(created.statusCode, 201, created.body);

t.test('discovery lists the subresource with its verbs', async (t) => {
  const resources = JSON.parse((await send('GET', '/api/v1')).body).resources as { name: string; kind: string; verbs: string[] }[];
  t.match(resources.find((r) => r.name === 'pods/ephemeralcontainers'), { kind: 'Pod', verbs: ['get', 'patch', 'update'] });
});

t.test('GET of the subresource is the pod', async (t) => {
  const r = await send('GET', SUB);
  t.equal(r.statusCode, 200);
  t.match(JSON.parse(r.body), { kind: 'Pod', apiVersion: 'v1', metadata: { name: 'web-0' } });
});

t.test("kubectl debug's patch adds a defaulted ephemeral container; generation and resourceVersion move", async (t) => {
  const before = stored().metadata;
  const r = await addEphemeral(debugger1);
  t.equal(r.statusCode, 200, r.body);
  const pod = JSON.parse(r.body) as KObject;
  t.same(specOf(pod).ephemeralContainers, [
    { ...debugger1, imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' },
  ]);
  t.equal(pod.metadata.generation, before.generation! + 1, 'a spec change');
  t.not(pod.metadata.resourceVersion, before.resourceVersion);
  t.same(specOf(stored()).ephemeralContainers, specOf(pod).ephemeralContainers, 'stored as answered');
});

t.test('the same patch on the pod itself is refused by the pod update rules, and changes nothing', async (t) => {
  const rv = stored().metadata.resourceVersion;
  const r = await send('PATCH', POD, { spec: { ephemeralContainers: [{ ...debugger1, name: 'debugger-b' }] } }, SMP);
  t.equal(r.statusCode, 422);
  t.match(message(r.body), /^Pod "web-0" is invalid: spec: Forbidden: pod updates may not change fields other than `spec\.containers\[\*\]\.image`/);
  t.equal(stored().metadata.resourceVersion, rv);
});

t.test('a pod cannot be created with ephemeral containers', async (t) => {
  const r = await send('POST', '/api/v1/namespaces/default/pods', {
    metadata: { name: 'early' },
    spec: { containers: [{ name: 'c', image: 'nginx' }], ephemeralContainers: [{ name: 'd', image: 'busybox' }] },
  });
  t.equal(r.statusCode, 422);
  t.equal(message(r.body), 'Pod "early" is invalid: spec.ephemeralContainers: Forbidden: cannot be set on create');
});

t.test('nor can a pod template carry them', async (t) => {
  const r = await send('POST', '/apis/apps/v1/namespaces/default/deployments', {
    metadata: { name: 'tmpl' },
    spec: {
      selector: { matchLabels: { app: 'tmpl' } },
      template: { metadata: { labels: { app: 'tmpl' } }, spec: { containers: [{ name: 'c', image: 'nginx' }], ephemeralContainers: [{ name: 'd', image: 'busybox' }] } },
    },
  });
  t.equal(r.statusCode, 422);
  t.equal(message(r.body), 'Deployment.apps "tmpl" is invalid: spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template');
});

t.test('everything but the ephemeral containers is dropped from a subresource write, without an error', async (t) => {
  const r = await send('PATCH', SUB, { metadata: { labels: { app: 'changed' } }, spec: { activeDeadlineSeconds: 5, ephemeralContainers: [{ name: 'second', image: 'busybox:1.36' }] }, status: { phase: 'Failed' } }, SMP);
  t.equal(r.statusCode, 200, r.body);
  const pod = stored();
  t.same(pod.metadata.labels, { app: 'web' });
  t.equal(specOf(pod).activeDeadlineSeconds, undefined);
  t.equal((pod.status as { phase: string }).phase, 'Pending');
  t.same(specOf(pod).ephemeralContainers!.map((c) => c.name), ['debugger-x7k2q', 'second']);
});

t.test('existing ephemeral containers can be neither changed nor removed', async (t) => {
  const rv = stored().metadata.resourceVersion;
  const changed = await addEphemeral({ name: 'debugger-x7k2q', image: 'busybox:1.37' });
  t.equal(changed.statusCode, 422);
  t.equal(
    message(changed.body),
    'Pod "web-0" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger-x7k2q" may not be changed\n- image: "busybox:1.36"\n+ image: "busybox:1.37"\n',
  );
  const current = JSON.parse((await send('GET', SUB)).body) as KObject;
  const kept = specOf(current).ephemeralContainers!.filter((c) => c.name !== 'second');
  const removed = await send('PUT', SUB, { ...current, spec: { ...(current.spec as object), ephemeralContainers: kept } });
  t.equal(removed.statusCode, 422);
  t.equal(message(removed.body), 'Pod "web-0" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral containers "second" may not be removed\n');
  t.equal(stored().metadata.resourceVersion, rv, 'nothing written');
});

t.test('an ephemeral container may not have ports, resources, probes or a lifecycle', async (t) => {
  const r = await addEphemeral({
    name: 'busy',
    image: 'busybox:1.36',
    ports: [{ containerPort: 80 }],
    resources: { limits: { cpu: '100m' } },
    readinessProbe: { tcpSocket: { port: 80 } },
    lifecycle: { preStop: { exec: { command: ['true'] } } },
    volumeMounts: [],
  });
  t.equal(r.statusCode, 422);
  const at = 'spec.ephemeralContainers[2]';
  t.equal(
    message(r.body),
    `Pod "web-0" is invalid: [${at}.ports: Forbidden: cannot be set for an Ephemeral Container, ${at}.resources: Forbidden: cannot be set for an Ephemeral Container, ` +
      `${at}.readinessProbe: Forbidden: cannot be set for an Ephemeral Container, ${at}.lifecycle: Forbidden: cannot be set for an Ephemeral Container]`,
  );
});

t.test('names are unique across all containers, the target is one of the pod\'s own, an image is required', async (t) => {
  const at = 'spec.ephemeralContainers[2]';
  const dup = await addEphemeral({ name: 'init', image: 'busybox:1.36' });
  t.equal(message(dup.body), `Pod "web-0" is invalid: ${at}.name: Duplicate value: "init"`);
  const target = await addEphemeral({ name: 'aim', image: 'busybox:1.36', targetContainerName: 'second' });
  t.equal(message(target.body), `Pod "web-0" is invalid: ${at}.targetContainerName: Not found: "second"`, 'an ephemeral container is no target');
  const noImage = await addEphemeral({ name: 'blank' });
  t.equal(message(noImage.body), `Pod "web-0" is invalid: ${at}.image: Required value`);
  const badName = await addEphemeral({ name: 'Debug_1', image: 'busybox:1.36' });
  t.match(message(badName.body), /spec\.ephemeralContainers\[2\]\.name: Invalid value: "Debug_1": a lowercase RFC 1123 label must consist of/);
});

t.test('a stale resourceVersion is a conflict; an unknown pod is not found', async (t) => {
  const current = JSON.parse((await send('GET', SUB)).body) as KObject;
  const stale = { ...current, metadata: { ...current.metadata, resourceVersion: '1' } };
  t.equal((await send('PUT', SUB, stale)).statusCode, 409);
  const missing = await send('PATCH', '/api/v1/namespaces/default/pods/nope/ephemeralcontainers', { spec: { ephemeralContainers: [debugger1] } }, SMP);
  t.equal(missing.statusCode, 404);
  t.equal(message(missing.body), 'pods "nope" not found');
  t.equal((await send('POST', SUB, {})).statusCode, 405);
});
