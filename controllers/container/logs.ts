// What a container prints under the simulation model, for `kubectl logs`.
//
// The container's argv is its command and args (over the image's defaults: image.ts) with $(VAR)
// references expanded against its environment, as the kubelet does before starting it (seed 001's startup-pod: ["/bin/sh", "-c",
// "echo First name $(FIRSTNAME) last name $(LASTNAME)", "wait"] runs `echo First name Nigel last name
// Poulton`). When that argv is a shell or a command of the simulated set (commands.ts) it is run and
// its stdout and stderr are the log. Otherwise the program is not simulated: the log holds the line
// the image's server prints at start when we know the image (whoami, kubia, nginx), else one line
// saying what started. Every line is stamped with the container's start time.

import { runArgv } from './commands.ts';
import { expandVars } from './expand.ts';
import { processArgv } from './image.ts';
import { containerOf } from './pod.ts';
import type { Sandbox } from './sandbox.ts';

export interface LogLine {
  /** Clock time (ms) the line was written. */
  time: number;
  text: string;
}

/** Programs whose output the simulation computes (everything else is a server it does not run). */
const SIMULATED = new Set(['sh', 'bash', 'ash', 'dash', 'echo', 'printenv', 'env', 'cat', 'ls', 'hostname', 'nslookup', 'curl', 'wget', 'true', 'false', 'sleep', 'dig']);

/** Start-up lines of well-known server images. */
function serverLines(image: string, port: number | undefined): string[] {
  if (image.includes('whoami')) return [`Starting up on port ${port ?? 80}`];
  if (image.includes('kubia')) return ['Kubia server starting...'];
  if (/(^|\/)nginx/.test(image)) {
    return [
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
    ];
  }
  return [];
}

/** The container's argv after $(VAR) expansion, over the image's defaults; [] when they are unknown. */
function containerArgv(box: Sandbox): string[] {
  const c = containerOf(box.pod, box.container);
  const expand = (s: string) => expandVars(s, (n) => box.env.get(n));
  return c ? processArgv({ image: c.image, command: c.command?.map(expand), args: c.args?.map(expand) }) : [];
}

/** The log of the container instance that started at `startedAt` (ms). */
export function containerLogs(box: Sandbox, startedAt: number): LogLine[] {
  const c = containerOf(box.pod, box.container);
  const argv = containerArgv(box);
  const program = argv[0]?.split('/').pop() ?? '';
  let text: string[];
  if (SIMULATED.has(program)) {
    const r = runArgv(argv, box);
    text = (r.stdout + r.stderr).split('\n');
    if (text.at(-1) === '') text.pop();
  } else {
    const image = (c?.image ?? '').toLowerCase();
    const known = serverLines(image, c?.ports?.[0]?.containerPort);
    text = known.length ? known : [`rewind: container "${box.container}" started ${argv.length ? argv.join(' ') : `the entrypoint of ${c?.image ?? 'its image'}`} (its own output is not simulated)`];
  }
  return text.map((t) => ({ time: startedAt, text: t }));
}
