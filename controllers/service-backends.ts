// Which pods back a Service, and on which ports: the part the Endpoints and EndpointSlice
// controllers share (k8s.io/kubernetes pkg/controller/endpoint and pkg/controller/util/endpoint).
//
// Membership, as seed 000 explains it: a pod is selected when every label of the service's selector
// is on the pod (a service selecting app=nginx,run=nginx skips a pod labelled only app=nginx).
// A selected pod is listed once it has an IP; it is ready when its Ready condition is True (or the
// service publishes not-ready addresses), and left out when it has finished or is being deleted
// (ShouldPodBeInEndpoints with publishNotReadyAddresses false).
//
// Ports: each service port's targetPort is a number, or a container port name looked up per pod
// (podutil.FindPort) — two pods of one service may listen on different numbers for the name "http".

import type { KObject } from '../core/object.ts';
import { selectorFromSpec } from '../core/selectors.ts';
import type { ReadView } from '../store/store.ts';
import { isPodReady, PODS, podPhase } from './runtime/pods.ts';

export const SERVICES = 'v1/services';

export interface ServicePort {
  name?: string;
  port: number;
  protocol?: string;
  targetPort?: number | string;
  nodePort?: number;
  appProtocol?: string;
}

export interface ServiceSpec {
  type?: string;
  selector?: Record<string, string>;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: ServicePort[];
  publishNotReadyAddresses?: boolean;
  sessionAffinity?: string;
  externalName?: string;
  externalIPs?: string[];
}

/** An endpoint port: the service port's name and protocol, the pod's port number. */
export interface BackendPort {
  name?: string;
  port: number;
  protocol: string;
  appProtocol?: string;
}

export interface Backend {
  pod: KObject;
  ip: string;
  nodeName?: string;
  /** Hostname for DNS when the pod's spec.subdomain names this service (StatefulSet pods). */
  hostname?: string;
  ready: boolean;
  /** Being deleted (listed only when asked: EndpointSlices keep terminating pods, Endpoints drop them). */
  terminating: boolean;
  /** One per service port that resolves on this pod, in service port order. */
  ports: BackendPort[];
}

export const serviceSpec = (svc: KObject) => (svc.spec ?? {}) as ServiceSpec;

/** A selector with no labels is "no selector": the service's endpoints are the user's to write. */
export function hasSelector(svc: KObject): boolean {
  return Object.keys(serviceSpec(svc).selector ?? {}).length > 0;
}

/** The service's selector as a predicate over pods; none matches for a service without a selector. */
export function podSelector(svc: KObject): (pod: KObject) => boolean {
  if (!hasSelector(svc)) return () => false;
  const matches = selectorFromSpec({ matchLabels: serviceSpec(svc).selector });
  return (pod) => matches(pod.metadata.labels);
}

export const isHeadless = (svc: KObject) => serviceSpec(svc).clusterIP === 'None';

interface ContainerPort {
  name?: string;
  containerPort?: number;
  protocol?: string;
}

/** podutil.FindPort: a number is itself; a name is the first container port with that name and protocol. */
function findPort(pod: KObject, sp: ServicePort): number | undefined {
  const target = sp.targetPort ?? sp.port;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  const containers = ((pod.spec ?? {}) as { containers?: { ports?: ContainerPort[] }[] }).containers ?? [];
  for (const c of containers) {
    for (const p of c.ports ?? []) if (p.name === target && (p.protocol ?? 'TCP') === (sp.protocol ?? 'TCP')) return p.containerPort;
  }
  return undefined;
}

function shouldBeListed(pod: KObject, ip: string | undefined, includeTerminating: boolean): ip is string {
  const phase = podPhase(pod);
  return !!ip && (includeTerminating || pod.metadata.deletionTimestamp === undefined) && phase !== 'Succeeded' && phase !== 'Failed';
}

function backendPorts(pod: KObject, svc: KObject): BackendPort[] {
  const out: BackendPort[] = [];
  for (const sp of serviceSpec(svc).ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const bp: BackendPort = { port, protocol: sp.protocol ?? 'TCP' };
    if (sp.name) bp.name = sp.name;
    if (sp.appProtocol) bp.appProtocol = sp.appProtocol;
    out.push(bp);
  }
  return out;
}

/**
 * The pods behind a service with a selector, in pod name order; [] for a service without one.
 * Terminating pods are left out unless `includeTerminating` (then marked, and never ready).
 */
export function serviceBackends(svc: KObject, view: ReadView, includeTerminating = false): Backend[] {
  if (!hasSelector(svc)) return [];
  const ns = svc.metadata.namespace ?? '';
  const publishNotReady = serviceSpec(svc).publishNotReadyAddresses === true;
  const selects = podSelector(svc);
  const out: Backend[] = [];
  for (const pod of view.list(PODS, { namespace: ns, filter: selects }).items) {
    const ip = (pod.status as { podIP?: string } | undefined)?.podIP;
    if (!shouldBeListed(pod, ip, includeTerminating)) continue;
    const spec = (pod.spec ?? {}) as { nodeName?: string; hostname?: string; subdomain?: string };
    const terminating = pod.metadata.deletionTimestamp !== undefined;
    const ready = !terminating && (publishNotReady || isPodReady(pod));
    const b: Backend = { pod, ip, ready, terminating, ports: backendPorts(pod, svc) };
    if (spec.nodeName) b.nodeName = spec.nodeName;
    if (spec.hostname && spec.subdomain === svc.metadata.name) b.hostname = spec.hostname;
    out.push(b);
  }
  return out;
}

/**
 * The endpoints.kubernetes.io/last-change-trigger-time annotation: the latest change among the
 * service and its selected pods (the trigger time tracker's "last pod/service update" times).
 */
export function lastChangeTriggerTime(svc: KObject, backends: Backend[]): string | undefined {
  const times = [svc.metadata.creationTimestamp, ...backends.flatMap((b) => podChangeTimes(b.pod))].filter((t): t is string => !!t);
  return times.sort().at(-1);
}

function podChangeTimes(pod: KObject): (string | undefined)[] {
  const conditions = ((pod.status ?? {}) as { conditions?: { lastTransitionTime?: string }[] }).conditions ?? [];
  return [pod.metadata.creationTimestamp, ...conditions.map((c) => c.lastTransitionTime)];
}

/** The services of a namespace that select a pod (for mapping pod events to service keys). */
export function servicesSelecting(pod: KObject, view: ReadView): KObject[] {
  return view.list(SERVICES, { namespace: pod.metadata.namespace ?? '' }).items.filter((s) => podSelector(s)(pod));
}
