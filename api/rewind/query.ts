// Query parameters of the rewind.dev/v1 API: which object or type (`type` as a user types it,
// resolved like kubectl: deploy, deployments.apps, Deployment) and which points in history.

import type { Clock } from '../../core/clock.ts';
import { badRequest } from '../../core/errors.ts';
import { parsePoint } from '../../core/point.ts';
import { resolveTypeName, type ResourceInfo } from '../../core/registry.ts';
import type { Store } from '../../store/store.ts';
import type { Query } from '../routes/query.ts';

export interface ObjectRef {
  info: ResourceInfo;
  /** "" for cluster-scoped resources. */
  ns: string;
  name: string;
}

/** The resource named by `type`, or undefined when the parameter is absent. */
export function typeParam(q: Query): ResourceInfo | undefined {
  if (!q.type) return undefined;
  const info = resolveTypeName(q.type);
  if (!info) throw badRequest(`the server doesn't have a resource type "${q.type}"`);
  return info;
}

/** `type`, `name` and `namespace` (default "default" for namespaced types) naming one object. */
export function objectParam(q: Query): ObjectRef {
  const info = typeParam(q);
  if (!info || !q.name) throw badRequest('type and name are required (e.g. ?type=deploy&name=web&namespace=default)');
  return { info, ns: namespaceOf(info, q.namespace), name: q.name };
}

export function namespaceOf(info: ResourceInfo, ns: string | undefined): string {
  return info.scope === 'Cluster' ? '' : ns || 'default';
}

/** The revision a POINT names: itself for a revision, the last commit at or before a time. Head if absent. */
export async function revParam(store: Store, clock: Clock, text: string | undefined, name: string): Promise<number> {
  if (text === undefined || text === '') return store.rev;
  const p = parsePoint(text, clock.now());
  const rev = 'rev' in p ? p.rev : await store.revAtTime(p.time);
  if (rev > store.rev) throw badRequest(`${name}: revision ${rev} is in the future (the newest is ${store.rev})`);
  return rev;
}

/** Like revParam, but 0 (the beginning) when absent. */
export async function sinceParam(store: Store, clock: Clock, text: string | undefined): Promise<number> {
  return text === undefined || text === '' ? 0 : revParam(store, clock, text, 'since');
}
