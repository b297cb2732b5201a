// Cluster DNS (search path and ndots, headless, SRV, ExternalName) and kube-proxy routing
// (round-robin, ClientIP affinity, NodePort, refused and unreachable).
import t from 'tap';
import type { KObject } from '../../../core/object.ts';
import { candidates, lookupFqdn, resolve, resolvConf, resolvConfText, resolveHost } from '../../../controllers/container/dns.ts';
import { route } from '../../../controllers/container/proxy.ts';
import { viewOf } from '../../../controllers/runtime/testing.ts';
import { pod, service } from '../service-fixtures.ts';

const endpoints = (name: string, ns: string, addresses: { ip: string; hostname?: string; pod?: string; node?: string }[], ports: { name?: string; port: number; protocol?: string }[]): KObject => ({
  apiVersion: 'v1',
  kind: 'Endpoints',
  metadata: { name, namespace: ns },
  subsets: [{ addresses: addresses.map((a) => ({ ip: a.ip, ...(a.hostname ? { hostname: a.hostname } : {}), ...(a.node ? { nodeName: a.node } : {}), ...(a.pod ? { targetRef: { kind: 'Pod', namespace: ns, name: a.pod } } : {}) })), ports }],
});

const entDev = service('ent', { clusterIP: '10.96.1.1', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }, { ns: 'dev' });
const entProd = service('ent', { clusterIP: '10.96.2.2', ports: [{ name: 'http', port: 8080, protocol: 'TCP' }] }, { ns: 'prod' });
const kubeDns = service('kube-dns', { clusterIP: '10.96.0.10', ports: [{ port: 53, protocol: 'UDP' }] }, { ns: 'kube-system' });
const headless = service('nginx', { clusterIP: 'None', ports: [{ name: 'web', port: 80, protocol: 'TCP' }] });
const headlessEps = endpoints('nginx', 'default', [{ ip: '10.244.1.7', hostname: 'web-0' }, { ip: '10.244.2.8', hostname: 'web-1' }], [{ name: 'web', port: 80, protocol: 'TCP' }]);
const external = service('external-service', { type: 'ExternalName', externalName: 'someapi.somecompany.com' });
const jump = pod('jump', { ns: 'dev', ip: '10.244.3.3' });
const view = viewOf([entDev, entProd, kubeDns, headless, headlessEps, external, jump]);

t.test('resolv.conf: the namespace search path, the kube-dns IP and ndots:5 (seed 000)', async (t) => {
  t.equal(resolvConfText(resolvConf(jump, view)), 'search dev.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  const custom = pod('c', { spec: { dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['example.com'], options: [{ name: 'ndots', value: '2' }] }, containers: [] } });
  t.equal(resolvConfText(resolvConf(custom, view)), 'search example.com\nnameserver 1.1.1.1\noptions ndots:2\n');
  const host = pod('h', { spec: { dnsPolicy: 'Default', containers: [] } });
  t.equal(resolvConfText(resolvConf(host, view)), 'nameserver 172.18.0.1\n');
});

t.test('a short name resolves in the pod\'s own namespace; other namespaces need ent.prod or the FQDN', async (t) => {
  const conf = resolvConf(jump, view);
  t.same(candidates('ent', conf), ['ent.dev.svc.cluster.local', 'ent.svc.cluster.local', 'ent.cluster.local', 'ent']);
  t.equal(resolveHost('ent', conf, view), '10.96.1.1');
  t.equal(resolveHost('ent.prod', conf, view), '10.96.2.2');
  t.equal(resolveHost('ent.prod.svc.cluster.local', conf, view), '10.96.2.2');
  t.equal(resolveHost('ent.prod.svc.cluster.local.', conf, view), '10.96.2.2', 'absolute name');
  t.equal(resolveHost('nosuch', conf, view), undefined);
  t.equal(resolveHost('10.1.2.3', conf, view), '10.1.2.3', 'an IP is itself');
});

t.test('headless services answer with pod IPs, and each pod hostname has its own record', async (t) => {
  t.same(lookupFqdn('nginx.default.svc.cluster.local', view)?.map((r) => (r.type === 'A' ? r.ip : '')), ['10.244.1.7', '10.244.2.8']);
  t.same(lookupFqdn('web-1.nginx.default.svc.cluster.local', view), [{ type: 'A', name: 'web-1.nginx.default.svc.cluster.local', ip: '10.244.2.8' }]);
  t.same(lookupFqdn('10-244-3-3.dev.pod.cluster.local', view), [{ type: 'A', name: '10-244-3-3.dev.pod.cluster.local', ip: '10.244.3.3' }]);
});

t.test('SRV records for named ports; ExternalName is a CNAME', async (t) => {
  t.same(lookupFqdn('_http._tcp.ent.prod.svc.cluster.local', view), [{ type: 'SRV', name: '_http._tcp.ent.prod.svc.cluster.local', priority: 0, weight: 100, port: 8080, target: 'ent.prod.svc.cluster.local' }]);
  t.same(
    lookupFqdn('_web._tcp.nginx.default.svc.cluster.local', view)?.map((r) => (r.type === 'SRV' ? r.target : '')),
    ['web-0.nginx.default.svc.cluster.local', 'web-1.nginx.default.svc.cluster.local'],
  );
  t.equal(lookupFqdn('_nope._tcp.ent.prod.svc.cluster.local', view), undefined);
  const conf = resolvConf(pod('p', {}), view);
  t.same(resolve('external-service', conf, view)?.records, [{ type: 'CNAME', name: 'external-service.default.svc.cluster.local', target: 'someapi.somecompany.com' }]);
  t.equal(lookupFqdn('example.com', view), undefined, 'outside the cluster domain: NXDOMAIN');
});

const whoami = service('whoami', { type: 'NodePort', clusterIP: '10.96.5.5', ports: [{ port: 80, protocol: 'TCP', nodePort: 30080 }] });
const whoamiEps = endpoints('whoami', 'default', [{ ip: '10.244.1.2', pod: 'a', node: 'node-1' }, { ip: '10.244.2.2', pod: 'b', node: 'node-2' }, { ip: '10.244.3.2', pod: 'c', node: 'node-3' }], [{ port: 80, protocol: 'TCP' }]);
const node = (name: string, ip: string): KObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name }, status: { addresses: [{ type: 'InternalIP', address: ip }] } });
const pods = ['a', 'b', 'c'].map((n, i) => pod(n, { ip: `10.244.${i + 1}.2`, readySince: 1 }));
const net = viewOf([whoami, whoamiEps, node('node-1', '172.18.0.2'), ...pods]);
const hit = (r: ReturnType<typeof route>) => (r.ok ? r.pod?.metadata.name : r.error);

t.test('kube-proxy: round-robin over ready endpoints by connection counter', async (t) => {
  const picks = [0, 1, 2, 3].map((counter) => hit(route(net, { ip: '10.96.5.5', port: 80, clientIP: '10.244.9.9', counter })));
  t.same(picks, ['a', 'b', 'c', 'a']);
});

t.test('kube-proxy: ClientIP affinity keeps a client on one pod', async (t) => {
  const sticky = viewOf([{ ...whoami, spec: { ...(whoami.spec as object), sessionAffinity: 'ClientIP' } }, whoamiEps, ...pods]);
  const picks = new Set([0, 1, 2, 3, 4].map((counter) => hit(route(sticky, { ip: '10.96.5.5', port: 80, clientIP: '10.244.9.9', counter }))));
  t.equal(picks.size, 1);
});

t.test('kube-proxy: node IP and NodePort; Local policy keeps to the node; refused and unreachable', async (t) => {
  t.equal(hit(route(net, { ip: '172.18.0.2', port: 30080, clientIP: 'x', counter: 1 })), 'b');
  const local = viewOf([{ ...whoami, spec: { ...(whoami.spec as object), externalTrafficPolicy: 'Local' } }, whoamiEps, node('node-1', '172.18.0.2'), ...pods]);
  t.equal(hit(route(local, { ip: '172.18.0.2', port: 30080, clientIP: 'x', counter: 1 })), 'a');
  t.equal(hit(route(viewOf([whoami]), { ip: '10.96.5.5', port: 80, clientIP: 'x', counter: 0 })), 'refused', 'no endpoints');
  t.equal(hit(route(net, { ip: '10.96.5.5', port: 81, clientIP: 'x', counter: 0 })), 'unreachable', 'wrong port');
  t.equal(hit(route(net, { ip: '10.244.2.2', port: 80, clientIP: 'x', counter: 0 })), 'b', 'a pod IP directly');
});
