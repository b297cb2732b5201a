// A pod marked for deletion while the kubelet's status write for it is in flight. The kubelet syncs
// a node's due pods along with the one it runs, so a pod's status can be written by another pod's
// reconcile; a deletion mark committed in the same store batch right after that write reaches the
// kubelet before the write's commit settles. The pod's own reconcile must then read the stored pod
// (with its deletionTimestamp), not the kubelet's prediction of its status write — otherwise it
// finds the pod "in sync" and, as a Running pod's timeline has nothing more due, never looks again.

import t from 'tap';
import { VirtualClock } from '../../core/clock.ts';
import type { KObject } from '../../core/object.ts';
import { kubeletController } from '../../controllers/kubelet/index.ts';
import { startControllers } from '../../controllers/manager.ts';
import { deleteObject } from '../../controllers/runtime/delete.ts';
import { runUntilSettled } from '../../controllers/runtime/settle.ts';
import { openStore } from '../../store/index.ts';
import { node, simPod, T0 } from './sim-fixtures.ts';

const PODS = 'v1/pods';
const asCreated = (o: KObject): KObject => ({ ...o, metadata: { ...o.metadata, uid: undefined, resourceVersion: undefined } });

t.test('a pod marked for deletion in the batch of a kubelet status write for it is still removed', async (t) => {
  const clock = new VirtualClock(T0);
  const store = await openStore({ clock, sync: 'none' });
  t.teardown(() => store.close());
  const user = { actor: { kind: 'user', name: 'alice' } } as const;
  await store.commit([node('node-1'), simPod('web-a', { node: 'node-1' }), simPod('web-b', { node: 'node-1' })].map((o) => ({ op: 'create', res: o.kind === 'Node' ? 'v1/nodes' : PODS, object: asCreated(o) })), user);
  const manager = await startControllers(store, { clock, factories: [kubeletController], enabled: ['kubelet'] });
  t.teardown(() => manager.stop());
  await manager.whenIdle();
  t.same(['web-a', 'web-b'].map((n) => (store.get(PODS, 'default', n)?.status as { phase?: string } | undefined)?.phase), ['Pending', 'Pending'], 'both accepted, pulling');

  // Both pods start at +1.5 s: the first key to run writes both statuses in one commit; the second
  // finds its pod in sync through that write's prediction. The marks are queued behind that commit,
  // into the same store batch, as a controller's delete arriving at that moment would be.
  clock.advanceBy(1500);
  queueMicrotask(() => {
    const marks = ['web-a', 'web-b'].map((n) => deleteObject(PODS, store.get(PODS, 'default', n)!, clock.now()));
    void store.commit(marks, { actor: { kind: 'controller', name: 'daemonset-controller' } });
  });
  await runUntilSettled(manager, clock, { maxVirtualMs: 60_000 });

  t.same(store.list(PODS).items.map((p) => p.metadata.name), [], 'both pods removed once their containers stopped');
  t.ok(clock.now() - T0 < 30_000, 'before their grace period ended');
});
