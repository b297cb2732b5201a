// The simulated load balancer and the system services, reconciled on constructed views.
import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { reconcileSystemService } from '../../controllers/bootstrap.ts';
import { renderWrites, viewOf } from '../../controllers/runtime/testing.ts';
import { loadBalancerController } from '../../controllers/service-lb.ts';
import { service } from './service-fixtures.ts';

const lb = loadBalancerController(['172.18.255.200', '172.18.255.202']);
const ingressOf = (writes: ReturnType<typeof renderWrites>) => (writes[0]?.object?.status as { loadBalancer: unknown }).loadBalancer;
const ns = (name: string): KObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

t.test('a LoadBalancer service gets the first free pool address', async (t) => {
  const taken = { ...service('a', { type: 'LoadBalancer', ports: [{ port: 80 }] }), status: { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } } };
  const svc = service('b', { type: 'LoadBalancer', ports: [{ port: 80 }] });
  const view = viewOf([taken, svc]);
  t.same(ingressOf(renderWrites(lb.reconcile('default/b', { view, now: 0 }).writes, view)), { ingress: [{ ip: '172.18.255.201', ipMode: 'VIP' }] });
});

t.test('spec.externalIPs (kubectl expose --external-ip) take no pool address; in sync means no write', async (t) => {
  const svc = service('w', { type: 'LoadBalancer', externalIPs: ['203.0.113.7'], ports: [{ port: 80 }] });
  t.same(lb.reconcile('default/w', { view: viewOf([svc]), now: 0 }).writes, []);
  const asked = service('v', { type: 'LoadBalancer', loadBalancerIP: '172.18.255.240', ports: [{ port: 80 }] });
  const out = renderWrites(lb.reconcile('default/v', { view: viewOf([asked]), now: 0 }).writes, viewOf([asked]));
  t.same(ingressOf(out), { ingress: [{ ip: '172.18.255.240', ipMode: 'VIP' }] }, 'spec.loadBalancerIP is honoured');
  t.same(lb.reconcile('default/v', { view: viewOf([out[0].object!]), now: 0 }).writes, []);
});

t.test('a service that is no longer a LoadBalancer loses its ingress; an exhausted pool gives none', async (t) => {
  const was = { ...service('a', { type: 'ClusterIP', ports: [{ port: 80 }] }), status: { loadBalancer: { ingress: [{ ip: '172.18.255.200' }] } } };
  t.same(ingressOf(renderWrites(lb.reconcile('default/a', { view: viewOf([was]), now: 0 }).writes, viewOf([was]))), {});
  const full = ['x', 'y', 'z'].map((n, i) => ({ ...service(n, { type: 'LoadBalancer' }), status: { loadBalancer: { ingress: [{ ip: `172.18.255.20${i}` }] } } }));
  t.same(lb.reconcile('default/q', { view: viewOf([...full, service('q', { type: 'LoadBalancer' })]), now: 0 }).writes, []);
});

t.test('the kubernetes service and its endpoints, and kube-dns, once their namespaces exist', async (t) => {
  t.same(reconcileSystemService('default/kubernetes', { view: viewOf([]), now: 0 }).writes, [], 'no namespace yet');
  const out = renderWrites(reconcileSystemService('default/kubernetes', { view: viewOf([ns('default')]), now: 0 }).writes, viewOf([]));
  t.match(out, [
    { op: 'create', res: 'v1/services', name: 'kubernetes', object: { spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] } } },
    { op: 'create', res: 'v1/endpoints', name: 'kubernetes', object: { subsets: [{ ports: [{ name: 'https', port: 6443 }] }] } },
    { op: 'create', res: 'discovery.k8s.io/v1/endpointslices', name: 'kubernetes', object: { metadata: { labels: { 'kubernetes.io/service-name': 'kubernetes' } }, ports: [{ name: 'https', port: 6443 }] } },
  ]);
  t.equal(out.length, 3);
  const dns = renderWrites(reconcileSystemService('kube-system/kube-dns', { view: viewOf([ns('kube-system')]), now: 0 }).writes, viewOf([]));
  t.match(dns, [
    {
      op: 'create',
      ns: 'kube-system',
      name: 'kube-dns',
      object: {
        metadata: { labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/name': 'CoreDNS' } },
        spec: { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }, { name: 'metrics', port: 9153, protocol: 'TCP' }] },
      },
    },
  ]);
  t.same(reconcileSystemService('kube-system/kube-dns', { view: viewOf([ns('kube-system'), dns[0].object!]), now: 0 }).writes, [], 'present: nothing');
});
