import t from 'tap';
import { isStatusError } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { admit } from '../../core/admission.ts';
import { allocateService, takenAddresses } from '../../core/service-alloc.ts';

const none = () => ({ clusterIPs: new Set<string>(), nodePorts: new Set<number>() });

function svc(name: string, spec: Record<string, unknown>, ns = 'default'): KObject {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec: { type: 'ClusterIP', ports: [{ port: 80, protocol: 'TCP' }], ...spec } };
}

const spec = (o: KObject) => o.spec as { clusterIP?: string; clusterIPs?: string[]; ports: { nodePort?: number }[] };

function statusOf(fn: () => unknown) {
  try {
    fn();
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
  return undefined;
}

t.test('a ClusterIP service gets an address from the dynamic band of 10.96.0.0/12', async (t) => {
  const out = allocateService(svc('web', {}), undefined, none());
  const ip = spec(out).clusterIP!;
  t.match(ip, /^10\.(9[6-9]|10[0-9]|11[01])\.\d+\.\d+$/);
  t.not(ip.startsWith('10.96.0.'), true, 'the first 256 addresses are left for static requests');
  t.same(spec(out).clusterIPs, [ip]);
  t.same(spec(out).ports[0].nodePort, undefined, 'no node port for ClusterIP');
});

t.test('allocation is a function of the key and what is taken', async (t) => {
  const a = spec(allocateService(svc('web', {}), undefined, none())).clusterIP!;
  t.equal(spec(allocateService(svc('web', {}), undefined, none())).clusterIP, a, 'same key, same IP');
  const taken = none();
  taken.clusterIPs.add(a);
  const b = spec(allocateService(svc('web', {}), undefined, taken)).clusterIP!;
  t.not(b, a, 'the next free one when taken');
  t.not(spec(allocateService(svc('api', {}), undefined, none())).clusterIP, a, 'another key starts elsewhere');
});

t.test('a requested clusterIP is honoured, or refused when taken or out of range', async (t) => {
  t.equal(spec(allocateService(svc('dns', { clusterIP: '10.96.0.10' }), undefined, none())).clusterIP, '10.96.0.10');
  const taken = none();
  taken.clusterIPs.add('10.96.0.5');
  const st = statusOf(() => allocateService(svc('x', { clusterIP: '10.96.0.5' }), undefined, taken));
  t.equal(st?.code, 422);
  t.equal(st?.message, 'Service "x" is invalid: spec.clusterIPs: Invalid value: []string{"10.96.0.5"}: failed to allocate IP 10.96.0.5: provided IP is already allocated');
  const far = statusOf(() => allocateService(svc('x', { clusterIP: '192.168.0.1' }), undefined, none()));
  t.match(far?.message, /failed to allocate IP 192\.168\.0\.1: the provided IP \(192\.168\.0\.1\) is not in the valid range\. The range of valid IPs is 10\.96\.0\.0\/12/);
});

t.test('headless and ExternalName services get no cluster IP', async (t) => {
  const headless = allocateService(svc('db', { clusterIP: 'None' }), undefined, none());
  t.same([spec(headless).clusterIP, spec(headless).clusterIPs], ['None', ['None']]);
  const ext = allocateService(svc('ext', { type: 'ExternalName', externalName: 'a.example.com' }), undefined, none());
  t.equal(spec(ext).clusterIP, undefined);
});

t.test('NodePort and LoadBalancer services get node ports from 30000-32767', async (t) => {
  const np = allocateService(svc('whoami', { type: 'NodePort', ports: [{ port: 80 }, { port: 443, name: 'https' }] }), undefined, none());
  const ports = spec(np).ports.map((p) => p.nodePort!);
  for (const p of ports) t.ok(p >= 30000 && p <= 32767, `${p} in range`);
  t.not(ports[0], ports[1], 'two ports of one service differ');
  const lb = allocateService(svc('lb', { type: 'LoadBalancer' }), undefined, none());
  t.ok(spec(lb).ports[0].nodePort, 'LoadBalancer gets a node port');
  const noPorts = allocateService(svc('lb2', { type: 'LoadBalancer', allocateLoadBalancerNodePorts: false }), undefined, none());
  t.equal(spec(noPorts).ports[0].nodePort, undefined, 'unless allocateLoadBalancerNodePorts is false');
});

t.test('a requested nodePort is honoured, or refused when taken', async (t) => {
  t.equal(spec(allocateService(svc('hello-svc', { type: 'NodePort', ports: [{ port: 8080, nodePort: 30001 }] }), undefined, none())).ports[0].nodePort, 30001);
  const taken = none();
  taken.nodePorts.add(30001);
  const st = statusOf(() => allocateService(svc('other', { type: 'NodePort', ports: [{ port: 8080, nodePort: 30001 }] }), undefined, taken));
  t.equal(st?.message, 'Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 30001: provided port is already allocated');
  t.same(st?.details?.causes, [{ reason: 'FieldValueInvalid', message: 'Invalid value: 30001: provided port is already allocated', field: 'spec.ports[0].nodePort' }]);
});

t.test('type changes release what the new type does not use', async (t) => {
  const old = allocateService(svc('s', { type: 'NodePort' }), undefined, none());
  const toClusterIP = allocateService({ ...old, spec: { ...(old.spec as object), type: 'ClusterIP' } }, old, none());
  t.equal(spec(toClusterIP).ports[0].nodePort, undefined, 'node port dropped');
  t.equal(spec(toClusterIP).clusterIP, spec(old).clusterIP, 'cluster IP kept');
  const toExternal = allocateService({ ...old, spec: { ...(old.spec as object), type: 'ExternalName', externalName: 'x.example.com' } }, old, none());
  t.equal(spec(toExternal).clusterIP, undefined, 'cluster IP released');
  const toNodePort = allocateService({ ...toClusterIP, spec: { ...(toClusterIP.spec as object), type: 'NodePort' } }, toClusterIP, none());
  t.ok(spec(toNodePort).ports[0].nodePort, 'node port allocated when becoming NodePort');
});

t.test('takenAddresses collects IPs and node ports, except one service', async (t) => {
  const a = allocateService(svc('a', { type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }], clusterIP: '10.96.5.5' }), undefined, none());
  const b = svc('b', { clusterIP: 'None' });
  const taken = takenAddresses([a, b]);
  t.same([...taken.clusterIPs], ['10.96.5.5']);
  t.same([...taken.nodePorts], [30080]);
  t.same([...takenAddresses([a, b], 'default/a').clusterIPs], []);
  const again = allocateService(a, a, takenAddresses([a, b], 'default/a'));
  t.equal(spec(again).clusterIP, '10.96.5.5', 'an update keeps its own address');
});

t.test('admission with peers: allocation for services, admission alone for the rest', async (t) => {
  const stored: KObject[] = [allocateService(svc('taken', { type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] }), undefined, none())];
  const hook = (req: Parameters<typeof admit>[0]) => admit({ ...req, peers: (res) => (res === 'v1/services' ? stored : []) });
  const created = hook({ op: 'create', res: 'v1/services', object: { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'default' }, spec: { ports: [{ port: 80 }] } } });
  t.match(created.spec, { type: 'ClusterIP', sessionAffinity: 'None', clusterIP: /^10\./, ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }] }, 'defaulted and allocated');
  const clash = statusOf(() => hook({ op: 'create', res: 'v1/services', object: svc('again', { type: 'NodePort', ports: [{ port: 80, nodePort: 30001 }] }) }));
  t.match(clash?.message, /provided port is already allocated/);
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: {} };
  t.same(hook({ op: 'create', res: 'v1/configmaps', object: cm }).data, {});
  // kubectl patch -p '{"spec":{"type":"ClusterIP"}}' on a NodePort service: the old node port is dropped before validation.
  const old = stored[0];
  const patched = hook({ op: 'update', res: 'v1/services', object: { ...old, spec: { ...(old.spec as object), type: 'ClusterIP' } }, old });
  t.equal(spec(patched).ports[0].nodePort, undefined);
});
