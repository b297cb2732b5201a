// History and diff match list elements by their strategic-merge key (conditions by type, containers
// by name), as kube-apiserver merges them, so a condition the deployment controller re-appends does
// not read as two conditions swapping places.

import t from 'tap';
import type { Actor } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { alignedTo, describeChanges } from '../../api/rewind/changes.ts';
import { apiFixture } from '../api/server.ts';

const ALICE: Actor = { kind: 'user', name: 'alice' };
const CONTROLLER: Actor = { kind: 'controller', name: 'deployment' };

type Condition = { type: string; status: string; reason?: string };
const deployment = (conditions: Condition[], containers: { name: string; image: string }[]): KObject =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers } } },
    status: { conditions },
  }) as KObject;

const before = deployment(
  [
    { type: 'Available', status: 'False' },
    { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated' },
  ],
  [
    { name: 'app', image: 'nginx:1' },
    { name: 'log', image: 'busybox' },
  ],
);
// The controller replaced Progressing (removed, then appended) and Available; a container was added.
const after = deployment(
  [
    { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable' },
    { type: 'Available', status: 'True' },
  ],
  [
    { name: 'log', image: 'busybox' },
    { name: 'app', image: 'nginx:2' },
    { name: 'metrics', image: 'exporter' },
  ],
);

t.test('changes of keyed lists are named by key, not by position', async (t) => {
  t.same(describeChanges(before, after), [
    'spec.template.spec.containers[name=app].image nginx:1→nginx:2',
    '+spec.template.spec.containers[name=metrics]={"name":"metrics","image":"exporter"}',
    'status.conditions[type=Available].status False→True',
    'status.conditions[type=Progressing].reason ReplicaSetUpdated→NewReplicaSetAvailable',
  ]);
  const removed = deployment([{ type: 'Available', status: 'False' }], [{ name: 'app', image: 'nginx:1' }]);
  t.same(describeChanges(before, removed), ['-spec.template.spec.containers[name=log]', '-status.conditions[type=Progressing]']);
});

t.test('lists without a merge key are still compared by index', async (t) => {
  const a = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'x', args: ['a', 'b'] }] } } as KObject;
  const b = { ...a, spec: { containers: [{ name: 'c', image: 'x', args: ['a', 'c', 'd'] }] } } as KObject;
  t.same(describeChanges(a, b), ['spec.containers[name=c].args.1 b→c', '+spec.containers[name=c].args.2=d']);
});

t.test('alignedTo orders keyed lists as before (new elements last), leaving values as after', async (t) => {
  const aligned = alignedTo(before, after) as unknown as { status: { conditions: Condition[] }; spec: { template: { spec: { containers: { name: string; image: string }[] } } } };
  t.same(aligned.status.conditions.map((c) => [c.type, c.status]), [['Available', 'True'], ['Progressing', 'True']]);
  t.same(aligned.spec.template.spec.containers.map((c) => `${c.name}:${c.image}`), ['app:nginx:2', 'log:busybox', 'metrics:exporter']);
});

t.test('the history API and why name a condition update by its type', async (t) => {
  const f = await apiFixture(t);
  await f.store.commit([{ op: 'create', res: 'apps/v1/deployments', object: before }], { actor: ALICE });
  const [updated] = await f.store.commit([{ op: 'update', res: 'apps/v1/deployments', object: after }], { actor: CONTROLLER });
  const h = (await f.req('GET', '/apis/rewind.dev/v1/history?type=deploy&name=web')).json();
  t.same(h.items[1].changes.filter((c: string) => c.startsWith('status.')), [
    'status.conditions[type=Available].status False→True',
    'status.conditions[type=Progressing].reason ReplicaSetUpdated→NewReplicaSetAvailable',
  ]);
  const why = (await f.req('GET', '/apis/rewind.dev/v1/why?type=deploy&name=web')).json();
  t.match(why.text, `deployment web spec.template.spec.containers[name=app].image nginx:1→nginx:2, +spec.template.spec.containers[name=metrics]=`);
  t.match(why.text, `by deployment controller (rev ${updated.rev})`);
});
