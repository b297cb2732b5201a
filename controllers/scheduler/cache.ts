// The scheduler's view of the cluster (kube-scheduler's NodeInfo cache, pkg/scheduler/backend/cache):
// every node with the sum of what its bound pods request, the host ports they hold and how many pods
// of each controller it runs. The scheduler controller keeps one cache for its lifetime and brings it
// up to date from each pod and node event (`observe`), so a scheduling pass costs the pods it places,
// not every pod of the cluster; `snapshot(view)` builds a fresh one for a single reconcile (tests).
//
// Like kube-scheduler's cache it holds assumed pods: a decision counts its pod on the chosen node at
// once ("AssumePod"), before the binding's commit comes back as an event that confirms it. A binding
// whose commit failed never comes back; at the start of each pass an assumed pod the view no longer
// shows on that node is forgotten ("ForgetPod"). So at every pass the cache holds exactly what
// summing the view's pods would give: committed pods from events, plus the in-flight bindings the
// view lays over them.

import type { Event } from '../../core/events.ts';
import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { NODES, type Resources } from '../nodes/node.ts';
import { controllerOf, PODS, podPhase, podSpec } from '../runtime/pods.ts';
import { objectKey, splitKey } from '../runtime/types.ts';
import { hostPortsOf, podRequests, type NodeInfo } from './filters.ts';

export interface Snapshot {
  /** Every node, by name. */
  readonly nodes: NodeInfo[];
  /** Pods of the controller with this uid per node name (nodes without any are absent), for spreading a controller's pods. */
  ownedBy(ownerUid: string): ReadonlyMap<string, number>;
  /** Count `pod` as bound to `info`'s node (kube-scheduler's "assume"), so the next decision sees it. */
  assume(pod: KObject, info: NodeInfo): void;
}

/** What the pods bound to one node name take (kept for names with no Node object too: it may come). */
interface Usage {
  requested: Resources;
  nonZeroRequested: Resources;
  hostPorts: Set<string>;
  /** Pods holding each host port (two pods may name one when bound by hand). */
  portHolders: Map<string, number>;
}

/** One pod counted on a node. */
interface Placed {
  node: string;
  /** The latest version of the pod; its requests, ports and controller are what is counted. */
  pod: KObject;
}

export class NodeInfoCache implements Snapshot {
  private readonly nodeObjects = new Map<string, KObject>();
  private readonly usage = new Map<string, Usage>();
  private readonly placed = new Map<string, Placed>();
  /** Keys of the placed pods that only a decision counts so far (the in-flight bindings). */
  private readonly assumed = new Set<string>();
  /** Owner uid → node name → pods. */
  private readonly owned = new Map<string, Map<string, number>>();
  private sortedNodes: NodeInfo[] | undefined;
  /** The revision the cache was filled at; undefined until then (events before it are in the fill). */
  private filledAt: number | undefined;

  /** A cache of exactly the view's nodes and bound pods. */
  static of(view: ReadView): NodeInfoCache {
    const cache = new NodeInfoCache();
    cache.fill(view);
    return cache;
  }

  get filled(): boolean {
    return this.filledAt !== undefined;
  }

  /** Start from the view's nodes and pods; later events (observe) keep it current. */
  fill(view: ReadView): void {
    for (const node of view.list(NODES).items) this.setNode(node.metadata.name!, node);
    for (const pod of view.list(PODS).items) this.setPod(pod);
    this.filledAt = view.rev;
  }

  /** Apply one committed event of a pod or node (others are ignored, as are events the fill already holds). */
  observe(e: Event): void {
    if (this.filledAt === undefined || e.rev <= this.filledAt) return;
    if (e.res === NODES) this.setNode(e.name, e.type === 'DELETED' ? undefined : e.object);
    else if (e.res === PODS) {
      if (e.type === 'DELETED') this.unplace(objectKey(e.ns, e.name));
      else this.setPod(e.object);
    }
  }

  /**
   * Forget assumed pods the view does not show on their node any more (a binding whose commit
   * failed, or a pod deleted meanwhile), as kube-scheduler forgets a pod whose binding failed.
   */
  forgetStale(view: ReadView): void {
    for (const key of [...this.assumed]) {
      const p = this.placed.get(key)!;
      const { ns, name } = splitKey(key);
      const current = view.get(PODS, ns, name);
      if (current && podSpec(current).nodeName === p.node) continue;
      this.unplace(key);
      if (current) this.setPod(current);
    }
  }

  get nodes(): NodeInfo[] {
    if (!this.sortedNodes) {
      const names = [...this.nodeObjects.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      this.sortedNodes = names.map((name) => {
        const u = this.usageOf(name);
        return { node: this.nodeObjects.get(name)!, requested: u.requested, nonZeroRequested: u.nonZeroRequested, hostPorts: u.hostPorts };
      });
    }
    return this.sortedNodes;
  }

  ownedBy(ownerUid: string): ReadonlyMap<string, number> {
    return this.owned.get(ownerUid) ?? NONE_OWNED;
  }

  assume(pod: KObject, info: NodeInfo): void {
    this.place(pod, info.node.metadata.name!, true);
  }

  private setNode(name: string, node: KObject | undefined): void {
    if (node) this.nodeObjects.set(name, node);
    else this.nodeObjects.delete(name);
    this.sortedNodes = undefined;
  }

  /** Count the pod where the object says it is bound, if it holds resources there. */
  private setPod(pod: KObject): void {
    const key = objectKey(pod.metadata.namespace ?? '', pod.metadata.name!);
    const node = podSpec(pod).nodeName;
    const holds = node !== undefined && node !== '' && holdsResources(pod);
    const current = this.placed.get(key);
    if (holds && current && !this.assumed.has(key) && sameCount(current.pod, pod, current.node, node)) {
      current.pod = pod;
      return;
    }
    this.unplace(key);
    if (holds) this.place(pod, node, false);
  }

  private place(pod: KObject, node: string, assumed: boolean): void {
    const key = objectKey(pod.metadata.namespace ?? '', pod.metadata.name!);
    this.unplace(key);
    this.placed.set(key, { node, pod });
    if (assumed) this.assumed.add(key);
    this.count(pod, node, +1);
  }

  private unplace(key: string): void {
    const p = this.placed.get(key);
    if (!p) return;
    this.placed.delete(key);
    this.assumed.delete(key);
    this.count(p.pod, p.node, -1);
  }

  /** Add (+1) or take away (-1) one pod's requests, host ports and controller count on a node. */
  private count(pod: KObject, node: string, sign: 1 | -1): void {
    const u = this.usageOf(node);
    add(u.requested, podRequests(pod), sign);
    add(u.nonZeroRequested, podRequests(pod, true), sign);
    for (const port of hostPortsOf(pod)) {
      const holders = (u.portHolders.get(port) ?? 0) + sign;
      if (holders > 0) u.portHolders.set(port, holders);
      else u.portHolders.delete(port);
      if (holders > 0) u.hostPorts.add(port);
      else u.hostPorts.delete(port);
    }
    const owner = controllerOf(pod)?.uid;
    if (!owner) return;
    let byNode = this.owned.get(owner);
    if (!byNode) this.owned.set(owner, (byNode = new Map()));
    const n = (byNode.get(node) ?? 0) + sign;
    if (n > 0) byNode.set(node, n);
    else byNode.delete(node);
    if (byNode.size === 0) this.owned.delete(owner);
  }

  private usageOf(node: string): Usage {
    let u = this.usage.get(node);
    if (!u) this.usage.set(node, (u = { requested: zero(), nonZeroRequested: zero(), hostPorts: new Set(), portHolders: new Map() }));
    return u;
  }
}

/** A fresh cache of the view, for one reconcile. */
export function snapshot(view: ReadView): Snapshot {
  return NodeInfoCache.of(view);
}

const zero = (): Resources => ({ cpu: 0, memory: 0, pods: 0 });
const NONE_OWNED: ReadonlyMap<string, number> = new Map();

function add(to: Resources, r: Resources, sign: 1 | -1): void {
  to.cpu += sign * r.cpu;
  to.memory += sign * r.memory;
  to.pods += sign * r.pods;
}

/**
 * Whether a new version of a placed pod counts the same: same node and controller, and the same
 * generation — the store moves it on any spec change, so requests and host ports are unchanged. Most
 * pod events are status updates, and summing a pod's requests again on each was most of the cache's cost.
 */
function sameCount(counted: KObject, pod: KObject, countedOn: string, node: string): boolean {
  const generation = pod.metadata.generation;
  return countedOn === node && generation !== undefined && generation === counted.metadata.generation && controllerOf(counted)?.uid === controllerOf(pod)?.uid;
}

/** A finished pod frees its node's resources; a terminating one still holds them. */
function holdsResources(pod: KObject): boolean {
  return podPhase(pod) !== 'Succeeded' && podPhase(pod) !== 'Failed';
}
