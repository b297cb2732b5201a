// Mechanical checks of two architecture rules (DESIGN.md): dependencies point one way
// (core ← store ← controllers ← api ← bin; replays and bench may use all of those, and bin, the
// command line, may call replays too), and nothing outside the
// clock and randomness modules reads wall time, randomness or sets bare timers.
import t from 'tap';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const LAYERS = ['core', 'store', 'controllers', 'api', 'bin'];

function files(dir: string): string[] {
  const out: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const n of names) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|mts|js|mjs)$/.test(n)) out.push(p);
  }
  return out;
}

function imports(src: string): string[] {
  const re = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
  const out: string[] = [];
  for (const m of src.matchAll(re)) out.push(m[1] ?? m[2]);
  return out;
}

t.test('dependencies point one way', async (t) => {
  const bad: string[] = [];
  for (const layer of LAYERS) {
    const allowed = new Set(LAYERS.slice(0, LAYERS.indexOf(layer) + 1));
    if (layer === 'bin') allowed.add('replays');
    for (const f of files(join(root, layer))) {
      for (const spec of imports(readFileSync(f, 'utf8'))) {
        if (!spec.startsWith('.')) continue;
        const target = relative(root, join(f, '..', spec)).split('/')[0];
        if ([...LAYERS, 'replays', 'bench'].includes(target) && !allowed.has(target)) {
          bad.push(`${relative(root, f)} imports ${spec}`);
        }
      }
    }
  }
  t.same(bad, [], 'no import from a later layer');
});

t.test('time and randomness only through core/clock and core/random', async (t) => {
  const bad: string[] = [];
  const re = /Date\.now\(|new Date\(\)|Math\.random\(|\bsetTimeout\(|\bsetInterval\(/;
  for (const dir of ['core', 'store', 'controllers', 'api', 'replays']) {
    for (const f of files(join(root, dir))) {
      const rel = relative(root, f);
      if (/^core\/(clock|random)\.ts$/.test(rel)) continue;
      readFileSync(f, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (re.test(line) && !line.includes('clock-exempt:')) bad.push(`${rel}:${i + 1}: ${line.trim()}`);
        });
    }
  }
  t.same(bad, [], 'every time read or timer goes through the clock');
});
