// `npm run bench -- unchanged-update [--json]`: what the API's no-op check (api/routes/unchanged-update.ts)
// adds to an update. Every PUT and PATCH is committed with `unlessUnchanged`: the store compares the
// decided result with the stored object and writes only a real change; this measures the CPU of one Deployment patch (a changed annotation) committed
// plainly and through that check, on the memory-backed store with admission on, in microseconds per
// update (after a warm-up, the best of 3 rounds of 3,000):
//
//   plainUs       store.commit of the patch mutation
//   checkedUs     commitUpdate: the same commit with the no-op check
//   unchangedUs   commitUpdate of a patch that changes nothing (decided; nothing is written)
//
// The last line of output is one JSON object.

import { commitUpdate, type PatchMutation } from '../api/routes/unchanged-update.ts';
import type { ApiContext } from '../api/context.ts';
import { admit } from '../core/admission.ts';
import { RealClock } from '../core/clock.ts';
import type { KObject } from '../core/object.ts';
import { openStore } from '../store/index.ts';

const actor = { kind: 'user' as const, name: 'bench' };
const ROUNDS = 3;
const UPDATES = 3000;

const deployment: KObject = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' },
  spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] } } },
};

/** A patch setting annotation n to `value()` — a new value each time, or always the same. */
const patch = (value: () => string): PatchMutation => ({
  op: 'patch', res: 'apps/v1/deployments', ns: 'default', name: 'web',
  apply: (cur) => ({ ...cur, metadata: { ...cur.metadata, annotations: { n: value() } } }),
});

/** Best-of-rounds CPU µs per call of `update`. */
async function cpuUs(update: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 300; i++) await update();
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.cpuUsage();
    for (let i = 0; i < UPDATES; i++) await update();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / UPDATES);
  }
  return Math.round(best * 10) / 10;
}

export async function run(argv: string[]): Promise<void> {
  const store = await openStore({ admit, sync: 'none' });
  const ctx = { store, clock: new RealClock() } as unknown as ApiContext;
  try {
    await store.commit([{ op: 'create', res: 'v1/namespaces', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } } }], { actor });
    await store.commit([{ op: 'create', res: 'apps/v1/deployments', object: deployment }], { actor });
    let n = 0;
    const changing = () => String(n++);
    const plainUs = await cpuUs(() => store.commit([patch(changing)], { actor }));
    const checkedUs = await cpuUs(() => commitUpdate(ctx, patch(changing), { actor }));
    await commitUpdate(ctx, patch(() => 'same'), { actor });
    const unchangedUs = await cpuUs(() => commitUpdate(ctx, patch(() => 'same'), { actor }));
    const result = { plainUs, checkedUs, unchangedUs };
    if (!argv.includes('--json')) {
      console.log(`patch committed plainly        ${plainUs} µs CPU`);
      console.log(`through the no-op check        ${checkedUs} µs CPU`);
      console.log(`a patch that changes nothing   ${unchangedUs} µs CPU (nothing written)`);
    }
    console.log(JSON.stringify(result));
  } finally {
    await store.close();
  }
}
