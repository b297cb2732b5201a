// Endpoints and EndpointSlice reconcile, sample-controller style: seed a view, reconcile one service,
// compare the exact writes.
import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { endpointsController, ENDPOINTS, serviceKeysForPod } from '../../controllers/endpoints.ts';
import { endpointSliceController, ENDPOINT_SLICES } from '../../controllers/endpointslice.ts';
import { renderWrites, viewOf } from '../../controllers/runtime/testing.ts';
import { at, pod, service, T0 } from './service-fixtures.ts';

const ctl = endpointsController({ clock: undefined as never });
const slices = endpointSliceController({ clock: undefined as never });
const NOW = T0 + 600_000;
const whoami = service('whoami', { selector: { app: 'whoami' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] }, { labels: { app: 'whoami' } });
const ref = (name: string) => ({ kind: 'Pod', namespace: 'default', name, uid: `uid-${name}` });

t.test('five ready pods: one subset, addresses sorted by IP, the service labels and trigger time', async (t) => {
  const ips = ['10.244.2.78', '10.244.0.66', '10.244.1.41', '10.244.2.77', '10.244.1.66'];
  const pods = ips.map((ip, i) => pod(`whoami-${i}`, { ip, node: `node-${i % 3}`, readySince: 10 + i }));
  const view = viewOf([whoami, ...pods]);
  const out = renderWrites(ctl.reconcile('default/whoami', { view, now: NOW }).writes, view);
  const addr = (i: number) => ({ ip: ips[i], nodeName: `node-${i % 3}`, targetRef: ref(`whoami-${i}`) });
  t.same(out, [
    {
      op: 'create',
      res: ENDPOINTS,
      ns: 'default',
      name: 'whoami',
      object: {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: { name: 'whoami', namespace: 'default', labels: { app: 'whoami' }, annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': at(14) } },
        subsets: [{ addresses: [addr(1), addr(2), addr(4), addr(3), addr(0)], ports: [{ port: 80, protocol: 'TCP' }] }],
      },
    },
  ]);
});

t.test('readiness drives membership; pods without an IP, finished or terminating are left out', async (t) => {
  const view = viewOf([
    whoami,
    pod('ready', { ip: '10.244.0.5', readySince: 5 }),
    pod('starting', { ip: '10.244.0.6' }),
    pod('no-ip'),
    pod('done', { ip: '10.244.0.7', phase: 'Succeeded' }),
    pod('going', { ip: '10.244.0.8', readySince: 5, deleting: true }),
  ]);
  const [w] = renderWrites(ctl.reconcile('default/whoami', { view, now: NOW }).writes, view);
  t.same(w.object?.subsets, [{ addresses: [{ ip: '10.244.0.5', targetRef: ref('ready') }], notReadyAddresses: [{ ip: '10.244.0.6', targetRef: ref('starting') }], ports: [{ port: 80, protocol: 'TCP' }] }]);
});

t.test('seed 000: a service selecting app=nginx,run=nginx skips a pod with only app=nginx', async (t) => {
  const svc = service('nginx', { selector: { app: 'nginx', run: 'nginx' }, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] });
  const view = viewOf([
    svc,
    pod('one-label', { ip: '10.244.0.2', readySince: 1, labels: { app: 'nginx' } }),
    pod('four-labels', { ip: '10.244.0.3', readySince: 1, labels: { app: 'nginx', run: 'nginx', ver: 'v1', sta: 'running' } }),
  ]);
  const [w] = renderWrites(ctl.reconcile('default/nginx', { view, now: NOW }).writes, view);
  t.same((w.object?.subsets as { addresses: { ip: string }[] }[])[0].addresses.map((a) => a.ip), ['10.244.0.3']);
});

t.test('a named targetPort resolves per pod; a pod without that port is left out', async (t) => {
  const svc = service('web', { selector: { app: 'whoami' }, ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] });
  const spec8080 = { containers: [{ name: 'web', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] };
  const view = viewOf([
    svc,
    pod('a', { ip: '10.244.0.2', readySince: 1 }),
    pod('b', { ip: '10.244.0.3', readySince: 1, spec: spec8080 }),
    pod('c', { ip: '10.244.0.4', readySince: 1, spec: { containers: [{ name: 'web', image: 'x' }] } }),
  ]);
  const [w] = renderWrites(ctl.reconcile('default/web', { view, now: NOW }).writes, view);
  t.same(w.object?.subsets, [
    { addresses: [{ ip: '10.244.0.2', targetRef: ref('a') }], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] },
    { addresses: [{ ip: '10.244.0.3', targetRef: ref('b') }], ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] },
  ]);
});

t.test('in sync: no writes; a change updates with the stored resourceVersion', async (t) => {
  const p = pod('a', { ip: '10.244.0.2', readySince: 1 });
  const first = renderWrites(ctl.reconcile('default/whoami', { view: viewOf([whoami, p]), now: NOW }).writes, viewOf([]))[0].object!;
  const stored = { ...first, metadata: { ...first.metadata, uid: 'uid-ep', resourceVersion: '9' } };
  t.same(ctl.reconcile('default/whoami', { view: viewOf([whoami, p, stored]), now: NOW }).writes, []);
  const writes = ctl.reconcile('default/whoami', { view: viewOf([whoami, stored]), now: NOW }).writes;
  t.match(writes, [{ op: 'update', res: ENDPOINTS, expectedRV: '9', object: { metadata: { uid: 'uid-ep', name: 'whoami' } } }]);
  t.equal((writes[0] as { object: KObject }).object.subsets, undefined, 'no pods: no subsets');
});

t.test("seed 001: a service without a selector keeps its user-written Endpoints", async (t) => {
  const ext = service('external-service', { ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] });
  const eps: KObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'external-service', namespace: 'default' }, subsets: [{ addresses: [{ ip: '11.11.11.11' }, { ip: '22.22.22.22' }], ports: [{ port: 80 }] }] };
  t.same(ctl.reconcile('default/external-service', { view: viewOf([ext, eps]), now: NOW }).writes, []);
  t.same(slices.reconcile('default/external-service', { view: viewOf([ext, eps]), now: NOW }).writes, []);
});

t.test('a deleted service takes its Endpoints with it', async (t) => {
  const eps: KObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'whoami', namespace: 'default', resourceVersion: '4' } };
  t.same(ctl.reconcile('default/whoami', { view: viewOf([eps]), now: NOW }).writes, [{ op: 'delete', res: ENDPOINTS, ns: 'default', name: 'whoami', expectedRV: '4' }]);
});

t.test('headless services are labelled and list portless pods', async (t) => {
  const svc = service('db', { clusterIP: 'None', selector: { app: 'db' } });
  const p = pod('db-0', { ip: '10.244.0.9', readySince: 1, labels: { app: 'db' }, spec: { hostname: 'db-0', subdomain: 'db', containers: [{ name: 'db', image: 'x' }] } });
  const [w] = renderWrites(ctl.reconcile('default/db', { view: viewOf([svc, p]), now: NOW }).writes, viewOf([]));
  t.same(w.object?.metadata.labels, { 'service.kubernetes.io/headless': '' });
  t.same(w.object?.subsets, [{ addresses: [{ ip: '10.244.0.9', hostname: 'db-0', targetRef: ref('db-0') }] }]);
});

t.test('a pod event maps to services selecting it and to services still listing it', async (t) => {
  const relabelled = pod('a', { ip: '10.244.0.2', readySince: 1, labels: { app: 'foo' } });
  const eps: KObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'whoami', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.244.0.2', targetRef: ref('a') }] }] };
  const other = service('foo', { selector: { app: 'foo' }, ports: [{ port: 80 }] });
  const e = { rev: 9, ts: 0, type: 'MODIFIED' as const, res: 'v1/pods', ns: 'default', name: 'a', object: relabelled, actor: { kind: 'user' as const, name: 'x' } };
  t.same(serviceKeysForPod(e, viewOf([whoami, other, eps, relabelled]), ENDPOINTS).sort(), ['default/foo', 'default/whoami']);
});

t.test('EndpointSlice: named <svc>-<suffix>, owned by the service, with conditions for each pod', async (t) => {
  const view = viewOf([whoami, pod('a', { ip: '10.244.0.2', readySince: 1, node: 'node-0' }), pod('b', { ip: '10.244.0.3' }), pod('c', { ip: '10.244.0.4', readySince: 1, deleting: true })]);
  const out = renderWrites(slices.reconcile('default/whoami', { view, now: NOW }).writes, view);
  t.equal(out.length, 1);
  t.match(out[0].name, /^whoami-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  t.same(out[0].object, {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      name: out[0].name,
      generateName: 'whoami-',
      namespace: 'default',
      labels: { app: 'whoami', 'kubernetes.io/service-name': 'whoami', 'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io' },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'whoami', uid: 'uid-svc-whoami', controller: true, blockOwnerDeletion: true }],
    },
    addressType: 'IPv4',
    endpoints: [
      { addresses: ['10.244.0.2'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-0', targetRef: ref('a') },
      { addresses: ['10.244.0.3'], conditions: { ready: false, serving: false, terminating: false }, targetRef: ref('b') },
      { addresses: ['10.244.0.4'], conditions: { ready: false, serving: true, terminating: true }, targetRef: ref('c') },
    ],
    ports: [{ name: '', port: 80, protocol: 'TCP' }],
  });
  const stored = { ...out[0].object!, metadata: { ...out[0].object!.metadata, resourceVersion: '7' } };
  t.same(slices.reconcile('default/whoami', { view: viewOf([...[whoami], ...(view.list('v1/pods').items), stored]), now: NOW }).writes, [], 'in sync');
  t.same(renderWrites(slices.reconcile('default/whoami', { view: viewOf([stored]), now: NOW }).writes, viewOf([])), [{ op: 'delete', res: ENDPOINT_SLICES, ns: 'default', name: out[0].name }], 'service gone');
});

t.test('EndpointSlice: a service with no pods gets an empty placeholder slice', async (t) => {
  const [w] = renderWrites(slices.reconcile('default/whoami', { view: viewOf([whoami]), now: NOW }).writes, viewOf([]));
  t.same([w.object?.endpoints, w.object?.ports], [[], []]);
});
