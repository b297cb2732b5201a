// How long a container's own command runs (controllers/container/lifetime.ts), table-driven: each
// row is a container's command and args, and the run time and exit code the simulation gives it —
// or undefined, a program it cannot follow, which runs until stopped.
import t from 'tap';
import { commandLifetime, type Lifetime } from '../../../controllers/container/lifetime.ts';
import { behaviourOf } from '../../../controllers/kubelet/behaviour.ts';
import type { KObject } from '../../../core/object.ts';

const rows: [string, { command?: string[]; args?: string[]; stdin?: boolean }, Lifetime | undefined][] = [
  ['kubectl run -- echo hello (args only): ends at once', { args: ['echo', 'hello'] }, { ms: 0, exitCode: 0 }],
  ['false fails', { command: ['/bin/false'] }, { ms: 0, exitCode: 1 }],
  ['sleep 10', { command: ['sleep'], args: ['10'] }, { ms: 10_000, exitCode: 0 }],
  ['busybox sleep units and decimals add up', { command: ['sleep', '1m', '0.5s'] }, { ms: 60_500, exitCode: 0 }],
  ['sleep infinity never ends', { command: ['sleep', 'infinity'] }, undefined],
  ['sleep with a $(VAR) operand is not guessed', { command: ['sleep', '$(SECONDS)'] }, undefined],
  ['sh -c: the list runs in order', { command: ['sh', '-c', 'echo start; sleep 1m 30 && false'] }, { ms: 90_000, exitCode: 1 }],
  ['sh -c: || skips after success, exit stops', { command: ['/bin/sh', '-c', 'true || sleep 60; exit 3; sleep 5'] }, { ms: 0, exitCode: 3 }],
  ['sh -c: && skips after failure', { command: ['sh', '-c', 'false && sleep 60'] }, { ms: 0, exitCode: 1 }],
  ['echo with $(VAR)s still ends (seed 001 startup-pod)', { command: ['/bin/sh', '-c', 'echo First name $(FIRSTNAME) last name $(LASTNAME)', 'wait'] }, { ms: 0, exitCode: 0 }],
  ['a while loop is not simulated: runs on', { command: ['sh', '-c', 'while true; do echo hi; sleep 5; done'] }, undefined],
  ['an unknown program runs on', { command: ['sh', '-c', 'echo hi; nginx -g "daemon off;"'] }, undefined],
  ['a program named by an expansion runs on', { command: ['sh', '-c', '$CMD'] }, undefined],
  ['an unterminated quote is sh\'s syntax error: not guessed', { command: ['sh', '-c', 'echo "hi'] }, undefined],
  ['the image entrypoint (no command, no args) runs on', {}, undefined],
  ['a bare shell without stdin meets end of input at once', { args: ['sh'] }, { ms: 0, exitCode: 0 }],
  ['a bare shell with stdin open (kubectl run -i) waits for it', { command: ['/bin/sh'], stdin: true }, undefined],
  ['args to an entrypoint image run on', { args: ['-g', 'daemon off;'] }, undefined],
];

for (const [name, container, want] of rows) {
  t.same(commandLifetime(container), want, name);
}

const pod = (containers: { command?: string[] }[], annotations: Record<string, string> = {}): KObject =>
  ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations }, spec: { containers } }) as unknown as KObject;

t.test('a pod ends with its last container; annotations still win', async (t) => {
  const b = behaviourOf(pod([{ command: ['sleep', '5'] }, { command: ['sh', '-c', 'exit 2'] }]), 1000);
  t.match(b, { runMs: 5000, exitCode: 0, ending: 'exit' }, 'the longest run decides');
  t.match(behaviourOf(pod([{ command: ['sleep', '5'] }, { command: ['sh', '-c', 'sleep 5; exit 2'] }]), 1000), { runMs: 5000, exitCode: 2 }, 'a failure wins a tie');
  t.equal(behaviourOf(pod([{ command: ['sleep', '5'] }, {}]), 1000).runMs, Infinity, 'one server container keeps the pod running');
  t.match(behaviourOf(pod([{ command: ['echo', 'hi'] }], { 'sim.rewind.dev/exit-after': '30s', 'sim.rewind.dev/exit-code': '4' }), 1000), { runMs: 30_000, exitCode: 4 });
});
