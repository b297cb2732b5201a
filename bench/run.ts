// `npm run bench -- <name> [options]`: run the benchmark in bench/<name>.ts (its exported `run(argv)`).
// With --json a benchmark's last line of output is one JSON object.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [name, ...argv] = process.argv.slice(2);
if (!name || !/^[a-z][a-z0-9-]*$/.test(name) || name === 'run' || !existsSync(fileURLToPath(new URL(`./${name}.ts`, import.meta.url)))) {
  console.error(`usage: npm run bench -- <name> [--json]   (a file bench/<name>.ts)`);
  process.exitCode = 2;
} else {
  const mod = (await import(`./${name}.ts`)) as { run: (argv: string[]) => Promise<void> };
  await mod.run(argv);
}
