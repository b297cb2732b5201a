// DESIGN.md invariant "the same inputs and seed give the same log": a rollout driven through the
// runtime twice — concurrent commits, group commit, retries and all — writes identical logs.
import t from 'tap';
import type { Deployment } from '../../controllers/deployment/util.ts';
import { cluster } from './harness.ts';

async function rolloutLog(): Promise<string[]> {
  const c = await cluster();
  try {
    const d: Deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'default' },
      spec: { replicas: 20, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.26' }] } } },
    };
    await c.apply({ op: 'create', res: 'apps/v1/deployments', object: d });
    const next = structuredClone(c.get<Deployment>('apps/v1/deployments', 'web'));
    (next.spec.template!.spec!.containers as { image: string }[])[0].image = 'nginx:1.27';
    await c.apply({ op: 'update', res: 'apps/v1/deployments', object: next });
    const out: string[] = [];
    for await (const e of c.store.read(0)) out.push(JSON.stringify(e));
    return out;
  } finally {
    await c.stop();
  }
}

t.test('two runs of the same rollout write the same log, byte for byte', async (t) => {
  const first = await rolloutLog();
  const second = await rolloutLog();
  t.ok(first.length > 100, `${first.length} events`);
  t.same(second, first);
});
