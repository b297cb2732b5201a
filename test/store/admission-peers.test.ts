// Admission sees its peers: services created concurrently — in one commit, or in batches that are
// in flight together — never share a cluster IP or node port (the store hands admission the pending
// writes too, not only the committed view).
import t from 'tap';
import { admit } from '../../core/admission.ts';
import { isStatusError } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { openStore } from '../../store/index.ts';

const actor = { kind: 'user' as const, name: 'test' };
const service = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { type: 'NodePort', selector: { app: name }, ports: [{ port: 80 }] },
});

function addresses(items: KObject[]): { ips: string[]; ports: number[] } {
  const specs = items.map((s) => s.spec as { clusterIP: string; ports: { nodePort: number }[] });
  return { ips: specs.map((s) => s.clusterIP), ports: specs.map((s) => s.ports[0].nodePort) };
}

t.test('200 services created at once get 200 distinct cluster IPs and node ports', async (t) => {
  const store = await openStore({ admit, sync: 'none' });
  t.teardown(() => store.close());
  // A narrow space would make collisions likely; the hash start spreads them, the overlay must catch the rest.
  await Promise.all(Array.from({ length: 200 }, (_, i) => store.commit([{ op: 'create', res: 'v1/services', object: service(`s${i}`) }], { actor })));
  const { ips, ports } = addresses(store.list('v1/services').items);
  t.equal(ips.length, 200);
  t.equal(new Set(ips).size, 200, 'cluster IPs are distinct');
  t.equal(new Set(ports).size, 200, 'node ports are distinct');
});

t.test('services created in one commit see each other', async (t) => {
  const store = await openStore({ admit, sync: 'none' });
  t.teardown(() => store.close());
  const first = service('a');
  (first.spec as Record<string, unknown>).clusterIP = '10.96.7.7';
  const clash = service('b');
  (clash.spec as Record<string, unknown>).clusterIP = '10.96.7.7';
  const failure = await store
    .commit([{ op: 'create', res: 'v1/services', object: first }, { op: 'create', res: 'v1/services', object: clash }], { actor })
    .then(() => undefined, (e: unknown) => e);
  t.ok(isStatusError(failure) && failure.reason === 'Invalid', 'the second service is Invalid');
  t.match(isStatusError(failure) ? failure.message : '', /provided IP is already allocated/);
  t.equal(store.list('v1/services').items.length, 0, 'all or nothing');
});

t.test("peers of one namespace: its committed objects with the batch's creates, updates and deletes on top", async (t) => {
  let seen: KObject[] = [];
  // A hook that records what a ConfigMap's admission sees of namespace a's pods (QuotaRequest's view).
  const store = await openStore({
    sync: 'none',
    admit: (req) => {
      if (req.res === 'v1/configmaps') seen = req.peers!('v1/pods', 'a');
      return req.object;
    },
  });
  t.teardown(() => store.close());
  const pod = (ns: string, name: string, labels: Record<string, string> = {}): KObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: ns, labels }, spec: { containers: [{ name: 'c', image: 'nginx' }] } });
  await store.commit([pod('a', 'p1'), pod('a', 'p2'), pod('a', 'p3'), pod('b', 'p4')].map((object) => ({ op: 'create', res: 'v1/pods', object })), { actor });
  const probe = { op: 'create', res: 'v1/configmaps', object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'probe', namespace: 'a' } } } as const;
  const names = () => seen.map((p) => `${p.metadata.name}${p.metadata.labels?.v ? `@${p.metadata.labels.v}` : ''}`).sort();

  await store.commit([probe], { actor });
  t.same(names(), ['p1', 'p2', 'p3'], 'committed only, this namespace only');

  const p2 = store.get('v1/pods', 'a', 'p2')!;
  await store.commit(
    [
      { op: 'delete', res: 'v1/pods', ns: 'a', name: 'p1' },
      { op: 'update', res: 'v1/pods', object: { ...p2, metadata: { ...p2.metadata, labels: { v: '2' } } } },
      { op: 'create', res: 'v1/pods', object: pod('a', 'p5') },
      { op: 'create', res: 'v1/pods', object: pod('b', 'p6') },
      { op: 'delete', res: 'v1/configmaps', ns: 'a', name: 'probe' },
      probe,
    ],
    { actor },
  );
  t.same(names(), ['p2@2', 'p3', 'p5'], 'the deleted pod gone, the updated one as updated, the created one in; not other namespaces');
  t.same(
    store.list('v1/pods').items.map((p) => `${p.metadata.namespace}/${p.metadata.name}`),
    ['a/p2', 'a/p3', 'a/p5', 'b/p4', 'b/p6'],
  );

  await store.commit([{ op: 'create', res: 'v1/pods', object: pod('a', 'p7') }, { op: 'delete', res: 'v1/configmaps', ns: 'a', name: 'probe' }, probe], { actor });
  t.same(names(), ['p2@2', 'p3', 'p5', 'p7'], 'creates only: the committed list and the new pod');
});
