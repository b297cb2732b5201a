// Admission never crashes on input: seed manifests with one value swapped for a random JSON value
// (wrong type, deep nesting, huge string…) are either admitted or rejected with a 4xx Status.
// Seeded, so a failure reproduces.
import t from 'tap';
import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { admit } from '../../core/admission.ts';
import { isStatusError } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { pick, randomInt, seededRandom } from '../../core/random.ts';
import { lookupKind } from '../../core/registry.ts';

const dir = new URL('../kubectl/seed-manifests/', import.meta.url).pathname;
const seeds = readdirSync(dir)
  .filter((f) => /\.ya?ml$/.test(f))
  .flatMap((f) => parseAllDocuments(readFileSync(dir + f, 'utf8')).map((d) => d.toJS() as KObject))
  .filter(Boolean);

const rng = seededRandom('admission-fuzz');

function randomValue(depth = 0): unknown {
  switch (randomInt(rng, depth > 3 ? 6 : 8)) {
    case 0: return 'x';
    case 1: return randomInt(rng, 70000) - 100;
    case 2: return rng() < 0.5;
    case 3: return null;
    case 4: return 'Ω'.repeat(randomInt(rng, 300000));
    case 5: return 1.5;
    case 6: return [randomValue(depth + 1)];
    default: return { [pick(rng, ['name', 'spec', 'x', 'containers', 'ports'])]: randomValue(depth + 1) };
  }
}

/** Every (parent, key) pair of a JSON tree, so one of them can be replaced. */
function slots(v: unknown, out: [Record<string, unknown> | unknown[], string | number][] = []) {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([v, i]), slots(x, out)));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) out.push([v as Record<string, unknown>, k]), slots(x, out);
  return out;
}

const CASES = 3000;
let admitted = 0;
let rejected = 0;
for (let i = 0; i < CASES; i++) {
  const obj = structuredClone(pick(rng, seeds));
  const info = lookupKind(obj.apiVersion, obj.kind)!;
  obj.metadata = { ...obj.metadata, uid: 'u', ...(info.scope === 'Namespaced' ? { namespace: 'default' } : {}) };
  const [parent, key] = pick(rng, slots(obj));
  (parent as Record<string | number, unknown>)[key] = randomValue();
  try {
    admit({ op: rng() < 0.5 ? 'create' : 'update', res: info.res, object: obj, old: structuredClone(obj) });
    admitted++;
  } catch (e) {
    if (!isStatusError(e) || e.status.code < 400 || e.status.code >= 500) {
      t.fail(`case ${i}: ${String(e)} for ${JSON.stringify(obj).slice(0, 300)}`);
      break;
    }
    rejected++;
  }
}
t.equal(admitted + rejected, CASES, `${CASES} mutated objects: ${admitted} admitted, ${rejected} rejected with a 4xx`);
