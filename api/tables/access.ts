// Quotas and RBAC bindings as kube-apiserver prints them (printResourceQuota, printRoleBinding,
// printClusterRoleBinding). Roles and ClusterRoles use the default Name / Created At table.

import type { KObject } from '../../core/object.ts';
import { ageSince } from '../age.ts';
import { AGE, col, list, NAME, spec, status, str, type Printer } from './format.ts';

/** "pods: 2/10, requests.cpu: 0/1" under Request; resources named "limits.*" under Limit. */
function quotaColumns(q: KObject): [string, string] {
  const used = (status(q).used ?? {}) as Record<string, string>;
  const hard = (status(q).hard ?? {}) as Record<string, string>;
  const request: string[] = [];
  const limit: string[] = [];
  for (const r of Object.keys(spec(q).hard ?? {}).sort()) {
    (r.split('.')[0] === 'limits' && r.includes('.') ? limit : request).push(`${r}: ${used[r] ?? '0'}/${hard[r] ?? '0'}`);
  }
  return [request.join(', '), limit.join(', ')];
}

export const resourcequotas: Printer = {
  columns: [
    NAME, AGE,
    col('Request', 'string', 'Request represents a minimum amount of cpu/memory that a container may consume.'),
    col('Limit', 'string', 'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.'),
  ],
  print: (o, now) => ({ cells: [o.metadata.name, ageSince(o.metadata.creationTimestamp, now), ...quotaColumns(o)] }),
};

/** rbac.SubjectsStrings: users, groups and "namespace/name" service accounts, each ", "-joined. */
function subjects(b: KObject): string[] {
  const of = (kind: string) => list(b.subjects).filter((s) => s.kind === kind);
  return [
    of('User').map((s) => str(s.name)).join(', '),
    of('Group').map((s) => str(s.name)).join(', '),
    of('ServiceAccount').map((s) => `${str(s.namespace)}/${str(s.name)}`).join(', '),
  ];
}

const bindingPrinter: Printer = {
  columns: [
    NAME,
    col('Role', 'string', 'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace.'),
    AGE,
    col('Users', 'string', 'Users in the roleBinding', true),
    col('Groups', 'string', 'Groups in the roleBinding', true),
    col('ServiceAccounts', 'string', 'ServiceAccounts in the roleBinding', true),
  ],
  print: (o, now) => {
    const ref = (o.roleRef ?? {}) as Record<string, unknown>;
    return { cells: [o.metadata.name, `${str(ref.kind)}/${str(ref.name)}`, ageSince(o.metadata.creationTimestamp, now), ...subjects(o)] };
  },
};

export const rolebindings = bindingPrinter;
export const clusterrolebindings = bindingPrinter;
