// The node half of the simulated kubelets (controller "kubelet-node", actor kind kubelet): one
// logical kubelet per Node. At start-up it registers node-1 … node-N (`rewind serve --nodes N`)
// with their Leases; for every node whose kubelet runs it posts a healthy status when the node does
// not show one (a new node from YAML, or a node coming back after `rewind node start`); when the
// kubelet is stopped it writes its last heartbeat into the Lease. Nothing is written while a node
// stays healthy — see liveness.ts for why that keeps the log lean yet replayable.
//
// A deleted Node is not re-registered until the next start-up, as a kubelet re-registers only when
// it restarts.

import { rfc3339Micro } from '../../core/clock.ts';
import type { Mutation } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { simulation, type Simulation } from '../kubelet/options.ts';
import type { Controller, ControllerFactory, ReconcileContext, ReconcileResult } from '../runtime/types.ts';
import { isKubeletStopped, KUBELET_ANNOTATION, STOPPED } from './liveness.ts';
import { isNodeReady, LEASE_NAMESPACE, LEASES, NODES } from './node.ts';
import { cidrIndex, lease, newNode, nodeName, nodeStatus, podCIDR } from './registration.ts';

export function reconcileNodeAgent(name: string, { view, now }: ReconcileContext, sim: Simulation, registered: number): ReconcileResult {
  const node = view.get(NODES, '', name);
  const held = view.get(LEASES, LEASE_NAMESPACE, name);
  if (!node) {
    const k = registeredIndex(name, registered);
    return { writes: k === undefined ? [] : [{ op: 'create', res: NODES, object: newNode(k, sim, now) }, leaseWrite(name, now, false)] };
  }
  const stopped = isKubeletStopped(node);
  const writes: Mutation[] = [];
  if (!stopped && !isNodeReady(node)) writes.push(postStatus(node, view, sim, now));
  if (!held || isKubeletStopped(held) !== stopped) writes.push(leaseWrite(name, now, stopped));
  return { writes };
}

/** k for "node-k" when 1 ≤ k ≤ the number of nodes `--nodes` registers. */
function registeredIndex(name: string, registered: number): number | undefined {
  const m = /^node-([1-9][0-9]*)$/.exec(name);
  const k = m ? Number(m[1]) : 0;
  return k >= 1 && k <= registered ? k : undefined;
}

/** The kubelet's status update; a node created without a podCIDR gets the lowest free one (the node IPAM controller's job). */
function postStatus(node: KObject, view: ReadView, sim: Simulation, now: number): Mutation {
  const spec = (node.spec ?? {}) as { podCIDR?: string };
  const k = cidrIndex(spec.podCIDR) ?? freeIndex(view);
  return {
    op: 'patch',
    res: NODES,
    ns: '',
    name: node.metadata.name!,
    apply: (cur) => {
      const curSpec = (cur.spec ?? {}) as Record<string, unknown>;
      const cidr = curSpec.podCIDR ? {} : { podCIDR: podCIDR(k), podCIDRs: [podCIDR(k)] };
      return { ...cur, spec: { ...curSpec, ...cidr }, status: nodeStatus(cur, k, sim, now) };
    },
  };
}

function freeIndex(view: ReadView): number {
  const used = new Set(view.list(NODES).items.map((n) => cidrIndex((n.spec as { podCIDR?: string } | undefined)?.podCIDR)));
  let k = 1;
  while (used.has(k)) k++;
  return k;
}

/** Renew the Lease at `now`, marking it stopped when this is the kubelet's last heartbeat. */
function leaseWrite(name: string, now: number, stopped: boolean): Mutation {
  const mark = (annotations: Record<string, string> = {}) => {
    const { [KUBELET_ANNOTATION]: _, ...rest } = annotations;
    return stopped ? { ...rest, [KUBELET_ANNOTATION]: STOPPED } : rest;
  };
  return {
    op: 'patch',
    res: LEASES,
    ns: LEASE_NAMESPACE,
    name,
    upsert: lease(name, now),
    apply: (cur) => ({
      ...cur,
      metadata: { ...cur.metadata, annotations: mark(cur.metadata.annotations) },
      spec: { ...(cur.spec as object), renewTime: rfc3339Micro(now) },
    }),
  };
}

export const nodeAgentController: ControllerFactory = (opts): Controller => {
  const sim = simulation(opts);
  const registered = opts.nodes ?? 0;
  return {
    name: 'kubelet-node',
    actorKind: 'kubelet',
    watches: [
      { res: NODES, keys: (e) => (e.type === 'DELETED' ? [] : [e.name]) },
      { res: LEASES, keys: (e) => (e.ns === LEASE_NAMESPACE ? [e.name] : []) },
    ],
    reconcile: (key, ctx) => reconcileNodeAgent(key, ctx, sim, registered),
    initialKeys: (view) => [...new Set([...Array.from({ length: registered }, (_, i) => nodeName(i + 1)), ...view.list(NODES).items.map((n) => n.metadata.name!)])],
  };
};
