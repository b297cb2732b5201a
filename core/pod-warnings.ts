// The warnings kube-apiserver sends (HTTP `Warning: 299` headers, printed by kubectl as
// "Warning: …") for a pod or a workload's pod template that is valid but probably not what its
// author meant — pkg/api/pod warningsForPodSpecAndMeta, the checks manifests in CI trip over:
//
//   spec.template.spec.containers[0].env[2]: hides previous definition of "LOG_LEVEL", which may be dropped when using apply
//   spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]
//   spec.imagePullSecrets[1].name: duplicate name "regcred"
//   spec.containers[0].resources.limits[memory]: fractional byte value "1.5Gi"… (only when not whole bytes)
//
// A CI job running `kubectl apply --warnings-as-errors` fails on them, as on a real cluster.

import { list, rec, type Fields } from './kinds/types.ts';
import type { KObject } from './object.ts';
import { parseQuantity } from './quantity.ts';

/** Where each kind keeps its pod spec (a Pod's own, a workload's template). */
const POD_SPEC_PATHS: Record<string, string[]> = {
  'v1/pods': ['spec'],
  'v1/replicationcontrollers': ['spec', 'template', 'spec'],
  'v1/podtemplates': ['template', 'spec'],
  'apps/v1/deployments': ['spec', 'template', 'spec'],
  'apps/v1/replicasets': ['spec', 'template', 'spec'],
  'apps/v1/daemonsets': ['spec', 'template', 'spec'],
  'apps/v1/statefulsets': ['spec', 'template', 'spec'],
  'batch/v1/jobs': ['spec', 'template', 'spec'],
  'batch/v1/cronjobs': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** The pod spec of an object of resource `res` and its field path, if the kind has one. */
function podSpecOf(res: string, obj: KObject): { spec: Fields; path: string } | undefined {
  const path = POD_SPEC_PATHS[res];
  if (!path) return undefined;
  let at: unknown = obj;
  for (const key of path) at = rec(at)?.[key];
  const spec = rec(at);
  return spec ? { spec, path: path.join('.') } : undefined;
}

/** The warnings for the pod spec of `obj` (none for kinds without one). */
export function podWarnings(res: string, obj: KObject): string[] {
  const found = podSpecOf(res, obj);
  if (!found) return [];
  const { spec, path } = found;
  const containers = ['initContainers', 'containers', 'ephemeralContainers'].flatMap((key) =>
    list(spec[key]).map((c, i) => ({ c: rec(c) ?? {}, at: `${path}.${key}[${i}]` })),
  );
  return [
    ...duplicateNames(list(spec.imagePullSecrets), `${path}.imagePullSecrets`),
    ...containers.flatMap(({ c, at }) => [...fractionalBytes(c, at), ...hiddenEnv(c, at)]),
    ...duplicatePorts(containers),
  ];
}

function duplicateNames(secrets: unknown[], at: string): string[] {
  const names = secrets.map((s) => String(rec(s)?.name ?? ''));
  const duplicates = names.flatMap((name, i) => (names.indexOf(name) < i ? [`${at}[${i}].name: duplicate name ${JSON.stringify(name)}`] : []));
  const empty = names.flatMap((name, i) => (name === '' ? [`${at}[${i}].name: invalid empty name ""`] : []));
  return [...duplicates, ...empty];
}

/** Memory and ephemeral storage are whole bytes: "1.5" or "100m" of memory is a mistake. */
function fractionalBytes(c: Fields, at: string): string[] {
  const resources = rec(c.resources) ?? {};
  return ['memory', 'ephemeral-storage'].flatMap((name) =>
    ['limits', 'requests'].flatMap((kind) => {
      const text = rec(resources[kind])?.[name];
      const bytes = parseQuantity(text);
      return bytes !== undefined && !Number.isInteger(bytes)
        ? [`${at}.resources.${kind}[${name}]: fractional byte value ${JSON.stringify(String(text))} is invalid, must be an integer`]
        : [];
    }),
  );
}

/** A later env entry of the same name replaces the earlier one unless it builds on it ("$(X):extra"). */
function hiddenEnv(c: Fields, at: string): string[] {
  const seen = new Set<string>();
  return list(c.env).flatMap((raw, i) => {
    const e = rec(raw) ?? {};
    const name = String(e.name ?? '');
    if (!seen.has(name)) {
      seen.add(name);
      return [];
    }
    const ref = `$(${name})`;
    const value = typeof e.value === 'string' ? e.value : '';
    const hides = e.valueFrom !== undefined || value === ref || !value.includes(ref);
    return hides ? [`${at}.env[${i}]: hides previous definition of ${JSON.stringify(name)}, which may be dropped when using apply`] : [];
  });
}

/** The same container port and protocol declared twice across the pod's containers. */
function duplicatePorts(containers: { c: Fields; at: string }[]): string[] {
  const byPort = new Map<string, { at: string; hostIP: string; hostPort: number }[]>();
  const warnings: string[] = [];
  for (const { c, at } of containers) {
    list(c.ports).forEach((raw, i) => {
      const p = rec(raw) ?? {};
      const here = { at: `${at}.ports[${i}]`, hostIP: String(p.hostIP ?? ''), hostPort: Number(p.hostPort ?? 0) };
      const key = `${p.containerPort}/${p.protocol ?? 'TCP'}`;
      const others = byPort.get(key) ?? [];
      for (const other of others) {
        if (here.hostIP === other.hostIP && here.hostPort === other.hostPort) warnings.push(`${here.at}: duplicate port definition with ${other.at}`);
        else if (here.hostPort === 0 || other.hostPort === 0) warnings.push(`${here.at}: overlapping port definition with ${other.at}`);
        else if (here.hostPort === other.hostPort && (here.hostIP === '') !== (other.hostIP === '')) {
          warnings.push(`${here.at}: dangerously ambiguous port definition with ${other.at}`);
        }
      }
      byPort.set(key, [...others, here]);
    });
  }
  return warnings;
}
