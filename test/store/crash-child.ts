// Child process of crash.test.ts: commits under concurrent load until it is killed with SIGKILL.
// Prints "ready" once open, then one line "ack <rev> <res|ns|name>" per acknowledged event — only
// after commit() resolved, i.e. after its batch was fsynced. Usage: crash-child.ts <dir> <runId>.
import { isStatusError } from '../../core/errors.ts';
import type { Mutation } from '../../core/events.ts';
import { pick, randomInt, seededRandom } from '../../core/random.ts';
import { openStore } from '../../store/index.ts';

const [dir, runId] = process.argv.slice(2);
const store = await openStore({ path: dir, checkpointEvery: 50, seed: Number(runId) });
const rng = seededRandom(`crash-child-${runId}`);
const RES = ['v1/pods', 'v1/configmaps', 'apps/v1/deployments'];
const actor = { kind: 'controller' as const, name: 'crash-child' };
process.stdout.write('ready\n');

function mutation(): Mutation {
  const res = pick(rng, RES);
  const ns = pick(rng, ['a', 'b']);
  const name = `o${randomInt(rng, 150)}`;
  const object = { apiVersion: 'v1', kind: 'X', metadata: { name, namespace: ns }, spec: { run: runId, n: randomInt(rng, 1e6), pad: 'x'.repeat(randomInt(rng, 400)) } };
  if (!store.get(res, ns, name)) return { op: 'create', res, object };
  const roll = rng();
  if (roll < 0.5) return { op: 'update', res, object };
  if (roll < 0.8) return { op: 'patch', res, ns, name, apply: (o) => ({ ...o, status: { n: randomInt(rng, 1e6) } }) };
  return { op: 'delete', res, ns, name };
}

async function worker(): Promise<void> {
  for (;;) {
    const muts = Array.from({ length: 1 + randomInt(rng, 3) }, mutation);
    try {
      const events = await store.commit(muts, { actor });
      process.stdout.write(events.map((e) => `ack ${e.rev} ${e.res}|${e.ns}|${e.name}\n`).join(''));
    } catch (e) {
      if (!isStatusError(e)) throw e; // races between workers: AlreadyExists, NotFound, Conflict
    }
  }
}

await Promise.all(Array.from({ length: 32 }, worker));
