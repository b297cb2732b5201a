// `rewind fork --at POINT --data DIR2 [--from DIR] [--quiet]`: a new data directory whose history up
// to POINT is the original's (replays/fork.ts); serve it with `rewind serve --data DIR2` to go on
// from there. The original's server must be stopped (LevelDB allows one process per directory).

import { Command } from 'commander';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RealClock } from '../core/clock.ts';
import { parsePoint } from '../core/point.ts';
import { forkTimeline } from '../replays/fork.ts';
import { progressBar } from '../replays/progress.ts';
import { classicDb, openStore } from '../store/index.ts';
import { ClientError, runCommand } from './client.ts';

interface Flags {
  at: string;
  data: string;
  from: string;
  quiet?: boolean;
}

export function run(argv: string[]): Promise<number> {
  const flags = new Command('rewind fork')
    .description('start a new timeline: a data directory whose history up to POINT is the original one')
    .requiredOption('--at <point>', 'the fork point: a revision, an RFC 3339 time, -15m or now')
    .requiredOption('--data <dir>', 'the new data directory')
    .option('--from <dir>', 'the original data directory', '.rewind')
    .option('--quiet', 'no progress bar')
    .parse(argv, { from: 'user' })
    .opts<Flags>();
  return runCommand(async () => {
    const original = await openStore({ path: join(flags.from, 'log') });
    try {
      const point = parsePoint(flags.at, new RealClock().now());
      const rev = 'rev' in point ? point.rev : await original.revAtTime(point.time);
      if (rev > original.rev) throw new ClientError(`--at: revision ${rev} is in the future (the newest is ${original.rev})`);
      mkdirSync(flags.data, { recursive: true });
      await forkTimeline(original, rev, classicDb(join(flags.data, 'log')), progressBar('fork', flags.quiet ?? false));
      console.error(`forked ${flags.from} at rev ${rev} into ${flags.data}`);
    } finally {
      await original.close();
    }
  });
}
