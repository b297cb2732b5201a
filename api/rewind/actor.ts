// How an actor reads in a sentence: "alice via kubectl", "replicaset controller", "scheduler".

import type { Actor } from '../../core/events.ts';

export function describeActor(a: Actor): string {
  if (a.kind === 'controller') return `${a.name} controller`;
  if (a.kind === 'user') {
    // kubectl's User-Agent is "kubectl/v1.32.0 (linux/amd64) kubernetes/abc": the program is the first word.
    const program = a.userAgent?.split('/')[0];
    return program ? `${a.name} via ${program}` : a.name;
  }
  return a.name === a.kind || a.name === '' ? a.kind : `${a.kind} ${a.name}`;
}
