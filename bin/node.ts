// `rewind node stop|start <name>`: stop or restart a simulated node's kubelet. The fault is a change
// on the Node itself — the annotation sim.rewind.dev/kubelet=stopped, set or removed with a merge
// patch through the API — so it is an event in the log like any other write and a replay reproduces
// it. What follows is the cluster's doing (docs/SIMULATION.md): the kubelet stops reporting, after
// the grace period the node goes NotReady with the unreachable taints, and its pods are evicted
// after their toleration. The server is found as kubectl finds it (--server, --kubeconfig, $KUBECONFIG).

import { Command } from 'commander';
import { KUBELET_ANNOTATION, STOPPED } from '../controllers/nodes/liveness.ts';
import { ClientError, RewindClient, runCommand, withClusterFlags, type ClusterFlags } from './client.ts';

const ACTIONS: Record<string, { value: string | null; done: string }> = {
  stop: { value: STOPPED, done: 'kubelet stopped' },
  start: { value: null, done: 'kubelet started' },
};

export function run(argv: string[]): Promise<number> {
  const cmd = withClusterFlags(new Command('rewind node'))
    .description("stop or start a simulated node's kubelet")
    .argument('<action>', 'stop or start')
    .argument('<name>', 'the node')
    .parse(argv, { from: 'user' });
  const [action, name] = cmd.args;
  const flags = cmd.opts<ClusterFlags>();
  return runCommand(async () => {
    const act = ACTIONS[action];
    if (!act) throw new ClientError(`unknown action "${action}": use stop or start`);
    const client = RewindClient.fromFlags(flags);
    await client.mergePatch(`/api/v1/nodes/${encodeURIComponent(name)}`, { metadata: { annotations: { [KUBELET_ANNOTATION]: act.value } } });
    console.log(`node/${name} ${act.done}`);
  });
}
