// `npm run bench -- quota [--json]`: what ResourceQuota admission (core/quota.ts) adds to the commit
// path, in-process on the memory-backed store with admission on. One commit of 2,000 pod creates,
// repeated 3 times after a warm-up commit (so 2,000 to 8,000 pods are already stored), measured in
// CPU milliseconds per commit:
//
//   noQuotaMs     no ResourceQuota in the namespace: admission only asks whether there is one
//   podsQuotaMs   a `pods` quota in the namespace: every create counts the namespace's pods
//
// The last line of output is one JSON object.

import { admit } from '../core/admission.ts';
import type { Mutation } from '../core/events.ts';
import { openStore } from '../store/index.ts';

const actor = { kind: 'user' as const, name: 'bench' };
const PODS_PER_COMMIT = 2000;

const podCreate = (i: number): Mutation => ({
  op: 'create',
  res: 'v1/pods',
  object: { apiVersion: 'v1', kind: 'Pod', metadata: { name: `p-${i}`, namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'nginx' }] } },
});

/** Mean CPU ms of commits 2–4 of PODS_PER_COMMIT pod creates, with or without a pods quota. */
async function commitCpuMs(withQuota: boolean): Promise<number> {
  const store = await openStore({ admit, sync: 'none' });
  try {
    if (withQuota) {
      const quota = { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q', namespace: 'default' }, spec: { hard: { pods: '1000000' } } };
      await store.commit([{ op: 'create', res: 'v1/resourcequotas', object: quota }], { actor });
    }
    let total = 0;
    for (let round = 0; round < 4; round++) {
      const before = process.cpuUsage();
      await store.commit(Array.from({ length: PODS_PER_COMMIT }, (_, i) => podCreate(round * PODS_PER_COMMIT + i)), { actor });
      const used = process.cpuUsage(before);
      if (round > 0) total += (used.user + used.system) / 1000;
    }
    return Math.round(total / 3);
  } finally {
    await store.close();
  }
}

export async function run(argv: string[]): Promise<void> {
  const result = { noQuotaMs: await commitCpuMs(false), podsQuotaMs: await commitCpuMs(true) };
  console.log(`one commit of ${PODS_PER_COMMIT} pod creates: ${result.noQuotaMs} ms CPU without a quota, ${result.podsQuotaMs} ms with a pods quota in the namespace`);
  if (argv.includes('--json')) console.log(JSON.stringify(result));
}
