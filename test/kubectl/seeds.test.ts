// issue 3 acceptance: every manifest of the seed tutorials applies cleanly (restored copies in
// seed-manifests/, see its README).
import t from 'tap';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { startRewind } from './harness.ts';

const dir = fileURLToPath(new URL('./seed-manifests/', import.meta.url));
const rw = await startRewind(t);
await rw.kubectl('create', 'namespace', 'my-namespace');

for (const name of readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  t.test(name, async (t) => {
    const r = await rw.kubectl('apply', '-f', join(dir, name));
    t.equal(r.code, 0, r.stderr);
    t.equal(r.stderr, '', 'no warnings');
    t.match(r.stdout, /^\S+ created$/m);
  });
}
