// Which backend an HTTP request to an Ingress reaches, by the networking.k8s.io/v1 matching rules
// (the Ingress API reference, "Path types" and "Hostname wildcards"; ingress-nginx behaves so):
// - host: a rule's exact host beats a wildcard (`*.foo.com` matches exactly one more label:
//   bar.foo.com, not baz.bar.foo.com, not foo.com); a rule without host matches every host;
// - path: Exact matches the path exactly; Prefix matches element-wise on `/` (/foo matches /foo
//   and /foo/bar, not /foobar; a trailing slash is ignored); ImplementationSpecific is treated as
//   Prefix, as ingress-nginx does; among matches, Exact wins, then the longest path;
// - nothing matches: the ingress's defaultBackend, else the controller's 404.
//
// Example: rules for foo.bar.com with /app (Prefix) and /app/v2 (Exact): GET /app/v2 → the Exact
// one, /app/v2/x → /app (the Exact does not match), /apple → nothing (not an element-wise prefix).

import type { KObject } from '../../core/object.ts';

export interface ServiceBackend {
  name: string;
  port: { number?: number; name?: string };
}

interface IngressPath {
  path?: string;
  pathType?: string;
  backend?: { service?: ServiceBackend };
}

interface IngressRule {
  host?: string;
  http?: { paths?: IngressPath[] };
}

export interface IngressSpec {
  ingressClassName?: string;
  defaultBackend?: { service?: ServiceBackend };
  rules?: IngressRule[];
}

export const ingressSpec = (ing: KObject) => (ing.spec ?? {}) as IngressSpec;

export interface Match {
  ingress: KObject;
  backend: ServiceBackend;
  /** "host/path (pathType)" of the matching rule, or "default backend". */
  rule: string;
}

/** How well a rule's host fits: 2 exact, 1 wildcard, 0 no host given, -1 no match. */
export function hostScore(ruleHost: string | undefined, host: string): number {
  if (!ruleHost) return 0;
  if (ruleHost === host) return 2;
  if (ruleHost.startsWith('*.')) {
    const suffix = ruleHost.slice(1);
    const label = host.slice(0, host.length - suffix.length);
    return host.endsWith(suffix) && label.length > 0 && !label.includes('.') ? 1 : -1;
  }
  return -1;
}

const segments = (p: string) => p.split('/').filter((s) => s !== '');

/** How well a path rule fits: Infinity for Exact, the prefix's length in elements for Prefix, -1 no match. */
export function pathScore(rule: IngressPath, path: string): number {
  const want = rule.path ?? '/';
  if (rule.pathType === 'Exact') return want === path ? Infinity : -1;
  const a = segments(want);
  const b = segments(path);
  return a.length <= b.length && a.every((s, i) => s === b[i]) ? a.length : -1;
}

/** The backend of the best rule among `ingresses` for host and path, else a default backend. */
export function matchIngress(ingresses: KObject[], host: string, path: string): Match | undefined {
  const bare = path.split('?')[0] || '/';
  let best: { match: Match; score: [number, number] } | undefined;
  for (const ingress of ingresses) {
    for (const rule of ingressSpec(ingress).rules ?? []) {
      const hs = hostScore(rule.host, host);
      if (hs < 0) continue;
      for (const p of rule.http?.paths ?? []) {
        const ps = pathScore(p, bare);
        const service = p.backend?.service;
        if (ps < 0 || !service) continue;
        if (best && (hs < best.score[0] || (hs === best.score[0] && ps <= best.score[1]))) continue;
        best = { match: { ingress, backend: service, rule: `${rule.host ?? '*'}${p.path ?? '/'} (${p.pathType ?? 'Prefix'})` }, score: [hs, ps] };
      }
    }
  }
  if (best) return best.match;
  const fallback = ingresses.find((i) => ingressSpec(i).defaultBackend?.service);
  return fallback ? { ingress: fallback, backend: ingressSpec(fallback).defaultBackend!.service!, rule: 'default backend' } : undefined;
}
