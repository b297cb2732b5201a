// The deployment reconcile on constructed views, sample-controller style: the exact list of writes.
import t from 'tap';
import { podTemplateHash } from '../../core/hash.ts';
import { reconcileDeployment } from '../../controllers/deployment/index.ts';
import type { Deployment } from '../../controllers/deployment/util.ts';
import { renderWrites, viewOf } from '../../controllers/runtime/testing.ts';
import { at, replicaSet, T0, template } from './fixtures.ts';

const NOW = T0 + 60_000;

function web(replicas = 3, extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'uid-web', resourceVersion: '7', generation: 1, creationTimestamp: at(0) },
    spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }), ...extra },
  };
}

const cond = (type: string, status: string, reason: string, message: string, time = at(60)) => ({
  type,
  status,
  lastUpdateTime: time,
  lastTransitionTime: time,
  reason,
  message,
});

t.test('a new deployment creates <name>-<hash> at revision 1 with the surge allowance, and records it', async (t) => {
  const d = web(3);
  const view = viewOf([d]);
  const hash = podTemplateHash(d.spec.template);
  const rsName = `web-${hash}`;
  const { writes, requeueAfter } = reconcileDeployment('default/web', { view, now: NOW });
  const out = renderWrites(writes, view);
  t.same(out.slice(0, 2), [
    {
      op: 'create',
      res: 'apps/v1/replicasets',
      ns: 'default',
      name: rsName,
      object: {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: rsName,
          namespace: 'default',
          labels: { app: 'web', 'pod-template-hash': hash },
          ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'uid-web', controller: true, blockOwnerDeletion: true }],
          annotations: {
            'deployment.kubernetes.io/revision': '1',
            'deployment.kubernetes.io/desired-replicas': '3',
            'deployment.kubernetes.io/max-replicas': '4',
          },
        },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: 'web', 'pod-template-hash': hash } },
          template: { metadata: { labels: { app: 'web', 'pod-template-hash': hash } }, spec: template({ app: 'web' }).spec },
        },
      },
    },
    {
      op: 'update',
      res: 'apps/v1/deployments',
      ns: 'default',
      name: 'web',
      object: {
        ...d,
        metadata: { ...d.metadata, annotations: { 'deployment.kubernetes.io/revision': '1' } },
        status: {
          observedGeneration: 1,
          unavailableReplicas: 3,
          conditions: [
            cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'),
            cond('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rsName}"`),
          ],
        },
      },
    },
  ]);
  t.match(out.slice(2), [{ op: 'patch', res: 'v1/events', object: { reason: 'ScalingReplicaSet', message: `Scaled up replica set ${rsName} from 0 to 3`, involvedObject: { kind: 'Deployment', name: 'web' } } }]);
  t.equal(out.length, 3);
  t.equal(requeueAfter, 601_000, 'look again just after the 600 s progress deadline');
});

t.test('a rolling update step: new RS grows by the surge, old shrinks by what availability spares', async (t) => {
  const d = web(10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } });
  d.metadata.annotations = { 'deployment.kubernetes.io/revision': '1' };
  const old = replicaSet('web-old', 10, { owner: d, status: { replicas: 10, availableReplicas: 10, readyReplicas: 10, observedGeneration: 1 } });
  old.metadata.annotations = { 'deployment.kubernetes.io/revision': '1', 'deployment.kubernetes.io/desired-replicas': '10', 'deployment.kubernetes.io/max-replicas': '13' };
  old.spec.template = template({ app: 'web' }, 'nginx:1.26');
  const view = viewOf([d, old]);
  const out = renderWrites(reconcileDeployment('default/web', { view, now: NOW }).writes, view);
  const rsName = `web-${podTemplateHash(d.spec.template)}`;
  t.same(out.map((w) => [w.op, w.res, w.res === 'v1/events' ? w.object!.message : w.name]), [
    ['create', 'apps/v1/replicasets', rsName],
    ['update', 'apps/v1/replicasets', 'web-old'],
    ['update', 'apps/v1/deployments', 'web'],
    ['patch', 'v1/events', `Scaled up replica set ${rsName} from 0 to 3`],
    ['patch', 'v1/events', 'Scaled down replica set web-old from 10 to 8'],
  ]);
  t.equal((out[0].object!.spec as { replicas: number }).replicas, 3, '10 + 3 surge − 10 existing');
  // 13 pods − 8 min available − 3 new not yet available = 2 old pods may go.
  t.equal((out[1].object!.spec as { replicas: number }).replicas, 8);
  t.equal(out[2].object!.metadata.annotations!['deployment.kubernetes.io/revision'], '2');
});

t.test('old replica set shrinks only as far as availability allows', async (t) => {
  const d = web(10, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: 2 } } });
  const hash = podTemplateHash(d.spec.template);
  const ann = (rev: string) => ({ 'deployment.kubernetes.io/revision': rev, 'deployment.kubernetes.io/desired-replicas': '10', 'deployment.kubernetes.io/max-replicas': '13' });
  d.metadata.annotations = { 'deployment.kubernetes.io/revision': '2' };
  const old = replicaSet('web-old', 10, { owner: d, status: { replicas: 10, availableReplicas: 10, observedGeneration: 1 } });
  old.metadata.annotations = ann('1');
  old.spec.template = template({ app: 'web' }, 'nginx:1.26');
  const fresh = replicaSet(`web-${hash}`, 3, { owner: d, status: { replicas: 3, availableReplicas: 1, observedGeneration: 1 } });
  fresh.metadata.annotations = ann('2');
  fresh.metadata.creationTimestamp = at(30);
  fresh.spec.template = { metadata: { labels: { app: 'web', 'pod-template-hash': hash } }, spec: template({ app: 'web' }).spec };
  const view = viewOf([d, old, fresh]);
  const out = renderWrites(reconcileDeployment('default/web', { view, now: NOW }).writes, view);
  // 13 total − 8 min available − 2 new unavailable = 3 may go; available 11 − 8 = 3 → old 10 → 7.
  t.same(out.filter((w) => w.res === 'apps/v1/replicasets').map((w) => [w.name, (w.object!.spec as { replicas: number }).replicas]), [['web-old', 7]]);
  t.match(out.find((w) => w.res === 'v1/events')!.object, { message: 'Scaled down replica set web-old from 10 to 7' });
});

t.test('an empty selector is refused with a warning', async (t) => {
  const d = web(1);
  d.spec.selector = {};
  const view = viewOf([d]);
  const out = renderWrites(reconcileDeployment('default/web', { view, now: NOW }).writes, view);
  t.match(out, [
    { op: 'update', res: 'apps/v1/deployments', object: { status: { observedGeneration: 1 } } },
    { op: 'patch', res: 'v1/events', object: { type: 'Warning', reason: 'SelectingAll' } },
  ]);
  t.equal(out.length, 2);
});

t.test('an orphan replica set the selector matches is adopted first, alone', async (t) => {
  const d = web(1);
  const orphan = replicaSet('web-x', 1);
  const view = viewOf([d, orphan]);
  const out = renderWrites(reconcileDeployment('default/web', { view, now: NOW }).writes, view);
  t.same(out.map((w) => [w.op, w.name, w.object?.metadata.ownerReferences?.[0].uid]), [['patch', 'web-x', 'uid-web']]);
});

t.test('a hash collision bumps collisionCount and stops', async (t) => {
  const d = web(1);
  const squatter = replicaSet(`web-${podTemplateHash(d.spec.template)}`, 1, { labels: { app: 'other' } });
  const view = viewOf([d, squatter]);
  const out = renderWrites(reconcileDeployment('default/web', { view, now: NOW }).writes, view);
  t.same(out.map((w) => [w.op, w.res]), [['update', 'apps/v1/deployments']]);
  t.equal((out[0].object as Deployment).status!.collisionCount, 1);
  t.not(podTemplateHash(d.spec.template, 1), podTemplateHash(d.spec.template), 'so the next name differs');
});

t.test('in sync: no writes', async (t) => {
  const d = web(1);
  const hash = podTemplateHash(d.spec.template);
  const first = renderWrites(reconcileDeployment('default/web', { view: viewOf([d]), now: NOW }).writes, viewOf([d]));
  const rs = first[0].object!;
  rs.metadata.uid = 'uid-rs';
  rs.metadata.creationTimestamp = at(1);
  rs.status = { replicas: 1, readyReplicas: 1, availableReplicas: 1, observedGeneration: 1 };
  const synced = { ...d, metadata: first[1].object!.metadata, status: (first[1].object as Deployment).status } as Deployment;
  // what the status reads once the pod is available and the rollout complete
  const settled = renderWrites(reconcileDeployment('default/web', { view: viewOf([synced, rs]), now: NOW }).writes, viewOf([synced, rs]));
  t.equal(settled.length, 1, 'one status update to complete');
  const done = settled[0].object!;
  t.equal(rs.metadata.name, `web-${hash}`);
  t.same(reconcileDeployment('default/web', { view: viewOf([done, rs]), now: NOW + 1000 }).writes, []);
});
