// Subcommand dispatch. Each subcommand lives in bin/<name>.ts and exports `run(argv)`; this file
// only finds it, so adding a command never touches a shared list.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));

const USAGE = `Usage: rewind <command> [options]

Commands:
  serve       run the API server and controllers on an embedded LevelDB log
  at          run kubectl against the cluster as it was at a POINT (rev, RFC 3339 time, -15m, now)
  kubeconfig  write a kubeconfig that reads the cluster at a POINT
  history     every revision of one object, with actor, change type and a compact diff
  diff        objects created, deleted and changed between two POINTs
  why         the causal chain behind an object, back to the first user write
  log         the event log, one line per event (--follow)
  revert      write objects back as they were at a POINT (as new history)
  record      write a trace of a window of history (from a server or a data dir)
  import      turn a Kubernetes audit log (audit.k8s.io/v1, RequestResponse) into a trace
  replay      load a trace into a fresh data dir (recorded: exact reconstruction)
  scenario    run a scenario file in virtual time (scenario run FILE)
  fork        start a new timeline: a data dir whose history up to a POINT is the original's
  node        stop or start a simulated node's kubelet (rewind node stop node-2)
  load        set the simulated load a workload carries (rewind load deploy/web --cpu 80%)
  curl        an HTTP request through the simulated ingress controller (rewind curl http://host/path)

Run 'rewind <command> --help' for the options of one command.`;

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (!cmd || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (!/^[a-z][a-z-]*$/.test(cmd) || cmd === 'main' || !existsSync(join(here, `${cmd}.ts`))) {
    console.error(`rewind: unknown command "${cmd}"\n\n${USAGE}`);
    return 2;
  }
  const mod = (await import(`./${cmd}.ts`)) as { run: (argv: string[]) => Promise<number | void> };
  return (await mod.run(rest)) ?? 0;
}

// `rewind log | head`: the reader went away; stop quietly, as kubectl does on SIGPIPE.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code !== 'EPIPE') throw err;
  process.exit(0);
});

const code = await main(process.argv.slice(2));
if (code !== 0) process.exitCode = code;
