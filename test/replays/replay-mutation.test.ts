// A recorded `kubectl debug` (a pod write through pods/ephemeralcontainers) replays into a store with
// admission: the pod's own update rules would refuse the new ephemeral container.
import t from 'tap';
import { admit } from '../../core/admission.ts';
import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { replayMutation } from '../../replays/replay-mutation.ts';
import { openStore } from '../../store/index.ts';

const user = { actor: { kind: 'user' as const, name: 'alice' } };
const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-0', namespace: 'default' }, spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } };
const debugContainer = { name: 'debugger-x7k2q', image: 'busybox:1.36', targetContainerName: 'web' };

const addDebugContainer = (subresource?: string): Mutation => ({
  op: 'patch',
  res: 'v1/pods',
  ns: 'default',
  name: 'web-0',
  apply: (cur) => ({ ...cur, spec: { ...(cur.spec as object), ephemeralContainers: [debugContainer] } }),
  ...(subresource ? { subresource } : {}),
});

t.test('a pod write that added an ephemeral container replays through the subresource', async (t) => {
  const recording = await openStore({ admit });
  t.teardown(() => recording.close());
  await recording.commit([{ op: 'create', res: 'v1/pods', object: pod }], user);
  await t.rejects(recording.commit([addDebugContainer()], user), { code: 422, message: /pod updates may not change fields/ }, 'the pod itself may not add one');
  const [debugged] = await recording.commit([addDebugContainer('ephemeralcontainers')], user);

  const replay = await openStore({ admit });
  t.teardown(() => replay.close());
  await replay.commit([{ op: 'create', res: 'v1/pods', object: pod }], user);
  const mutation = replayMutation(debugged, { status: 'current' });
  t.match(mutation, { subresource: 'ephemeralcontainers' });
  await replay.commit([mutation], user);
  t.match((replay.get('v1/pods', 'default', 'web-0')!.spec as { ephemeralContainers: unknown[] }).ephemeralContainers, [debugContainer]);
  t.equal((replayMutation({ ...debugged, object: pod }, { status: 'current' }) as { subresource?: string }).subresource, undefined, 'any other pod write as the pod');
});
