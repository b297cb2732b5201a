// Ingress routing: host and path matching table-driven, the controller's status writes, and a
// request served end to end on a constructed view.

import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { INGRESS_ADDRESS, reconcileIngress, rewindIngressClass } from '../../controllers/ingress/index.ts';
import { serveIngress } from '../../controllers/ingress/http.ts';
import { hostScore, matchIngress } from '../../controllers/ingress/rules.ts';
import { renderWrites, viewOf } from '../../controllers/runtime/testing.ts';

const backend = (name: string) => ({ service: { name, port: { number: 80 } } });

const ingress = (name: string, spec: Record<string, unknown>): KObject => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'Ingress',
  metadata: { name, namespace: 'default' },
  spec,
});

const shop = ingress('shop', {
  rules: [
    {
      host: 'foo.bar.com',
      http: {
        paths: [
          { path: '/', pathType: 'Prefix', backend: backend('home') },
          { path: '/app', pathType: 'Prefix', backend: backend('app') },
          { path: '/app/v2', pathType: 'Exact', backend: backend('app-v2') },
          { path: '/static/', pathType: 'ImplementationSpecific', backend: backend('static') },
        ],
      },
    },
    { host: '*.bar.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: backend('wild') }] } },
    { host: 'exact.com', http: { paths: [{ path: '/only', pathType: 'Exact', backend: backend('only') }] } },
  ],
});
const fallback = ingress('fallback', { defaultBackend: backend('default-svc') });

t.test('host matching', async (t) => {
  const rows: [string | undefined, string, number][] = [
    ['foo.bar.com', 'foo.bar.com', 2], // exact
    ['*.bar.com', 'foo.bar.com', 1], // wildcard: one label
    ['*.bar.com', 'a.foo.bar.com', -1], // wildcard covers a single label only
    ['*.bar.com', 'bar.com', -1], // and needs one
    [undefined, 'anything.io', 0], // no host: every host
    ['foo.bar.com', 'other.com', -1],
  ];
  for (const [rule, host, want] of rows) t.equal(hostScore(rule, host), want, `${rule ?? '(none)'} vs ${host}`);
});

t.test('path matching: Exact first, then the longest element-wise prefix', async (t) => {
  const rows: [string, string, string | undefined][] = [
    ['foo.bar.com', '/', 'home'], // only / matches
    ['foo.bar.com', '/app', 'app'], // Prefix /app matches /app itself
    ['foo.bar.com', '/app/', 'app'], // trailing slash ignored
    ['foo.bar.com', '/app/x', 'app'], // element-wise prefix
    ['foo.bar.com', '/apple', 'home'], // /app is not an element-wise prefix of /apple
    ['foo.bar.com', '/app/v2', 'app-v2'], // Exact beats the prefix
    ['foo.bar.com', '/app/v2/x', 'app'], // Exact does not match deeper paths
    ['foo.bar.com', '/static/css/a.css', 'static'], // ImplementationSpecific as Prefix
    ['foo.bar.com', '/app?q=1', 'app'], // the query is not part of the path
    ['baz.bar.com', '/app', 'wild'], // wildcard host
    ['exact.com', '/only', 'only'],
    ['exact.com', '/only/more', 'default-svc'], // nothing in the rules: the default backend
    ['unknown.io', '/', 'default-svc'],
  ];
  for (const [host, path, want] of rows) t.equal(matchIngress([shop, fallback], host, path)?.backend.name, want, `${host}${path}`);
  t.equal(matchIngress([shop], 'unknown.io', '/'), undefined, 'no rule and no default backend');
});

t.test('the controller: IngressClass at start, the shared address on served ingresses', async (t) => {
  const empty = viewOf([]);
  t.same(renderWrites(reconcileIngress('', { view: empty, now: 0 }).writes, empty), [{ op: 'create', res: 'networking.k8s.io/v1/ingressclasses', ns: '', name: 'rewind', object: rewindIngressClass() }]);
  const view = viewOf([rewindIngressClass(), shop, ingress('other', { ingressClassName: 'nginx', defaultBackend: backend('x') })]);
  const writes = renderWrites(reconcileIngress('default/shop', { view, now: 0 }).writes, view);
  t.same(writes.map((w) => w.object!.status), [{ loadBalancer: { ingress: [{ ip: INGRESS_ADDRESS }] } }]);
  t.same(reconcileIngress('default/other', { view, now: 0 }).writes, [], 'another class: not ours, no status');
});

t.test('a request reaches the service and pod of the matching rule', async (t) => {
  const svc: KObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'app', namespace: 'default' }, spec: { clusterIP: '10.96.0.50', ports: [{ port: 80, targetPort: 8080 }], selector: { app: 'app' } } };
  const eps: KObject = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'app', namespace: 'default' }, subsets: [{ addresses: [{ ip: '10.244.1.5', targetRef: { kind: 'Pod', name: 'app-1', namespace: 'default' } }], ports: [{ port: 8080 }] }] };
  const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'app-1', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'luksa/kubia' }] }, status: { phase: 'Running', podIP: '10.244.1.5' } };
  const view = viewOf([rewindIngressClass(), shop, svc, eps, pod]);
  const answer = serveIngress(view, { method: 'GET', host: 'foo.bar.com', path: '/app/x', clientIP: '1.2.3.4', clientPort: 1, userAgent: 'curl' }, 0);
  t.equal(answer.pod?.metadata.name, 'app-1');
  t.equal(answer.response.body, "You've hit app-1\n");
  const missing = serveIngress(view, { method: 'GET', host: 'foo.bar.com', path: '/', clientIP: '1.2.3.4', clientPort: 1, userAgent: 'curl' }, 0);
  t.equal(missing.response.status, 503, 'a rule naming a missing service');
  t.equal(serveIngress(view, { method: 'GET', host: 'nowhere.io', path: '/', clientIP: '', clientPort: 1, userAgent: '' }, 0).response.status, 404);
});
