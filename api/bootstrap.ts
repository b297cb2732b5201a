// What a fresh cluster has before anyone writes: the four namespaces kube-apiserver creates on first
// start (its "system namespaces" controller). Idempotent: on a restart they already exist and nothing
// is written, so the log of a restarted server is the log it had.

import type { Actor, Mutation } from '../core/events.ts';
import type { Store } from '../store/store.ts';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

const SYSTEM: Actor = { kind: 'system', name: 'rewind-apiserver' };

export async function ensureSystemNamespaces(store: Store): Promise<void> {
  const missing: Mutation[] = SYSTEM_NAMESPACES.filter((name) => !store.get('v1/namespaces', '', name)).map((name) => ({
    op: 'create',
    res: 'v1/namespaces',
    object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } },
  }));
  if (missing.length > 0) await store.commit(missing, { actor: SYSTEM });
}
