// The simulation's knobs (docs/SIMULATION.md), read from ControllerOptions.kubelet — numbers in ms,
// bytes or counts, each optional. Defaults are what a real node shows for a small cached image;
// benchmarks set the latencies to zero.

import type { ControllerOptions } from '../runtime/types.ts';

export interface Simulation {
  /** Image pull, from the kubelet accepting a pod to "Pulled". */
  pullMs: number;
  /** Container create and start, from "Pulled" to Running. */
  startMs: number;
  /** How long a container takes to exit on SIGTERM (capped by the pod's grace period). */
  shutdownMs: number;
  /** How long a Job's pod runs when its template sets no sim.rewind.dev/exit-after. */
  jobRunMs: number;
  /** node-monitor-grace-period: a silent kubelet's node goes NotReady this long after its last heartbeat. */
  nodeGraceMs: number;
  /** Capacity of every registered node. */
  nodeCpuMillis: number;
  nodeMemoryBytes: number;
  nodePods: number;
}

export const DEFAULT_SIMULATION: Simulation = {
  pullMs: 1000,
  startMs: 500,
  shutdownMs: 1000,
  jobRunMs: 1000,
  nodeGraceMs: 40_000,
  nodeCpuMillis: 4000,
  nodeMemoryBytes: 16 * 2 ** 30,
  nodePods: 110,
};

export function simulation(opts: Pick<ControllerOptions, 'kubelet'>): Simulation {
  const given = Object.entries(opts.kubelet ?? {}).filter(([k, v]) => k in DEFAULT_SIMULATION && typeof v === 'number' && v >= 0);
  return { ...DEFAULT_SIMULATION, ...Object.fromEntries(given) };
}
