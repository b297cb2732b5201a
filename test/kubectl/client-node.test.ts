// issue 3 acceptance: a second real client, @kubernetes/client-node, lists and watches pods.
import t from 'tap';
import * as k8s from '@kubernetes/client-node';
import { startRewind } from './harness.ts';

const rw = await startRewind(t, ['--controllers=']);

t.test('client-node lists and watches pods', async (t) => {
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(rw.kubeconfig);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  await core.createNamespacedPod({
    namespace: 'default',
    body: { metadata: { name: 'listed' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  });
  const list = await core.listNamespacedPod({ namespace: 'default' });
  t.same(list.items.map((p) => p.metadata?.name), ['listed']);

  const seen: string[] = [];
  const watch = new k8s.Watch(kc);
  let sawWatched!: () => void;
  const done = new Promise<void>((resolve) => (sawWatched = resolve));
  const req = await watch.watch(
    '/api/v1/namespaces/default/pods',
    { resourceVersion: list.metadata?.resourceVersion },
    (type, obj: k8s.V1Pod) => {
      seen.push(`${type} ${obj.metadata?.name}`);
      if (obj.metadata?.name === 'watched') sawWatched();
    },
    () => undefined,
  );
  await core.createNamespacedPod({
    namespace: 'default',
    body: { metadata: { name: 'watched' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
  });
  await done;
  req.abort();
  t.same(seen, ['ADDED watched'], 'only the change after the list resourceVersion');
});
