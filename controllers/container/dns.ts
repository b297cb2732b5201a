// Cluster DNS as CoreDNS's kubernetes plugin answers it (the DNS-based service discovery spec,
// github.com/kubernetes/dns/blob/master/docs/specification.md), and the resolv.conf the kubelet
// writes into each pod.
//
//   <svc>.<ns>.svc.cluster.local           A: the cluster IP; a headless service: its ready pod IPs;
//                                          ExternalName: a CNAME to spec.externalName
//   <hostname>.<svc>.<ns>.svc.cluster.local A: the pod whose spec.hostname/subdomain put it there
//                                          (StatefulSet pods: web-0.nginx.default.svc.cluster.local)
//   _<port>._<proto>.<svc>.<ns>.svc.cluster.local  SRV for each named port
//   a-b-c-d.<ns>.pod.cluster.local         A: a.b.c.d
//
// A name is looked up the way glibc and musl resolvers do with `options ndots:5`: a name with fewer
// than five dots is tried with each search domain first (`<ns>.svc.cluster.local svc.cluster.local
// cluster.local`), then as is. That is why seed 000's `curl ent:8080` from a pod in `dev` reaches
// ent.dev, and reaching `ent` in `prod` takes `ent.prod` or the FQDN ent.prod.svc.cluster.local.

import type { KObject } from '../../core/object.ts';
import type { ReadView } from '../../store/store.ts';
import { KUBE_DNS_IP } from '../bootstrap.ts';
import { ENDPOINTS, type EndpointSubset } from '../endpoints.ts';
import { SERVICES, serviceSpec } from '../service-backends.ts';

export const CLUSTER_DOMAIN = 'cluster.local';
const NDOTS = 5;

export type DnsRecord =
  | { type: 'A'; name: string; ip: string }
  | { type: 'CNAME'; name: string; target: string }
  | { type: 'SRV'; name: string; priority: number; weight: number; port: number; target: string };

export type RecordType = DnsRecord['type'];

export interface ResolvConf {
  nameservers: string[];
  search: string[];
  options: string[];
}

interface PodDns {
  dnsPolicy?: string;
  hostNetwork?: boolean;
  dnsConfig?: { nameservers?: string[]; searches?: string[]; options?: { name: string; value?: string }[] };
}

/** The kube-dns service's cluster IP (the bootstrap default until that service exists). */
function clusterDnsIP(view: ReadView): string {
  return serviceSpec(view.get(SERVICES, 'kube-system', 'kube-dns') ?? ({ metadata: {} } as KObject)).clusterIP ?? KUBE_DNS_IP;
}

/** The node's own resolver, what dnsPolicy Default hands a pod (the kind network's gateway). */
const NODE_RESOLVER = '172.18.0.1';

/**
 * The kubelet's dns.Configurer GetPodDNS: ClusterFirst (the default) gives the cluster resolver and
 * search path; Default the node's; None only dnsConfig; dnsConfig is merged in either way.
 * hostNetwork pods with ClusterFirst fall back to Default, as the kubelet does.
 */
export function resolvConf(pod: KObject, view: ReadView): ResolvConf {
  const spec = (pod.spec ?? {}) as PodDns;
  const ns = pod.metadata.namespace ?? 'default';
  let policy = spec.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'ClusterFirst' && spec.hostNetwork) policy = 'Default';
  const conf: ResolvConf = { nameservers: [], search: [], options: [] };
  if (policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') {
    conf.nameservers = [clusterDnsIP(view)];
    conf.search = [`${ns}.svc.${CLUSTER_DOMAIN}`, `svc.${CLUSTER_DOMAIN}`, CLUSTER_DOMAIN];
    conf.options = [`ndots:${NDOTS}`];
  } else if (policy === 'Default') {
    conf.nameservers = [NODE_RESOLVER];
  }
  const extra = spec.dnsConfig ?? {};
  conf.nameservers = [...new Set([...conf.nameservers, ...(extra.nameservers ?? [])])];
  conf.search = [...new Set([...conf.search, ...(extra.searches ?? [])])];
  for (const o of extra.options ?? []) {
    conf.options = conf.options.filter((x) => x.split(':')[0] !== o.name);
    conf.options.push(o.value !== undefined ? `${o.name}:${o.value}` : o.name);
  }
  return conf;
}

/** /etc/resolv.conf as the kubelet writes it (seed 000's `cat /etc/resolv.conf`). */
export function resolvConfText(conf: ResolvConf): string {
  const lines: string[] = [];
  if (conf.search.length) lines.push(`search ${conf.search.join(' ')}`);
  for (const n of conf.nameservers) lines.push(`nameserver ${n}`);
  if (conf.options.length) lines.push(`options ${conf.options.join(' ')}`);
  return lines.map((l) => `${l}\n`).join('');
}

function endpointAddresses(view: ReadView, ns: string, svc: string): { ip: string; hostname?: string; ports: EndpointSubset['ports'] }[] {
  const subsets = (view.get(ENDPOINTS, ns, svc)?.subsets as EndpointSubset[] | undefined) ?? [];
  return subsets.flatMap((s) => (s.addresses ?? []).map((a) => ({ ip: a.ip, hostname: a.hostname, ports: s.ports })));
}

const dashed = (ip: string) => ip.replace(/\./g, '-');

function serviceRecords(svc: KObject, fqdn: string, view: ReadView): DnsRecord[] {
  const spec = serviceSpec(svc);
  if (spec.type === 'ExternalName') return spec.externalName ? [{ type: 'CNAME', name: fqdn, target: spec.externalName }] : [];
  if (spec.clusterIP && spec.clusterIP !== 'None') return [{ type: 'A', name: fqdn, ip: spec.clusterIP }];
  return endpointAddresses(view, svc.metadata.namespace ?? '', svc.metadata.name ?? '').map((a) => ({ type: 'A', name: fqdn, ip: a.ip }));
}

/** SRV records of `_<port>._<proto>.<svc>.<ns>.svc.cluster.local`; per endpoint for headless services. */
function srvRecords(svc: KObject, portName: string, proto: string, fqdn: string, view: ReadView): DnsRecord[] {
  const port = (serviceSpec(svc).ports ?? []).find((p) => p.name === portName && (p.protocol ?? 'TCP').toLowerCase() === proto);
  if (!port) return [];
  const ns = svc.metadata.namespace ?? '';
  const svcName = `${svc.metadata.name}.${ns}.svc.${CLUSTER_DOMAIN}`;
  if (serviceSpec(svc).clusterIP !== 'None') return [{ type: 'SRV', name: fqdn, priority: 0, weight: 100, port: port.port, target: svcName }];
  return endpointAddresses(view, ns, svc.metadata.name ?? '').flatMap((a) => {
    const ep = a.ports?.find((p) => p.name === portName);
    return ep ? [{ type: 'SRV' as const, name: fqdn, priority: 0, weight: 100, port: ep.port, target: `${a.hostname ?? dashed(a.ip)}.${svcName}` }] : [];
  });
}

/**
 * The records for one fully qualified name (no trailing dot), or undefined when the name does not
 * exist (NXDOMAIN). Names outside the cluster domain do not exist in this simulation.
 */
export function lookupFqdn(fqdn: string, view: ReadView): DnsRecord[] | undefined {
  const name = fqdn.toLowerCase().replace(/\.$/, '');
  if (!name.endsWith(`.${CLUSTER_DOMAIN}`)) return undefined;
  const labels = name.slice(0, -CLUSTER_DOMAIN.length - 1).split('.');
  if (labels.length === 3 && labels[2] === 'pod' && /^\d+-\d+-\d+-\d+$/.test(labels[0])) return [{ type: 'A', name, ip: labels[0].replace(/-/g, '.') }];
  if (labels.at(-1) !== 'svc') return undefined;
  const [ns, svcName] = [labels.at(-2) ?? '', labels.at(-3) ?? ''];
  const svc = view.get(SERVICES, ns, svcName);
  if (!svc) return undefined;
  if (labels.length === 3) return serviceRecords(svc, name, view);
  if (labels.length === 5 && labels[0].startsWith('_') && labels[1].startsWith('_')) {
    const records = srvRecords(svc, labels[0].slice(1), labels[1].slice(1), name, view);
    return records.length ? records : undefined;
  }
  if (labels.length === 4) {
    const hits = endpointAddresses(view, ns, svcName).filter((a) => a.hostname === labels[0] || dashed(a.ip) === labels[0]);
    return hits.length ? hits.map((a) => ({ type: 'A', name, ip: a.ip })) : undefined;
  }
  return undefined;
}

/** The names a resolver tries for `name`, in order (search list and ndots). */
export function candidates(name: string, conf: ResolvConf): string[] {
  if (name.endsWith('.')) return [name.slice(0, -1)];
  const ndots = Number(conf.options.find((o) => o.startsWith('ndots:'))?.slice(6) ?? 1);
  const searched = conf.search.map((s) => `${name}.${s}`);
  return name.split('.').length - 1 < ndots ? [...searched, name] : [name, ...searched];
}

/** Resolve a name as a process in the pod would: the first candidate that exists wins. */
export function resolve(name: string, conf: ResolvConf, view: ReadView, type: RecordType = 'A'): { fqdn: string; records: DnsRecord[] } | undefined {
  for (const fqdn of candidates(name, conf)) {
    const records = lookupFqdn(fqdn, view);
    if (!records) continue;
    const wanted = records.filter((r) => r.type === type || r.type === 'CNAME');
    if (wanted.length || type === 'A') return { fqdn, records: wanted };
  }
  return undefined;
}

/** The IPv4 address a client would connect to for `host` (an IP literal is itself). */
export function resolveHost(host: string, conf: ResolvConf, view: ReadView): string | undefined {
  if (/^\d+\.\d+\.\d+\.\d+$/.test(host)) return host;
  return resolve(host, conf, view)?.records.find((r) => r.type === 'A')?.ip;
}
