// The API server as `rewind serve` builds it (admission, system
// namespaces, default roles), over an in-memory store on a virtual clock, for in-process tests.

import type { FastifyInstance } from 'fastify';
import { ensureDefaultRoles } from '../../api/auth/default-roles.ts';
import { ensureSystemNamespaces } from '../../api/bootstrap.ts';
import { buildServer, type ServerOptions } from '../../api/server.ts';
import { admit } from '../../core/admission.ts';
import { VirtualClock } from '../../core/clock.ts';
import { openStore } from '../../store/index.ts';
import type { Store } from '../../store/store.ts';

export interface Served {
  app: FastifyInstance;
  store: Store;
  clock: VirtualClock;
}

export async function served(t: { teardown(fn: () => unknown): void }, opts: Partial<ServerOptions> = {}): Promise<Served> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store: Store = await openStore({ clock, admit });
  await ensureSystemNamespaces(store);
  await ensureDefaultRoles(store);
  const app = buildServer({ store, clock, ...opts });
  t.teardown(async () => {
    await app.close();
    await store.close();
  });
  return { app, store, clock };
}
