// Test fixture: the API server over an in-memory store on a virtual clock, driven by fastify.inject.

import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { VirtualClock } from '../../core/clock.ts';
import type { Store } from '../../store/store.ts';
import { openStore } from '../../store/index.ts';
import { ensureSystemNamespaces } from '../../api/bootstrap.ts';
import { buildServer } from '../../api/server.ts';

export interface Fixture {
  app: FastifyInstance;
  store: Store;
  clock: VirtualClock;
  /** inject with a JSON body (objects are serialized, Content-Type defaults to application/json). */
  req(method: InjectOptions['method'], url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
}

export async function apiFixture(t: { teardown(fn: () => unknown): void }): Promise<Fixture> {
  const clock = new VirtualClock(Date.UTC(2026, 0, 1));
  const store = await openStore({ clock });
  await ensureSystemNamespaces(store);
  const app = buildServer({ store, clock });
  t.teardown(async () => {
    await app.close();
    await store.close();
  });
  return {
    app,
    store,
    clock,
    req: (method, url, body, headers = {}) =>
      app.inject({
        method,
        url,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
}

export const configMap = (name: string, data: Record<string, string> = {}, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: labels ? { name, labels } : { name },
  data,
});
