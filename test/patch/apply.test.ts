// Server-side apply: ownership in managedFields, conflicts, force, and removal of released fields.
import t from 'tap';
import { applyPatch, recordUpdate } from '../../core/patch/index.ts';
import type { KObject } from '../../core/object.ts';
import { statusOf } from './status-of.ts';

const APPLY = 'application/apply-patch+yaml';
const manifest = (replicas: number, image = 'nginx', extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', ...extra } },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image }] } } },
});
const empty = (): KObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } });
const apply = (current: KObject, body: unknown, fieldManager = 'kubectl', force = false) =>
  applyPatch({ contentType: APPLY, current, res: 'apps/v1/deployments', body: typeof body === 'string' ? body : JSON.stringify(body), fieldManager, force });

t.test('first apply creates the fields and records an Apply entry in FieldsV1', async (t) => {
  const out = apply(empty(), manifest(2));
  t.equal((out.spec as any).replicas, 2);
  t.equal(out.metadata.namespace, 'default');
  t.same(out.metadata.managedFields, [{
    manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1',
    fieldsV1: {
      'f:metadata': { 'f:labels': { 'f:app': {} } },
      'f:spec': {
        'f:replicas': {},
        'f:selector': { 'f:matchLabels': { 'f:app': {} } },
        'f:template': { 'f:metadata': { 'f:labels': { 'f:app': {} } }, 'f:spec': { 'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } },
      },
    },
  }]);
});

t.test('YAML bodies are accepted', async (t) => {
  const out = apply(empty(), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 5\n');
  t.equal((out.spec as any).replicas, 5);
});

t.test('a field another manager set differently is a conflict with kubectl wording', async (t) => {
  const csa = recordUpdate(undefined, { ...empty(), ...manifest(2) } as KObject, 'kubectl-client-side-apply');
  t.match(statusOf(() => apply(csa, manifest(3))), {
    code: 409, reason: 'Conflict',
    message: 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas',
    details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' }] },
  });
  const two = () => apply(csa, manifest(3, 'httpd'));
  t.match(statusOf(two), { message: 'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="c"].image' });
  const same = apply(csa, manifest(2));
  t.equal((same.spec as any).replicas, 2, 'equal values are shared, not conflicts');
  t.same(same.metadata.managedFields!.map((e: any) => e.manager), ['kubectl-client-side-apply', 'kubectl']);
});

t.test('force takes the field over from the other manager', async (t) => {
  const csa = recordUpdate(undefined, { ...empty(), ...manifest(2) } as KObject, 'kubectl-client-side-apply');
  const out = apply(csa, manifest(3), 'kubectl', true);
  t.equal((out.spec as any).replicas, 3);
  const other = (out.metadata.managedFields as any[]).find((e) => e.manager === 'kubectl-client-side-apply');
  t.notOk('f:replicas' in other.fieldsV1['f:spec'], 'the loser no longer owns .spec.replicas');
});

t.test('fields the manager applied before and now omits are removed unless someone else owns them', async (t) => {
  const first = apply(empty(), manifest(2, 'nginx', { tier: 'fe', team: 'a' }));
  const labelled = recordUpdate(first, { ...first, metadata: { ...first.metadata, labels: { ...first.metadata.labels, team: 'b' } } }, 'kubectl-label');
  const second = apply(labelled, manifest(2));
  t.same(second.metadata.labels, { app: 'web', team: 'b' }, 'tier removed; team is owned by kubectl-label');
});

t.test('a second applier of the same field shares it; the one that drops it leaves the value', async (t) => {
  const a = apply(empty(), manifest(2), 'a');
  const b = apply(a, manifest(2), 'b');
  const dropped = apply(b, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }, 'a');
  t.equal((dropped.spec as any).replicas, 2);
});

t.test('a list element stays while another manager owns a field inside it', async (t) => {
  const base = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } };
  const withSidecar = (fields: Record<string, unknown>) => ({ ...base, spec: { template: { spec: { containers: [{ name: 'side', ...fields }] } } } });
  const a = apply(empty(), withSidecar({ image: 'busybox' }), 'a');
  const b = apply(a, withSidecar({ args: ['-v'] }), 'b');
  const dropped = apply(b, base, 'a');
  t.same((dropped.spec as any).template.spec.containers, [{ name: 'side', args: ['-v'] }], 'a\'s image goes; b\'s element and args stay');
  const gone = apply(dropped, base, 'b');
  t.same((gone.spec as any).template.spec.containers, [], 'once nobody owns the element it is removed');
});

t.test('updates take ownership; a CSA JSON patch of managedFields is kept as written', async (t) => {
  const a = apply(empty(), manifest(2));
  const scaled = applyPatch({ contentType: 'application/merge-patch+json', current: a, res: 'apps/v1/deployments', body: '{"spec":{"replicas":4}}', fieldManager: 'kubectl-scale' });
  const scaler = (scaled.metadata.managedFields as any[]).find((e) => e.manager === 'kubectl-scale');
  t.same(scaler, { manager: 'kubectl-scale', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } });
  t.match(statusOf(() => apply(scaled, manifest(2))), { message: 'Apply failed with 1 conflict: conflict with "kubectl-scale" using apps/v1: .spec.replicas' });
  const rewritten = applyPatch({ contentType: 'application/json-patch+json', current: a, res: 'apps/v1/deployments', fieldManager: 'kubectl', body: JSON.stringify([{ op: 'replace', path: '/metadata/managedFields', value: [] }]) });
  t.same(rewritten.metadata.managedFields, []);
});

t.test('a field an update removes is owned by nobody; the updater owns only what it changed', async (t) => {
  const applied = apply(empty(), manifest(2, 'nginx', { tier: 'fe' }));
  const { tier: _tier, ...labels } = applied.metadata.labels!;
  const unlabeled = recordUpdate(applied, { ...applied, metadata: { ...applied.metadata, labels } }, 'kubectl-label');
  const entries = unlabeled.metadata.managedFields as any[];
  t.same(entries.map((e) => e.manager), ['kubectl'], 'an update that only removes owns nothing (its entry is dropped)');
  t.notOk('f:tier' in entries[0].fieldsV1['f:metadata']['f:labels']);
  t.same(recordUpdate(undefined, { ...empty(), data: { a: '1' } } as KObject, 'kubectl-create').metadata.managedFields,
    [{ manager: 'kubectl-create', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { 'f:a': {} } } }], 'a create owns every field it set');
});

t.test('a replace that leaves managedFields out keeps the live ownership', async (t) => {
  const applied = apply(empty(), manifest(2));
  const { managedFields: _dropped, ...metadata } = applied.metadata;
  const replaced = recordUpdate(applied, { ...applied, metadata, spec: { ...(applied.spec as object), replicas: 3 } }, 'kubectl-replace');
  t.same((replaced.metadata.managedFields as any[]).map((e) => [e.manager, e.operation]), [['kubectl', 'Apply'], ['kubectl-replace', 'Update']]);
  t.match(statusOf(() => apply(replaced, manifest(2))), { code: 409, message: /conflict with "kubectl-replace" using apps\/v1: \.spec\.replicas/ });
});

t.test('bad apply bodies are 400', async (t) => {
  for (const body of ['a: [', '"x"', '{"kind":"Deployment"}', '{"apiVersion":"apps/v1"}', '{"apiVersion":"apps/v1","kind":"Deployment","spec":{"$patch":"delete"}}']) {
    t.match(statusOf(() => apply(empty(), body)), { code: 400 }, body);
  }
});
