// Integration harness for the simulation: the real store (memory backend) and controller runtime on
// a virtual clock, running the workload controllers with the real scheduler, kubelet and node
// controllers (not the fake kubelet of harness.ts) on `nodes` simulated nodes.

import { admit } from '../../core/admission.ts';
import { VirtualClock } from '../../core/clock.ts';
import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import { CONTROLLERS } from '../../controllers/index.ts';
import { kubeletController } from '../../controllers/kubelet/index.ts';
import { startControllers, type Manager } from '../../controllers/manager.ts';
import { nodeAgentController } from '../../controllers/nodes/agent.ts';
import { nodeLifecycleController } from '../../controllers/nodes/lifecycle.ts';
import { runUntilSettled, type SettleResult } from '../../controllers/runtime/settle.ts';
import type { ControllerFactory } from '../../controllers/runtime/types.ts';
import { schedulerController } from '../../controllers/scheduler/index.ts';
import { openStore, type Store } from '../../store/index.ts';

export const SIMULATION: ControllerFactory[] = [schedulerController, kubeletController, nodeAgentController, nodeLifecycleController];

export interface SimCluster {
  clock: VirtualClock;
  store: Store;
  manager: Manager;
  errors: unknown[];
  /** Commit as user "alice", then run until nothing is due within `settleMs` of virtual time. */
  apply(writes: Mutation[], settleMs?: number): Promise<void>;
  settle(maxVirtualMs: number, until?: () => boolean): Promise<SettleResult>;
  get(res: string, name: string, ns?: string): KObject | undefined;
  list(res: string, ns?: string): KObject[];
  stop(): Promise<void>;
}

export async function simCluster(opts: { nodes?: number; kubelet?: Record<string, number>; enabled?: string[] } = {}): Promise<SimCluster> {
  const clock = new VirtualClock();
  const store = await openStore({ clock, sync: 'none', admit });
  await store.commit(
    ['default', 'kube-system', 'kube-node-lease'].map((name) => ({ op: 'create', res: 'v1/namespaces', object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } })),
    { actor: { kind: 'system', name: 'test' } },
  );
  const errors: unknown[] = [];
  const factories = [...CONTROLLERS, ...SIMULATION.filter((f) => !CONTROLLERS.includes(f))];
  const manager = await startControllers(store, {
    clock,
    factories,
    nodes: opts.nodes ?? 3,
    kubelet: opts.kubelet ?? { pullMs: 1000, startMs: 500 },
    enabled: opts.enabled,
    onError: (_c, _k, e) => errors.push(e),
  });
  const settle = (maxVirtualMs: number, until?: () => boolean) => runUntilSettled(manager, clock, { maxVirtualMs, until });
  await settle(1000);
  return {
    clock,
    store,
    manager,
    errors,
    settle,
    async apply(writes, settleMs = 60_000) {
      await store.commit(writes, { actor: { kind: 'user', name: 'alice' } });
      await settle(settleMs);
    },
    get: (res, name, ns = 'default') => store.get(res, ns, name),
    list: (res, ns = 'default') => store.list(res, { namespace: ns }).items,
    async stop() {
      await manager.stop();
      await store.close();
    },
  };
}
