// Tables never crash on odd objects: every printer, fed objects whose fields have unexpected types
// (generated from a fixed seed), returns a row with one cell per column.
import t from 'tap';
import { toTable } from '../../api/table.ts';
import type { KObject } from '../../core/object.ts';
import { RESOURCES } from '../../core/registry.ts';

let seed = 7;
const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: T[]): T => xs[Math.floor(next() * xs.length)];
const KEYS = ['spec', 'status', 'containers', 'containerStatuses', 'state', 'waiting', 'terminated', 'reason', 'ports', 'port', 'nodePort', 'type',
  'selector', 'matchLabels', 'template', 'subsets', 'addresses', 'ip', 'conditions', 'metrics', 'resource', 'target', 'replicas', 'involvedObject',
  'loadBalancer', 'ingress', 'rules', 'hard', 'used', 'subjects', 'roleRef', 'endpoints', 'clusterIPs', 'externalIPs', 'accessModes', 'capacity'];
const SCALARS: unknown[] = [null, 0, -3, 'x', '', true, '2026-01-01T00:00:00Z', 'Resource', 'True', 'LoadBalancer'];
function value(depth: number): unknown {
  const r = next();
  if (depth <= 0 || r < 0.35) return pick(SCALARS);
  if (r < 0.65) return Array.from({ length: Math.floor(next() * 3) }, () => value(depth - 1));
  return Object.fromEntries(Array.from({ length: Math.floor(next() * 4) }, () => [pick(KEYS), value(depth - 1)]));
}

t.test('every printer survives 200 odd objects', async (t) => {
  const failures: string[] = [];
  for (const r of RESOURCES) {
    for (let i = 0; i < 200; i++) {
      const obj = { ...(value(6) as object), apiVersion: r.group ? `${r.group}/${r.versions[0]}` : 'v1', kind: r.kind, metadata: { name: `o${i}`, creationTimestamp: pick(['2026-01-01T00:00:00Z', 'bad', undefined]) } } as KObject;
      try {
        const table = toTable(r.res, [obj], { now: 0, resourceVersion: '1' }) as { columnDefinitions: unknown[]; rows: { cells: unknown[] }[] };
        if (table.rows[0].cells.length !== table.columnDefinitions.length) failures.push(`${r.res}: ${table.rows[0].cells.length} cells`);
      } catch (e) {
        failures.push(`${r.res} ${JSON.stringify(obj)}: ${(e as Error).stack}`);
      }
    }
  }
  t.same(failures.slice(0, 3), []);
});
