// The scheduler's Filter plugins, in the order of kube-scheduler's default profile
// (pkg/scheduler/framework/plugins): NodeUnschedulable, TaintToleration, NodeAffinity (nodeSelector
// plus required node affinity), NodePorts, NodeResourcesFit — and, ahead of them, the old
// CheckNodeCondition predicate for a node that is not Ready yet carries no taint saying so.
//
// A node fails on the first plugin that rejects it (the framework stops there), and a plugin may
// give several reasons ("Insufficient cpu" and "Insufficient memory"). Each reason says whether
// preemption could help: NodeResourcesFit and NodePorts answer Unschedulable (evicting lower-priority
// pods might free room), the others UnschedulableAndUnresolvable.

import type { KObject } from '../../core/object.ts';
import { podAmount } from '../../core/pod-resources.ts';
import { parseQuantity } from '../../core/quantity.ts';
import { allocatable as allocatableOf, isNodeReady, isUnschedulable, type Resources } from '../nodes/node.ts';
import { taintsOf, taintText, tolerationsOf, untoleratedTaint, UNSCHEDULABLE } from '../nodes/taints.ts';

/** What the scheduler knows about one node: the node and what its bound pods already take. */
export interface NodeInfo {
  node: KObject;
  requested: Resources;
  /** Requests with the scoring defaults for containers that request nothing (see score.ts). */
  nonZeroRequested: Resources;
  /** "protocol/port" of every host port in use. */
  hostPorts: Set<string>;
}

export interface FilterFailure {
  reason: string;
  /** Whether preemption could make room (framework.Unschedulable vs UnschedulableAndUnresolvable). */
  resolvable: boolean;
}

interface Container {
  resources?: { requests?: Record<string, unknown> };
  ports?: { hostPort?: number; protocol?: string }[];
}

interface PodSchedulingSpec {
  containers?: Container[];
  initContainers?: Container[];
  nodeSelector?: Record<string, string>;
  affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms?: NodeSelectorTerm[] } } };
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

interface NodeSelectorTerm {
  matchExpressions?: NodeSelectorRequirement[];
  matchFields?: NodeSelectorRequirement[];
}

const specOf = (pod: KObject) => (pod.spec ?? {}) as PodSchedulingSpec;

/** Defaults kube-scheduler scores a container that requests nothing with (util.DefaultMilliCPURequest, DefaultMemoryRequest). */
export const DEFAULT_MILLI_CPU = 100;
export const DEFAULT_MEMORY = 200 * 1024 * 1024;

function containerRequests(c: Container, nonZero: boolean): Resources {
  const r = c.resources?.requests ?? {};
  const cpu = r.cpu === undefined ? undefined : Math.round((parseQuantity(r.cpu) ?? 0) * 1000);
  const memory = r.memory === undefined ? undefined : (parseQuantity(r.memory) ?? 0);
  return { cpu: cpu ?? (nonZero ? DEFAULT_MILLI_CPU : 0), memory: memory ?? (nonZero ? DEFAULT_MEMORY : 0), pods: 0 };
}

/**
 * resource.PodRequests (core/pod-resources.ts) of cpu (in millicores) and memory. `nonZero` fills
 * unset requests of the (non-init) containers with the scoring defaults.
 */
export function podRequests(pod: KObject, nonZero = false): Resources {
  const memo = nonZero ? NON_ZERO_REQUESTS : REQUESTS;
  let r = memo.get(pod);
  if (!r) memo.set(pod, (r = sumRequests(pod, nonZero)));
  return r;
}

/** Requests per pod object (objects from a view are immutable, so the sum never goes stale). */
const REQUESTS = new WeakMap<KObject, Resources>();
const NON_ZERO_REQUESTS = new WeakMap<KObject, Resources>();

function sumRequests(pod: KObject, nonZero: boolean): Resources {
  const of = (r: 'cpu' | 'memory') => podAmount(pod, (c) => containerRequests(c, nonZero)[r], (c) => containerRequests(c, false)[r]);
  return { cpu: of('cpu'), memory: of('memory'), pods: 1 };
}

/** "protocol/port" of every host port the pod asks for (per pod object, as the requests). */
export function hostPortsOf(pod: KObject): string[] {
  let ports = HOST_PORTS.get(pod);
  if (!ports) {
    ports = (specOf(pod).containers ?? []).flatMap((c) => (c.ports ?? []).filter((p) => (p.hostPort ?? 0) > 0).map((p) => `${p.protocol ?? 'TCP'}/${p.hostPort}`));
    HOST_PORTS.set(pod, ports);
  }
  return ports;
}

const HOST_PORTS = new WeakMap<KObject, string[]>();

type Filter = (pod: KObject, info: NodeInfo) => FilterFailure[];

/** A filter's "fits" (shared: never modified). */
const NONE: FilterFailure[] = [];

const fail = (reason: string, resolvable = false): FilterFailure[] => [{ reason, resolvable }];

const nodeReady: Filter = (_pod, { node }) => (isNodeReady(node) ? NONE : fail('node(s) were not ready'));

/** NodeUnschedulable: a cordoned node takes only pods tolerating node.kubernetes.io/unschedulable:NoSchedule. */
const nodeUnschedulable: Filter = (pod, { node }) => {
  if (!isUnschedulable(node)) return NONE;
  const tolerated = untoleratedTaint([{ key: UNSCHEDULABLE, effect: 'NoSchedule' }], tolerationsOf(pod), ['NoSchedule']) === undefined;
  return tolerated ? NONE : fail('node(s) were unschedulable');
};

const taintToleration: Filter = (pod, { node }) => {
  const taint = untoleratedTaint(taintsOf(node), tolerationsOf(pod), ['NoSchedule', 'NoExecute']);
  return taint ? fail(`node(s) had untolerated taint ${taintText(taint)}`) : NONE;
};

const nodeAffinity: Filter = (pod, { node }) => (matchesNodeSelectors(pod, node) ? NONE : fail("node(s) didn't match Pod's node affinity/selector"));

const nodePorts: Filter = (pod, { hostPorts }) =>
  hostPortsOf(pod).some((p) => hostPorts.has(p)) ? fail("node(s) didn't have free ports for the requested pod ports", true) : NONE;

/** NodeResourcesFit: the pod count always; cpu and memory only when the pod asks for some. */
const resourcesFit: Filter = (pod, { node, requested }) => {
  const want = podRequests(pod);
  const have = allocatableOf(node);
  const failures: FilterFailure[] = [];
  if (requested.pods + 1 > have.pods) failures.push({ reason: 'Too many pods', resolvable: true });
  if (want.cpu > 0 && requested.cpu + want.cpu > have.cpu) failures.push({ reason: 'Insufficient cpu', resolvable: true });
  if (want.memory > 0 && requested.memory + want.memory > have.memory) failures.push({ reason: 'Insufficient memory', resolvable: true });
  return failures;
};

const FILTERS: Filter[] = [nodeReady, nodeUnschedulable, taintToleration, nodeAffinity, nodePorts, resourcesFit];

/** Why the pod cannot go to this node (the first rejecting filter's reasons); empty when it fits. */
export function filterNode(pod: KObject, info: NodeInfo): FilterFailure[] {
  for (const f of FILTERS) {
    const failures = f(pod, info);
    if (failures.length > 0) return failures;
  }
  return NONE;
}

/** nodeSelector labels all present, and one of the required node affinity terms matched (terms are ORed). */
export function matchesNodeSelectors(pod: KObject, node: KObject): boolean {
  const labels = node.metadata.labels ?? {};
  const spec = specOf(pod);
  if (!Object.entries(spec.nodeSelector ?? {}).every(([k, v]) => labels[k] === v)) return false;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms) return true;
  const fields = { 'metadata.name': node.metadata.name ?? '' };
  return terms.some(
    (t) =>
      ((t.matchExpressions?.length ?? 0) > 0 || (t.matchFields?.length ?? 0) > 0) &&
      (t.matchExpressions ?? []).every((r) => matchesRequirement(r, labels)) &&
      (t.matchFields ?? []).every((r) => matchesRequirement(r, fields)),
  );
}

/** One NodeSelectorRequirement; Gt and Lt compare the label as an integer with the single value. */
export function matchesRequirement(r: NodeSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = labels[r.key];
  const values = r.values ?? [];
  switch (r.operator) {
    case 'In':
      return has && values.includes(value);
    case 'NotIn':
      return !has || !values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'Gt':
    case 'Lt': {
      const a = Number.parseInt(value ?? '', 10);
      const b = Number.parseInt(values[0] ?? '', 10);
      if (!has || Number.isNaN(a) || Number.isNaN(b)) return false;
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}
