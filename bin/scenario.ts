// `rewind scenario run FILE [--trace OUT]`: run a scenario in virtual time (replays/scenario.ts); print
// the timeline and each expectation held or failed; exit 1 if any failed. The last line is the
// sha256 digest of the resulting log, so two runs can be compared.

import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { runScenario } from '../replays/scenario.ts';
import { parseScenario, ScenarioError } from '../replays/scenario-file.ts';
import { ClientError, runCommand } from './client.ts';

export function run(argv: string[]): Promise<number> {
  const cmd = new Command('rewind scenario')
    .description('run a scenario file in virtual time')
    .argument('<action>', 'run')
    .argument('<FILE>', 'a scenario (YAML; see replays/scenarios/README.md)')
    .option('--trace <file>', 'also write the resulting log as a trace (for rewind replay)')
    .parse(argv, { from: 'user' });
  const flags = cmd.opts<{ trace?: string }>();
  return runCommand(async () => {
    const [action, file] = cmd.args;
    if (action !== 'run') throw new ClientError(`unknown action "${action}": use rewind scenario run FILE`);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new ClientError(`cannot read ${file}: ${(err as Error).message}`);
    }
    try {
      const result = await runScenario(parseScenario(text), { trace: flags.trace });
      for (const line of result.timeline) console.log(line);
      console.log(`digest sha256:${result.digest}`);
      return result.ok ? 0 : 1;
    } catch (err) {
      if (err instanceof ScenarioError) throw new ClientError(`${file}: ${err.message}`);
      throw err;
    }
  });
}
