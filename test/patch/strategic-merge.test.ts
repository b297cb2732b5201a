// Strategic merge patch with the literal bodies kubectl 1.32 sends (kubectl-surface.md §1.6, §2).
import t from 'tap';
import { applyPatch } from '../../core/patch/index.ts';
import type { KObject } from '../../core/object.ts';
import { statusOf } from './status-of.ts';

const SMP = 'application/strategic-merge-patch+json';

function deployment(): KObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', resourceVersion: '7', labels: { app: 'web' }, finalizers: ['a'] },
    spec: {
      replicas: 2,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'c', image: 'nginx:1.25', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443, protocol: 'TCP' }],
              env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
            { name: 'side', image: 'busybox' },
          ],
          tolerations: [{ key: 'x', operator: 'Exists' }],
        },
      },
    },
  };
}

const patch = (body: unknown, current = deployment()) => applyPatch({ contentType: SMP, current, body: JSON.stringify(body), res: 'apps/v1/deployments' });
const spec = (o: KObject) => (o.spec as any).template.spec;

t.test('client-side apply of a changed manifest: replicas, image and setElementOrder', async (t) => {
  const body = {
    metadata: { annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n' } },
    spec: { replicas: 3, template: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'side' }], containers: [{ image: 'nginx:1.26', name: 'c' }] } } },
  };
  const before = deployment();
  const out = patch(body, before);
  t.equal((out.spec as any).replicas, 3);
  t.same(spec(out).containers.map((c: any) => [c.name, c.image]), [['c', 'nginx:1.26'], ['side', 'busybox']]);
  t.same(spec(out).containers[0].env, [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], 'unpatched fields of a merged element survive');
  t.same(out.metadata.annotations, { 'kubectl.kubernetes.io/last-applied-configuration': '{"new":true}\n' });
  t.equal(out.metadata.resourceVersion, '7');
  t.same(before, deployment(), 'current is not mutated');
});

t.test('set image sends only the named container', async (t) => {
  const out = patch({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }], containers: [{ image: 'img:2', name: 'c' }] } } } });
  t.same(spec(out).containers.map((c: any) => c.image), ['img:2', 'busybox'], 'server-only container keeps its place after the ordered ones');
});

t.test('$setElementOrder reorders merged elements', async (t) => {
  const out = patch({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'c' }], containers: [{ name: 'side', image: 'b2' }] } } } });
  t.same(spec(out).containers.map((c: any) => c.name), ['side', 'c']);
});

t.test('server-only elements keep their live position among ordered ones', async (t) => {
  const live = deployment();
  (live.spec as any).template.spec.containers.reverse(); // live order: side, c
  const out = patch({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'new' }], containers: [{ name: 'c', image: 'v2' }, { name: 'new', image: 'n' }] } } } }, live);
  t.same(spec(out).containers.map((c: any) => c.name), ['side', 'c', 'new'], 'side stays before c; the new element follows the order');
});

t.test('$setElementOrder alone reorders a list the patch does not otherwise touch', async (t) => {
  const out = patch({ spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'c' }] } } } });
  t.same(spec(out).containers.map((c: any) => [c.name, c.image]), [['side', 'busybox'], ['c', 'nginx:1.25']]);
});

t.test('a removed list element comes as $patch: delete (ports keyed by containerPort)', async (t) => {
  const out = patch({ spec: { template: { spec: { containers: [{ name: 'c', ports: [{ $patch: 'delete', containerPort: 443 }], '$setElementOrder/ports': [{ containerPort: 80 }] }], '$setElementOrder/containers': [{ name: 'c' }, { name: 'side' }] } } } });
  t.same(spec(out).containers[0].ports, [{ containerPort: 80, protocol: 'TCP' }]);
  const gone = patch({ spec: { template: { spec: { containers: [{ $patch: 'delete', name: 'side' }] } } } });
  t.same(spec(gone).containers.map((c: any) => c.name), ['c']);
});

t.test('env merges by name; null removes a map key', async (t) => {
  const out = patch({ metadata: { labels: { app: null, tier: 'fe' } }, spec: { template: { spec: { containers: [{ name: 'c', env: [{ name: 'B', value: '3' }, { name: 'C', value: 'x' }] }] } } } });
  t.same(out.metadata.labels, { tier: 'fe' });
  t.same(spec(out).containers[0].env, [{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: 'x' }]);
});

t.test('$retainKeys on the deployment strategy (switch to Recreate)', async (t) => {
  const out = patch({ spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } });
  t.same((out.spec as any).strategy, { type: 'Recreate' });
});

t.test('lists without a merge key are replaced whole', async (t) => {
  const out = patch({ spec: { template: { spec: { tolerations: [{ key: 'y', operator: 'Exists' }] } } } });
  t.same(spec(out).tolerations, [{ key: 'y', operator: 'Exists' }]);
});

t.test('finalizers are a merged set; $deleteFromPrimitiveList removes values', async (t) => {
  t.same(patch({ metadata: { finalizers: ['b', 'a'] } }).metadata.finalizers, ['a', 'b']);
  t.same(patch({ metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }).metadata.finalizers, []);
});

t.test('$patch: replace on a map and on a list; $patch: delete on a map', async (t) => {
  const out = patch({ spec: { strategy: { $patch: 'replace', type: 'Recreate' } } });
  t.same((out.spec as any).strategy, { type: 'Recreate' });
  const list = patch({ spec: { template: { spec: { containers: [{ name: 'only', image: 'x' }, { $patch: 'replace' }] } } } });
  t.same(spec(list).containers, [{ name: 'only', image: 'x' }]);
  const del = patch({ spec: { strategy: { $patch: 'delete' } } });
  t.notOk('strategy' in (del.spec as any));
});

t.test('rollout pause/resume/restart bodies', async (t) => {
  t.equal((patch({ spec: { paused: true } }).spec as any).paused, true);
  t.notOk('paused' in (patch({ spec: { paused: null } }).spec as any));
  const restarted = patch({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } });
  t.same((restarted.spec as any).template.metadata, { labels: { app: 'web' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } });
});

t.test('service ports merge by port; volumes by name; volumeMounts by mountPath', async (t) => {
  const svc: KObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
  const out = applyPatch({ contentType: SMP, current: svc, res: 'v1/services', body: JSON.stringify({ spec: { ports: [{ port: 80, targetPort: 9090 }] } }) });
  t.same((out.spec as any).ports, [{ port: 80, targetPort: 9090 }, { port: 443 }]);
  const pod: KObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { volumes: [{ name: 'v', emptyDir: {} }], containers: [{ name: 'c', volumeMounts: [{ name: 'v', mountPath: '/a' }] }] } };
  const p2 = applyPatch({ contentType: SMP, current: pod, res: 'v1/pods', body: JSON.stringify({ spec: { volumes: [{ name: 'w', configMap: { name: 'cm' } }], containers: [{ name: 'c', volumeMounts: [{ name: 'w', mountPath: '/b' }] }] } }) });
  t.same((p2.spec as any).volumes.map((v: any) => v.name), ['v', 'w']);
  t.same((p2.spec as any).containers[0].volumeMounts.map((m: any) => m.mountPath), ['/a', '/b']);
});

t.test('edit sends spec and status together; an empty patch changes nothing', async (t) => {
  const out = patch({ spec: { replicas: 4 }, status: { replicas: 4 } });
  t.equal((out.spec as any).replicas, 4);
  t.same(patch({}), deployment());
});

t.test('bad bodies are 400 BadRequest', async (t) => {
  for (const body of ['{', '[1]', '"x"']) {
    t.match(statusOf(() => applyPatch({ contentType: SMP, current: deployment(), res: 'apps/v1/deployments', body })), { code: 400, reason: 'BadRequest' }, body);
  }
  t.match(statusOf(() => patch({ spec: { template: { spec: { containers: [{ image: 'no-name' }] } } } })), { code: 400 }, 'element without its merge key');
  t.match(statusOf(() => applyPatch({ contentType: 'text/plain', current: deployment(), res: 'apps/v1/deployments', body: '{}' })), { code: 415 });
});
