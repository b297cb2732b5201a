// One simulated process environment inside a container: what a command run by `kubectl exec` (or
// the container's own command, for its logs) can see. Built from three cluster states, because
// Kubernetes exposes each at a different moment:
//   envView   the cluster when the container started (environment variables are fixed then),
//   filesView the cluster `sync delay` ago (mounted ConfigMaps and Secrets lag behind),
//   view      the cluster now (DNS answers and kube-proxy routes follow live state).
// Writes a command makes (wget's saved file, curl -o) stay in this sandbox and vanish with it.

import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { resolvConf, type ResolvConf } from './dns.ts';
import { containerEnv } from './env.ts';
import { containerFiles, type FileSystem } from './files.ts';
import { podHostname } from './pod.ts';

export interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

export interface Sandbox {
  pod: KObject;
  container: string;
  podIP: string;
  hostname: string;
  /** The exported environment, in `env` order. */
  env: Map<string, string>;
  fs: FileSystem;
  resolv: ResolvConf;
  view: ReadView;
  /** The number of this connection among all the caller has made (kube-proxy round-robin). */
  nextConnection(): number;
  /** Clock time (ms), for `ls -l` and `date`. */
  now: number;
}

export interface SandboxStates {
  envView: ReadView;
  filesView: ReadView;
  view: ReadView;
  now: number;
  nextConnection(): number;
}

export function sandboxFor(pod: KObject, container: string, s: SandboxStates): Sandbox {
  return {
    pod,
    container,
    podIP: (pod.status as { podIP?: string } | undefined)?.podIP ?? '',
    hostname: podHostname(pod),
    env: new Map(containerEnv(pod, container, s.envView).map((v) => [v.name, v.value])),
    fs: containerFiles(pod, container, s.filesView),
    resolv: resolvConf(pod, s.view),
    view: s.view,
    nextConnection: s.nextConnection,
    now: s.now,
  };
}
