// The behaviour model of a simulated container (docs/SIMULATION.md), read from the pod's
// annotations (set them on a template and every pod of the workload behaves alike). Everything a
// container "does" is a function of these and of the moment the kubelet accepted the pod, so a
// replay reproduces it exactly — there is no chance in the simulation.
//
//   sim.rewind.dev/crash-after: 30s              exits with code 1 after running 30 s (restarted per restartPolicy)
//   sim.rewind.dev/liveness: fail-after=20s      its liveness probe fails after 20 s: killed (137) and restarted
//   sim.rewind.dev/readiness: fail               never Ready
//   sim.rewind.dev/readiness: fail-after=1m      Ready, then not Ready once it has run 1 m
//   sim.rewind.dev/readiness: pass-after=10s     Ready only once it has run 10 s
//   sim.rewind.dev/exit-after: 5s                exits after 5 s with sim.rewind.dev/exit-code (default 0)
// Durations are Go durations ("1m30s", "500ms"). Without exit-after, a pod whose every container runs
// a command the simulation can follow to its end (container/lifetime.ts: `echo hi`, `sleep 10`,
// `sh -c "…; exit 3"`) exits when the longest does; else a Job's pod completes after the simulation's
// jobRunMs (1 s by default), and any other runs until stopped.

import type { KObject } from '../../core/object.ts';
import { commandLifetime, type CommandedContainer, type Lifetime } from '../container/lifetime.ts';

export const SIM = 'sim.rewind.dev/';

export interface Readiness {
  /** Ready from this long after the container starts (Infinity: never). */
  from: number;
  /** Not ready again from this long after it starts (Infinity: stays ready). */
  until: number;
}

export interface Behaviour {
  /** How long each container run lasts before it exits (Infinity: runs until stopped). */
  runMs: number;
  /** Its exit code. */
  exitCode: number;
  /** Why it ends: the program exits (crash-after, exit-after) or the kubelet kills it (liveness). */
  ending: 'exit' | 'liveness';
  readiness: Readiness;
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration in ms ("1m30s" → 90000); undefined when it does not parse. */
export function parseDuration(text: string | undefined): number | undefined {
  const s = text?.trim() ?? '';
  if (s === '0') return 0;
  const parts = [...s.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== s) return undefined;
  return parts.reduce((ms, p) => ms + Number(p[1]) * UNITS[p[2]], 0);
}

/** "fail-after=20s" → 20000 for key "fail-after". */
function option(value: string | undefined, key: string): number | undefined {
  const m = new RegExp(`(?:^|,)\\s*${key}=([^,]+)`).exec(value ?? '');
  return m ? parseDuration(m[1]) : undefined;
}

interface ProbedContainer {
  readinessProbe?: { initialDelaySeconds?: number };
}

/** The pod's behaviour; `jobRunMs` applies to a pod owned by a Job that sets no exit-after. */
export function behaviourOf(pod: KObject, jobRunMs: number): Behaviour {
  const a = pod.metadata.annotations ?? {};
  const crash = parseDuration(a[`${SIM}crash-after`]);
  const liveness = option(a[`${SIM}liveness`], 'fail-after');
  const isJob = pod.metadata.ownerReferences?.some((r) => r.kind === 'Job' && r.controller) ?? false;
  const annotated = parseDuration(a[`${SIM}exit-after`]);
  const own = annotated === undefined ? podLifetime(pod) : undefined;
  const exit = annotated ?? own?.ms ?? (isJob ? jobRunMs : undefined);
  const exitCode = own?.exitCode ?? (Number.parseInt(a[`${SIM}exit-code`] ?? '0', 10) || 0);
  const endings: [number, number, Behaviour['ending']][] = [
    [exit ?? Infinity, exitCode, 'exit'],
    [crash ?? Infinity, 1, 'exit'],
    [liveness ?? Infinity, 137, 'liveness'],
  ];
  const [runMs, code, ending] = endings.reduce((best, e) => (e[0] < best[0] ? e : best));
  return { runMs, exitCode: code, ending, readiness: readinessOf(pod, a[`${SIM}readiness`]) };
}

/** When every container's command ends on its own: the last to end, and its code (a failure wins a tie). */
function podLifetime(pod: KObject): Lifetime | undefined {
  const containers = ((pod.spec as { containers?: CommandedContainer[] } | undefined)?.containers ?? []);
  const lifetimes = containers.map(commandLifetime);
  if (lifetimes.length === 0 || lifetimes.some((l) => l === undefined)) return undefined;
  return (lifetimes as Lifetime[]).reduce((last, l) => (l.ms > last.ms || (l.ms === last.ms && l.exitCode !== 0) ? l : last));
}

/** readinessProbe.initialDelaySeconds delays Ready (the first probe runs then); the annotation shapes the rest. */
function readinessOf(pod: KObject, value: string | undefined): Readiness {
  const containers = ((pod.spec as { containers?: ProbedContainer[] } | undefined)?.containers ?? []);
  const delay = Math.max(0, ...containers.map((c) => (c.readinessProbe ? (c.readinessProbe.initialDelaySeconds ?? 0) * 1000 : 0)));
  if (value?.trim() === 'fail') return { from: Infinity, until: Infinity };
  const pass = option(value, 'pass-after');
  return { from: Math.max(delay, pass ?? 0), until: option(value, 'fail-after') ?? Infinity };
}
