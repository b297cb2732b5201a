// Bad input never crashes a patch: every body either applies or throws a Kubernetes Status (4xx),
// and `current` is never modified. Bodies are generated from a fixed seed, so runs are repeatable.
import t from 'tap';
import { isStatusError } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { applyPatch } from '../../core/patch/index.ts';

let seed = 42;
const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)];

const KEYS = ['spec', 'metadata', 'template', 'containers', 'name', 'env', 'ports', 'containerPort', 'replicas', 'labels',
  '$patch', '$retainKeys', '$setElementOrder/containers', '$deleteFromPrimitiveList/finalizers', 'finalizers', 'op', 'path', 'value', 'apiVersion', 'kind'];
const SCALARS: unknown[] = [null, 0, 1, -1, '', 'x', 'delete', 'replace', 'merge', true, false, '/spec/replicas', 'add', 'test', 'remove', 'apps/v1', 'Deployment'];

function value(depth: number): unknown {
  const r = next();
  if (depth <= 0 || r < 0.4) return pick(SCALARS);
  if (r < 0.7) return Array.from({ length: Math.floor(next() * 4) }, () => value(depth - 1));
  return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [pick(KEYS), value(depth - 1)]));
}

const current = (): KObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['a'], managedFields: [{ manager: 'm', operation: 'Update', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': { 'f:replicas': {} } } }] },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] }] } } },
});

const TYPES = ['application/strategic-merge-patch+json', 'application/merge-patch+json', 'application/json-patch+json', 'application/apply-patch+yaml'];

t.test('3000 generated bodies: a result or a 4xx Status, never a crash', async (t) => {
  const crashes: string[] = [];
  for (let i = 0; i < 3000; i++) {
    const contentType = pick(TYPES);
    let body = JSON.stringify(value(5));
    if (contentType === 'application/apply-patch+yaml' && next() < 0.7) body = JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', ...(value(4) as object) });
    const before = current();
    try {
      const out = applyPatch({ contentType, current: before, body, res: 'apps/v1/deployments', fieldManager: 'fuzz', force: next() < 0.5 });
      if (typeof out !== 'object' || out === null) crashes.push(`${contentType} ${body}: returned ${String(out)}`);
    } catch (e) {
      if (!isStatusError(e) || e.code >= 500) crashes.push(`${contentType} ${body}: ${(e as Error).stack}`);
    }
    if (JSON.stringify(before) !== JSON.stringify(current())) crashes.push(`${contentType} ${body}: mutated current`);
  }
  t.same(crashes.slice(0, 5), []);
});
