// StatefulSet revisions on constructed views: a new template gets a ControllerRevision and becomes
// status.updateRevision; below the partition a missing pod comes back at the current revision
// (its template and its label); at or above it, at the update revision.
import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { constructHistory, REVISION_HASH, templateHash, type Revision } from '../../controllers/history.ts';
import { viewOf } from '../../controllers/runtime/testing.ts';
import { reconcileStatefulSet } from '../../controllers/statefulset.ts';
import { at, objectWrites, T0 } from './sim-fixtures.ts';

const set = (image: string, status?: Record<string, unknown>): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'web', namespace: 'default', uid: 'uid-web', generation: 2 },
  spec: {
    replicas: 3,
    serviceName: 'web',
    podManagementPolicy: 'Parallel',
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } },
    revisionHistoryLimit: 10,
  },
  ...(status ? { status } : {}),
});

const image = (p: KObject) => (p.spec as { containers: { image: string }[] }).containers[0].image;

t.test('partition 2: web-0 comes back at the current revision, web-2 at the update revision', async (t) => {
  const old = set('nginx:1.26');
  const made = constructHistory(old, viewOf([old])).current;
  const v1: Revision = { ...made, metadata: { ...made.metadata, uid: 'uid-rev1' } };
  const oldName = `web-${templateHash(old)}`;
  t.equal(v1.metadata.name, oldName);
  const readyPod = (name: string): KObject => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', uid: `uid-${name}`, labels: { app: 'web', [REVISION_HASH]: oldName }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'uid-web', controller: true }] },
    spec: { containers: [{ name: 'web', image: 'nginx:1.26' }], nodeName: 'n1' },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: at(0) }] },
  });
  const current = set('nginx:1.27', { currentRevision: oldName, updateRevision: oldName });
  const view = viewOf([current, v1, readyPod('web-1')]);
  const out = objectWrites(reconcileStatefulSet('default/web', { view, now: T0 }).writes, view);

  const revision = out.find((w) => w.res === 'apps/v1/controllerrevisions');
  const newName = `web-${templateHash(current)}`;
  t.match(revision, { op: 'create', name: newName, object: { revision: 2 } }, 'the new template is revision 2');
  const pods = Object.fromEntries(out.filter((w) => w.op === 'create' && w.res === 'v1/pods').map((w) => [w.name, w.object!]));
  t.same(Object.keys(pods).sort(), ['web-0', 'web-2']);
  t.same([image(pods['web-0']), pods['web-0'].metadata.labels?.[REVISION_HASH]], ['nginx:1.26', oldName], 'below the partition: current revision');
  t.same([image(pods['web-2']), pods['web-2'].metadata.labels?.[REVISION_HASH]], ['nginx:1.27', newName], 'at the partition: update revision');
  const status = out.find((w) => w.res === 'apps/v1/statefulsets')?.object?.status;
  t.match(status, { currentRevision: oldName, updateRevision: newName, replicas: 1, currentReplicas: 1, updatedReplicas: 0 });
});
