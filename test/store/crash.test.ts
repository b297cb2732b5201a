// Crash test: a child process commits under concurrent load and is killed with SIGKILL at random
// (seeded) moments, again and again on the same LevelDB. After each kill the store must reopen with
// every acknowledged write present, revisions a gap-free prefix, and the view equal to the replay
// of the log — an acknowledged write survives `kill -9`, an unacknowledged one is all there or absent.
import t, { type Test } from 'tap';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomInt, seededRandom } from '../../core/random.ts';
import { openStore } from '../../store/index.ts';
import { collect, entries, replay, tempDir, viewState } from './fixtures.ts';

const KILLS = 20;
const RES = ['v1/pods', 'v1/configmaps', 'apps/v1/deployments'];
const child = new URL('./crash-child.ts', import.meta.url).pathname;
const rng = seededRandom('crash-test');

/** Run the child until it has acknowledged something and `delayMs` passed, then SIGKILL it. */
function runAndKill(dir: string, runId: number, delayMs: number): Promise<Array<[number, string]>> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dir, String(runId)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const acks: Array<[number, string]> = [];
    let tail = '';
    let armed = false;
    p.stdout.setEncoding('utf8');
    p.stdout.on('data', (chunk: string) => {
      const lines = (tail + chunk).split('\n');
      tail = lines.pop()!;
      for (const line of lines) {
        const [word, rev, key] = line.split(' ');
        if (word === 'ack') acks.push([Number(rev), key]);
      }
      if (!armed && acks.length > 0) {
        armed = true;
        setTimeout(() => p.kill('SIGKILL'), delayMs);
      }
    });
    p.on('error', reject);
    p.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve(acks) : reject(new Error(`child exited: ${code} ${signal}`))));
  });
}

/** One database killed `kills` times in a row; returns the events it ended with. */
async function chain(t: Test, name: string, kills: number): Promise<number> {
  const root = tempDir('rewind-crash-');
  const dir = join(root, 'db');
  let total = 0;
  for (let run = 1; run <= kills; run++) {
    const acks = await runAndKill(dir, run, 10 + randomInt(rng, 250));
    const s = await openStore({ path: dir, checkpointEvery: 50 });
    const log = await collect(s.read(0));
    const missing = acks.filter(([rev, key]) => {
      const e = log[rev - 1];
      return !e || e.rev !== rev || `${e.res}|${e.ns}|${e.name}` !== key;
    });
    t.same(missing, [], `${name} run ${run}: all ${acks.length} acknowledged events present`);
    t.same(log.map((e) => e.rev), Array.from({ length: s.rev }, (_, i) => i + 1), `${name} run ${run}: revisions 1..${s.rev}, no gap`);
    t.same(entries(viewState(s, RES)), entries(replay(log)), `${name} run ${run}: view = replay of the log`);
    t.ok(s.rev >= total, 'the log never shrinks');
    total = s.rev;
    // Every other run reopens without a clean close, so recovery also starts from a stale checkpoint.
    if (run % 2 === 0) await s.close();
    else await (s as unknown as { db: { close(): Promise<void> } }).db.close();
  }
  rmSync(root, { recursive: true, force: true });
  return total;
}

// Two databases side by side (the parent mostly waits on the children, so this halves the time).
t.test(`SIGKILL ${KILLS} times under load: acknowledged writes survive, the log stays whole`, async (t) => {
  const totals = await Promise.all([chain(t, 'db1', KILLS / 2), chain(t, 'db2', KILLS / 2)]);
  t.ok(Math.min(...totals) > KILLS * 5, `${totals.join(' + ')} events committed across ${KILLS} crashes`);
});
