// `rewind load deploy/web --cpu 80% [--memory 200Mi] [-n NS]`: set the simulated load a workload
// carries (controllers/hpa/usage.ts, docs/SIMULATION.md "Load and metrics"). The load is written as
// annotations on the workload (sim.rewind.dev/load-cpu, sim.rewind.dev/load-memory) with a merge
// patch through the API, so it is an event in the log and a replay reproduces it; its pods share it
// evenly, which is what `kubectl top pod` shows and what the HPA scales on.
//
// A percentage is of the workload's current total request: deploy/web with 2 replicas requesting
// 200m each and `--cpu 80%` carries 320m (160m per pod now; 80m each if it scales to 4). An absolute
// quantity (`--cpu 500m`) is the total as given; `--cpu 0` removes the load (the pods idle).

import { Command } from 'commander';
import { parseQuantity } from '../core/quantity.ts';
import type { KObject } from '../core/object.ts';
import type { ResourceInfo } from '../core/registry.ts';
import { ANN_LOAD_CPU, ANN_LOAD_MEMORY, type ResourceName } from '../controllers/hpa/usage.ts';
import { formatUsage } from '../controllers/hpa/metrics.ts';
import { ClientError, parseTypeName, RewindClient, runCommand, withClusterFlags, type ClusterFlags } from './client.ts';

const SCALABLE = ['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController', 'DaemonSet'];

interface LoadFlags extends ClusterFlags {
  cpu?: string;
  memory?: string;
  namespace?: string;
}

function objectPath(info: ResourceInfo, ns: string, name: string): string {
  const base = info.group ? `/apis/${info.group}/${info.versions[0]}` : `/api/${info.versions[0]}`;
  return `${base}/namespaces/${encodeURIComponent(ns)}/${info.plural}/${encodeURIComponent(name)}`;
}

/** The workload's total request of `resource`: its pod template's containers × its replicas. */
function totalRequest(workload: KObject, resource: ResourceName): number {
  const spec = workload.spec as { replicas?: number; template?: { spec?: { containers?: { resources?: { requests?: Record<string, unknown> } }[] } } };
  const perPod = (spec.template?.spec?.containers ?? []).reduce((sum, c) => sum + (parseQuantity(c.resources?.requests?.[resource]) ?? 0), 0);
  return perPod * (spec.replicas ?? 1);
}

/** The annotation value for a flag: null removes the load; percentages need requests to be set. */
function loadValue(flag: string, workload: KObject, resource: ResourceName): string | null {
  const percent = /^(\d+(?:\.\d+)?)%$/.exec(flag);
  if (percent) {
    const requested = totalRequest(workload, resource);
    if (requested === 0) throw new ClientError(`error: --${resource} ${flag}: the pods of ${workload.kind} ${workload.metadata.name} request no ${resource}; give an absolute quantity instead`);
    const total = (requested * Number(percent[1])) / 100;
    return total === 0 ? null : formatUsage(resource, total);
  }
  const quantity = parseQuantity(flag);
  if (quantity === undefined || quantity < 0) throw new ClientError(`error: --${resource} ${flag}: expected a percentage (80%) or a quantity (${resource === 'cpu' ? '500m' : '256Mi'})`);
  return quantity === 0 ? null : flag;
}

export function run(argv: string[]): Promise<number> {
  const cmd = withClusterFlags(new Command('rewind load'))
    .description('set the simulated CPU and memory load a workload carries, shared by its pods')
    .argument('<type/name>', 'the workload, e.g. deploy/web')
    .option('--cpu <load>', 'total CPU: a percentage of the current total request (80%) or a quantity (500m)')
    .option('--memory <load>', 'total memory: a percentage of the current total request or a quantity (200Mi)')
    .option('-n, --namespace <ns>', "namespace (default: the context's, else default)")
    .parse(argv, { from: 'user' });
  const flags = cmd.opts<LoadFlags>();
  return runCommand(async () => {
    const { info, name } = parseTypeName(cmd.args[0]);
    if (!name || !SCALABLE.includes(info.kind)) throw new ClientError(`error: expected a workload such as deploy/NAME, got "${cmd.args[0]}"`);
    if (flags.cpu === undefined && flags.memory === undefined) throw new ClientError('error: give --cpu, --memory or both');
    const client = RewindClient.fromFlags(flags);
    const path = objectPath(info, client.namespace(flags.namespace), name);
    const workload = await client.get<KObject>(path);
    const annotations: Record<string, string | null> = {};
    if (flags.cpu !== undefined) annotations[ANN_LOAD_CPU] = loadValue(flags.cpu, workload, 'cpu');
    if (flags.memory !== undefined) annotations[ANN_LOAD_MEMORY] = loadValue(flags.memory, workload, 'memory');
    await client.mergePatch(path, { metadata: { annotations } });
    const shown = Object.entries(annotations).map(([k, v]) => `${k.replace('sim.rewind.dev/load-', '')} ${v ?? 'idle'}`);
    console.log(`${info.kind.toLowerCase()}.${info.group || 'core'}/${name} load: ${shown.join(', ')}`);
  });
}
