// A container's environment exactly as the kubelet builds it (pkg/kubelet/kubelet_pods.go
// makeEnvironmentVariables) plus what the image and runtime add, computed from the cluster state the
// container started in — the caller hands in the view at `state.running.startedAt`, which is why a
// later ConfigMap change does not show in `env` (seed 001).
//
// Sources, in the kubelet's order:
//   1. service link variables (pkg/kubelet/envvars): for every service of the pod's namespace with a
//      cluster IP, when enableServiceLinks (default true), and always the `kubernetes` service of
//      `default` — e.g. for redis-master at 10.0.0.11:6379 (seed 004)
//        REDIS_MASTER_SERVICE_HOST=10.0.0.11  REDIS_MASTER_SERVICE_PORT=6379
//        REDIS_MASTER_PORT=tcp://10.0.0.11:6379  REDIS_MASTER_PORT_6379_TCP=tcp://10.0.0.11:6379
//        REDIS_MASTER_PORT_6379_TCP_PROTO=tcp  …_PORT=6379  …_ADDR=10.0.0.11
//   2. envFrom (configMapRef / secretRef, with prefix), in order;
//   3. env, in order, each value with $(VAR) references expanded against what is defined so far
//      (service variables included), valueFrom read from ConfigMaps, Secrets (base64-decoded), the
//      pod's fields (downward API) and the container's resources.
// Printed order (our `env`): PATH and HOSTNAME as the runtime sets them first, then envFrom and env
// in declaration order, then the service variables sorted by service name, then HOME — a fixed order
// where a real node prints Go map order.

import type { KObject } from '../../core/object.ts';
import { parseQuantity } from '../../core/quantity.ts';
import type { ReadView } from '../../store/store.ts';
import { SERVICES, serviceSpec } from '../service-backends.ts';
import { expandVars } from './expand.ts';
import { containerOf, podHostname, type Container } from './pod.ts';

export interface EnvVar {
  name: string;
  value: string;
}

/** The image's default PATH (busybox, debian and alpine images all set this one). */
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const CONFIG_MAPS = 'v1/configmaps';
const SECRETS = 'v1/secrets';

/** `redis-master` → `REDIS_MASTER` (envvars.makeEnvVariableName). */
const envName = (s: string) => s.toUpperCase().replace(/-/g, '_');

/** The link variables of one service (envvars.FromServices and makeLinkVariables). */
export function serviceLinkVars(svc: KObject): EnvVar[] {
  const spec = serviceSpec(svc);
  const ip = spec.clusterIP;
  if (!ip || ip === 'None' || spec.type === 'ExternalName') return [];
  const ports = spec.ports ?? [];
  const prefix = envName(svc.metadata.name ?? '');
  const out: EnvVar[] = [{ name: `${prefix}_SERVICE_HOST`, value: ip }];
  if (ports.length) out.push({ name: `${prefix}_SERVICE_PORT`, value: String(ports[0].port) });
  for (const p of ports) if (p.name) out.push({ name: `${prefix}_SERVICE_PORT_${envName(p.name)}`, value: String(p.port) });
  ports.forEach((p, i) => {
    const proto = (p.protocol ?? 'TCP').toLowerCase();
    const url = `${proto}://${ip}:${p.port}`;
    const base = `${prefix}_PORT_${p.port}_${proto.toUpperCase()}`;
    if (i === 0) out.push({ name: `${prefix}_PORT`, value: url });
    out.push({ name: base, value: url }, { name: `${base}_PROTO`, value: proto }, { name: `${base}_PORT`, value: String(p.port) }, { name: `${base}_ADDR`, value: ip });
  });
  return out;
}

/** The services whose variables a pod gets (kubelet getServiceEnvVarMap). */
function linkedServices(pod: KObject, view: ReadView): KObject[] {
  const ns = pod.metadata.namespace ?? '';
  const links = (pod.spec as { enableServiceLinks?: boolean } | undefined)?.enableServiceLinks !== false;
  // The master service first, so a service of the same name in the pod's namespace replaces it.
  const byName = new Map<string, KObject>();
  const master = view.get(SERVICES, 'default', 'kubernetes');
  if (master) byName.set('kubernetes', master);
  if (links) for (const s of view.list(SERVICES, { namespace: ns }).items) byName.set(s.metadata.name ?? '', s);
  return [...byName.values()].sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}

interface KeyRef {
  name?: string;
  key?: string;
  optional?: boolean;
}

/** A ConfigMap's or Secret's data as text (a Secret's values are base64). */
function dataOf(view: ReadView, res: string, ns: string, name: string | undefined): Record<string, string> | undefined {
  const obj = name ? view.get(res, ns, name) : undefined;
  if (!obj) return undefined;
  if (res === SECRETS) {
    const data = Object.fromEntries(Object.entries((obj.data as Record<string, string>) ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
    return { ...data, ...((obj.stringData as Record<string, string>) ?? {}) };
  }
  return { ...((obj.data as Record<string, string>) ?? {}) };
}

function keyRef(view: ReadView, res: string, ns: string, ref: KeyRef): string | undefined {
  return dataOf(view, res, ns, ref.name)?.[ref.key ?? ''];
}

/** Downward API field paths (fieldpath.ExtractFieldPathAsString plus the kubelet's status fields). */
export function podField(pod: KObject, path: string): string | undefined {
  const m = pod.metadata;
  const label = /^metadata\.(labels|annotations)\['(.*)'\]$/.exec(path);
  if (label) return (label[1] === 'labels' ? m.labels : m.annotations)?.[label[2]];
  const spec = (pod.spec ?? {}) as { nodeName?: string; serviceAccountName?: string; serviceAccount?: string };
  const status = (pod.status ?? {}) as { podIP?: string; hostIP?: string; podIPs?: { ip: string }[]; hostIPs?: { ip: string }[] };
  const fields: Record<string, string | undefined> = {
    'metadata.name': m.name,
    'metadata.namespace': m.namespace,
    'metadata.uid': m.uid,
    'metadata.labels': formatMap(m.labels),
    'metadata.annotations': formatMap(m.annotations),
    'spec.nodeName': spec.nodeName,
    'spec.serviceAccountName': spec.serviceAccountName ?? spec.serviceAccount ?? 'default',
    'status.podIP': status.podIP,
    'status.hostIP': status.hostIP,
    'status.podIPs': status.podIPs?.map((i) => i.ip).join(','),
    'status.hostIPs': status.hostIPs?.map((i) => i.ip).join(','),
  };
  return fields[path];
}

/** fieldpath.FormatMap: `key="value"` lines, sorted by key (the downward API's labels file). */
function formatMap(m: Record<string, string> | undefined): string {
  return Object.keys(m ?? {})
    .sort()
    .map((k) => `${k}=${JSON.stringify(m![k])}`)
    .join('\n');
}

interface ResourceFieldRef {
  containerName?: string;
  resource?: string;
  divisor?: string | number;
}

/**
 * resource.ExtractContainerResourceValue: the limit or request divided by the divisor, rounded up
 * (limits.cpu of 500m with divisor 1 → "1"; limits.memory 128Mi with divisor 1Mi → "128"). A
 * missing limit is the node's allocatable, as the kubelet defaults it.
 */
export function resourceField(pod: KObject, container: Container, ref: ResourceFieldRef, view: ReadView): string | undefined {
  const target = ref.containerName ? containerOf(pod, ref.containerName) ?? container : container;
  const [kind, name] = (ref.resource ?? '').split('.', 2) as ['limits' | 'requests', string];
  let value = parseQuantity(target.resources?.[kind]?.[name]);
  if (value === undefined && kind === 'limits') value = nodeAllocatable(pod, view, name);
  if (value === undefined) return kind === 'requests' ? '0' : undefined;
  const divisor = parseQuantity(ref.divisor ?? 1) || 1;
  return String(Math.ceil(value / divisor));
}

function nodeAllocatable(pod: KObject, view: ReadView, name: string): number | undefined {
  const node = view.get('v1/nodes', '', (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? '');
  return parseQuantity((node?.status as { allocatable?: Record<string, string> } | undefined)?.allocatable?.[name]);
}

interface EnvSource {
  prefix?: string;
  configMapRef?: KeyRef;
  secretRef?: KeyRef;
}

/** envFrom: keys that are not valid variable names are skipped, as the kubelet does (and reports). */
function fromSources(view: ReadView, ns: string, sources: EnvSource[]): EnvVar[] {
  const out: EnvVar[] = [];
  for (const s of sources) {
    const data = s.configMapRef ? dataOf(view, CONFIG_MAPS, ns, s.configMapRef.name) : s.secretRef ? dataOf(view, SECRETS, ns, s.secretRef.name) : undefined;
    for (const [k, v] of Object.entries(data ?? {})) {
      const name = `${s.prefix ?? ''}${k}`;
      if (/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(name)) out.push({ name, value: v });
    }
  }
  return out;
}

interface EnvEntry {
  name: string;
  value?: string;
  valueFrom?: { configMapKeyRef?: KeyRef; secretKeyRef?: KeyRef; fieldRef?: { fieldPath?: string }; resourceFieldRef?: ResourceFieldRef };
}

function valueOf(e: EnvEntry, pod: KObject, container: Container, view: ReadView, defined: Map<string, string>): string | undefined {
  const ns = pod.metadata.namespace ?? '';
  const from = e.valueFrom;
  if (!from) return expandVars(e.value ?? '', (name) => defined.get(name));
  if (from.configMapKeyRef) return keyRef(view, CONFIG_MAPS, ns, from.configMapKeyRef);
  if (from.secretKeyRef) return keyRef(view, SECRETS, ns, from.secretKeyRef);
  if (from.fieldRef) return podField(pod, from.fieldRef.fieldPath ?? '');
  if (from.resourceFieldRef) return resourceField(pod, container, from.resourceFieldRef, view);
  return undefined;
}

/**
 * The container's environment as `env` prints it. `view` is the cluster as it was when the
 * container started. Unknown container → [].
 */
export function containerEnv(pod: KObject, containerName: string, view: ReadView): EnvVar[] {
  const container = containerOf(pod, containerName);
  if (!container) return [];
  const ns = pod.metadata.namespace ?? '';
  const services = linkedServices(pod, view).flatMap(serviceLinkVars);
  const defined = new Map<string, string>(services.map((v) => [v.name, v.value]));
  const own = new Map<string, string>();
  for (const v of fromSources(view, ns, (container.envFrom as EnvSource[]) ?? [])) own.set(v.name, v.value);
  for (const [k, v] of own) defined.set(k, v);
  for (const e of (container.env as EnvEntry[]) ?? []) {
    const value = valueOf(e, pod, container, view, defined);
    // An optional reference that does not resolve leaves the variable unset (the kubelet skips it).
    if (value === undefined) continue;
    own.delete(e.name);
    own.set(e.name, value);
    defined.set(e.name, value);
  }
  const result = new Map<string, string>([
    ['PATH', DEFAULT_PATH],
    ['HOSTNAME', podHostname(pod)],
  ]);
  for (const [k, v] of own) result.set(k, v);
  for (const v of services) if (!result.has(v.name)) result.set(v.name, v.value);
  if (!result.has('HOME')) result.set('HOME', '/root');
  return [...result].map(([name, value]) => ({ name, value }));
}
