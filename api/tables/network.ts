// Services and their plumbing as kube-apiserver prints them (printService, printEndpoints,
// printEndpointSlice, printIngress, printIngressClass, printNetworkPolicy).

import type { KObject } from '../../core/object.ts';
import { selectorToString, type LabelSelector } from '../../core/selectors.ts';
import { ageSince } from '../age.ts';
import { AGE, col, formatLabels, list, listWithMore, NAME, spec, status, str, strings, type Json, type Printer } from './format.ts';

const age = (o: KObject, now: number) => ageSince(o.metadata.creationTimestamp, now);

/** makePortString: "80/TCP", "80:30080/TCP" with a node port. */
function ports(svc: KObject): string {
  const out = list(spec(svc).ports).map((p) => {
    const proto = str(p.protocol) || 'TCP';
    return typeof p.nodePort === 'number' && p.nodePort > 0 ? `${p.port}:${p.nodePort}/${proto}` : `${p.port}/${proto}`;
  });
  return out.length === 0 ? '<none>' : out.join(',');
}

/** Load-balancer ingress points, IPs or host names, comma-joined (the server prints them untruncated). */
const lbIngress = (lb: Json | undefined) => list(lb?.ingress).map((i) => str(i.ip) || str(i.hostname)).filter(Boolean);

/** getServiceExternalIP: "<none>" for ClusterIP/NodePort without externalIPs, "<pending>" for an unassigned LoadBalancer. */
function externalIP(svc: KObject): string {
  const s = spec(svc);
  const externals = strings(s.externalIPs);
  switch (s.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externals.length > 0 ? externals.join(',') : '<none>';
    case 'LoadBalancer': {
      const all = [...lbIngress(status(svc).loadBalancer), ...externals];
      return all.length > 0 ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(s.externalName);
    default:
      return '<unknown>';
  }
}

export const services: Printer = {
  columns: [
    NAME,
    col('Type', 'string', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'string', 'clusterIP is the IP address of the service and is usually assigned randomly.'),
    col('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    AGE,
    col('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', true),
  ],
  print: (o, now) => {
    const s = spec(o);
    const clusterIP = strings(s.clusterIPs)[0] || str(s.clusterIP) || '<none>';
    return { cells: [o.metadata.name, str(s.type) || 'ClusterIP', clusterIP, externalIP(o), ports(o), age(o, now), formatLabels(s.selector)] };
  },
};

/** formatEndpoints: "ip:port" per address and port, at most three, then " + N more...". */
function endpointsCell(ep: KObject): string {
  const subsets = list(ep.subsets);
  if (subsets.length === 0) return '<none>';
  const all: string[] = [];
  for (const ss of subsets) {
    const ips = list(ss.addresses).map((a) => str(a.ip));
    const ps = list(ss.ports);
    if (ps.length === 0) all.push(...ips);
    for (const p of ps) all.push(...ips.map((ip) => (ip.includes(':') ? `[${ip}]:${p.port}` : `${ip}:${p.port}`)));
  }
  const shown = all.slice(0, 3).join(',');
  return all.length > 3 ? `${shown} + ${all.length - 3} more...` : shown;
}

export const endpoints: Printer = {
  columns: [NAME, col('Endpoints', 'string', 'The set of all endpoints is the union of all subsets.'), AGE],
  print: (o, now) => ({ cells: [o.metadata.name, endpointsCell(o), age(o, now)] }),
};

export const endpointslices: Printer = {
  columns: [
    NAME,
    col('AddressType', 'string', 'addressType specifies the type of address carried by this EndpointSlice.'),
    col('Ports', 'string', 'ports specifies the list of network ports exposed by each endpoint in this slice.'),
    col('Endpoints', 'string', 'endpoints is a list of unique endpoints in this slice.'),
    AGE,
  ],
  print: (o, now) => {
    const portCells = list(o.ports).map((p) => (typeof p.port === 'number' ? String(p.port) : str(p.name) || '<unset>'));
    const addresses = list(o.endpoints).flatMap((e) => strings(e.addresses));
    return { cells: [o.metadata.name, str(o.addressType), listWithMore(portCells), listWithMore(addresses), age(o, now)] };
  },
};

/** formatHosts: up to three hosts, "*" when no rule names one. */
function hosts(ing: KObject): string {
  const rules = list(spec(ing).rules);
  const named = rules.slice(0, 3).map((r) => str(r.host)).filter(Boolean);
  if (named.length === 0) return '*';
  return rules.length > 3 ? `${named.join(',')} + ${rules.length - 3} more...` : named.join(',');
}

export const ingresses: Printer = {
  columns: [
    NAME,
    col('Class', 'string', 'The name of the IngressClass resource for this ingress.'),
    col('Hosts', 'string', 'Hosts that incoming requests are matched against before the ingress rule'),
    col('Address', 'string', 'Address is a list containing ingress points for the load-balancer'),
    col('Ports', 'string', 'Ports of TLS configurations that open'),
    AGE,
  ],
  print: (o, now) => ({
    cells: [o.metadata.name, str(spec(o).ingressClassName) || '<none>', hosts(o), lbIngress(status(o).loadBalancer).join(','),
      list(spec(o).tls).length > 0 ? '80, 443' : '80', age(o, now)],
  }),
};

export const ingressclasses: Printer = {
  columns: [
    NAME,
    col('Controller', 'string', 'Controller that is responsible for handling this class'),
    col('Parameters', 'string', 'A reference to a resource with additional parameters'),
    AGE,
  ],
  print: (o, now) => {
    const p = spec(o).parameters;
    const kind = p && (p.apiGroup ? `${str(p.kind)}.${str(p.apiGroup)}` : str(p.kind));
    const params = p ? `${kind}/${str(p.name)}` : '<none>';
    return { cells: [o.metadata.name, str(spec(o).controller), params, age(o, now)] };
  },
};

export const networkpolicies: Printer = {
  columns: [NAME, col('Pod-Selector', 'string', 'podSelector selects the pods to which this NetworkPolicy object applies.'), AGE],
  print: (o, now) => ({ cells: [o.metadata.name, selectorToString(spec(o).podSelector as LabelSelector | undefined), age(o, now)] }),
};
