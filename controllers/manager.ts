// The controller manager (kube-controller-manager's role): builds the controllers of
// controllers/index.ts, keeps those `--controllers` enables, runs each on the shared runtime, and
// reports metrics and idleness for the whole set.
//
// `enabled` follows kube-controller-manager's --controllers syntax: "*" turns on every controller,
// "name" turns one on, "-name" turns one off, in any order; e.g. ["*", "-scheduler"] runs all but the
// scheduler so a user can bring their own. Entries may also be comma-joined ("*,-scheduler").

import { BehaviorSubject, filter, firstValueFrom, type Observable } from 'rxjs';
import type { Clock } from '../core/clock.ts';
import type { Store } from '../store/store.ts';
import { CONTROLLERS } from './index.ts';
import { metricsText } from './runtime/metrics.ts';
import { ControllerRunner, type RunnerOptions } from './runtime/run.ts';
import type { ControllerFactory, ControllerOptions } from './runtime/types.ts';

export interface ManagerOptions extends ControllerOptions, RunnerOptions {
  enabled?: string[];
  /** The controllers to choose from (default: controllers/index.ts). */
  factories?: ControllerFactory[];
}

export interface Manager {
  /** Names of the controllers running. */
  readonly controllers: string[];
  /** True when no key is queued and no reconcile or commit is in flight in any controller. */
  readonly idle$: Observable<boolean>;
  isIdle(): boolean;
  whenIdle(): Promise<void>;
  metricsText(): string;
  /** Reconciles so far, per controller. */
  reconciles(): Record<string, number>;
  stop(): Promise<void>;
}

/** kube-controller-manager's IsControllerEnabled. */
export function isEnabled(name: string, enabled: string[] = ['*']): boolean {
  const items = enabled.flatMap((e) => e.split(',')).map((e) => e.trim());
  if (items.includes(name)) return true;
  if (items.includes(`-${name}`)) return false;
  return items.includes('*');
}

export async function startControllers(store: Store, opts: ManagerOptions): Promise<Manager> {
  const idle = new BehaviorSubject(true);
  const runners: ControllerRunner[] = [];
  const activity = { changed: () => idle.next(runners.every((r) => r.busy === 0)) };
  const controllers = (opts.factories ?? CONTROLLERS).map((make) => make(opts)).filter((c) => isEnabled(c.name, opts.enabled));
  for (const c of controllers) runners.push(new ControllerRunner(store, opts.clock, c, activity, opts));
  for (const r of runners) r.start();
  activity.changed();
  const idle$ = idle.asObservable();
  return {
    controllers: controllers.map((c) => c.name),
    idle$,
    isIdle: () => idle.value,
    whenIdle: () => firstValueFrom(idle$.pipe(filter(Boolean))).then(() => undefined),
    metricsText: () => metricsText(runners.map((r) => r.metrics)),
    reconciles: () => Object.fromEntries(runners.map((r) => [r.controller.name, r.metrics.reconciles])),
    stop: async () => {
      await Promise.all(runners.map((r) => r.stop()));
    },
  };
}
