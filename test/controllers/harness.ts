// Integration harness: the real store (memory backend) + the controller runtime + a virtual clock.

import { VirtualClock } from '../../core/clock.ts';
import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { CONTROLLERS } from '../../controllers/index.ts';
import { startControllers, type Manager } from '../../controllers/manager.ts';
import { runUntilSettled } from '../../controllers/runtime/settle.ts';
import type { Controller, ControllerFactory } from '../../controllers/runtime/types.ts';
import { openStore, type Store } from '../../store/index.ts';
import { fakeKubelet } from './fake-kubelet.ts';

export interface Cluster {
  clock: VirtualClock;
  store: Store;
  manager: Manager;
  /** Commit as user "alice" and run the controllers until nothing is left to do. */
  apply(...writes: Mutation[]): Promise<void>;
  settle(maxVirtualMs?: number): Promise<void>;
  get<T = KObject>(res: string, name: string, ns?: string): T;
  list(res: string, ns?: string): KObject[];
  stop(): Promise<void>;
}

export async function cluster(opts: { kubelet?: boolean; extra?: Controller[] } = {}): Promise<Cluster> {
  const clock = new VirtualClock();
  const store = await openStore({ clock, sync: 'none' });
  const factories: ControllerFactory[] = [...CONTROLLERS, ...(opts.kubelet === false ? [] : [fakeKubelet]), ...(opts.extra ?? []).map((c) => () => c)];
  const errors: unknown[] = [];
  // The fake kubelet stands in for the simulation, so the real scheduler, kubelet and node controllers stay off.
  const enabled = ['*', '-scheduler', '-kubelet', '-kubelet-node', '-nodelifecycle'];
  const manager = await startControllers(store, { clock, factories, enabled, onError: (_c, _k, e) => errors.push(e) });
  const settle = async (maxVirtualMs = 600_000) => {
    await runUntilSettled(manager, clock, { maxVirtualMs });
  };
  return {
    clock,
    store,
    manager,
    settle,
    async apply(...writes) {
      await store.commit(writes, { actor: { kind: 'user', name: 'alice' } });
      await settle();
    },
    get: <T>(res: string, name: string, ns = 'default') => store.get(res, ns, name) as T,
    list: (res, ns = 'default') => store.list(res, { namespace: ns }).items,
    async stop() {
      await manager.stop();
      await store.close();
    },
  };
}
