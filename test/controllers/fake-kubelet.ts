// A stand-in kubelet for controller integration tests: every pod becomes Running and Ready at once,
// and a pod marked for graceful deletion is removed. (The simulated kubelet of controllers/ does the
// real thing, with latencies; these tests are about the workload controllers.)

import { rfc3339 } from '../../core/clock.ts';
import { isPodReady, PODS } from '../../controllers/runtime/pods.ts';
import { objectKey, splitKey, type Controller } from '../../controllers/runtime/types.ts';

export const fakeKubelet = (): Controller => ({
  name: 'fake-kubelet',
  actorKind: 'kubelet',
  watches: [{ res: PODS, keys: (e) => (e.type === 'DELETED' ? [] : [objectKey(e.ns, e.name)]) }],
  reconcile(key, { view, now }) {
    const { ns, name } = splitKey(key);
    const pod = view.get(PODS, ns, name);
    if (!pod) return { writes: [] };
    if (pod.metadata.deletionTimestamp) return { writes: [{ op: 'delete', res: PODS, ns, name }] };
    if (isPodReady(pod)) return { writes: [] };
    const t = rfc3339(now);
    const status = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }], podIP: '10.0.0.1', startTime: t };
    return { writes: [{ op: 'update', res: PODS, object: { ...pod, status } }] };
  },
});
