// Revert: write objects back as they were at a point. It is a new write (one commit, by the user who
// asked), so the revert is itself history and can be reverted. For each object:
//   existed then and now  → update now's object to then's content (keeping now's identity,
//                           resourceVersion and status: the controllers own status);
//   existed then, not now → create it again (the store stamps a new uid and creationTimestamp);
//   exists now, not then  → delete it.
// Objects whose content is already as it was are left alone.

import type { Actor, Mutation } from '../../core/events.ts';
import { clone, type KObject } from '../../core/object.ts';
import { resourceOf } from '../../core/registry.ts';
import type { ReadView, Store } from '../../store/store.ts';
import { patchBetween } from './changes.ts';

export type RevertAction = 'updated' | 'created' | 'deleted' | 'unchanged';

export interface RevertItem {
  res: string;
  kind: string;
  ns: string;
  name: string;
  action: RevertAction;
  /** The revision of the write, for items that were written. */
  rev?: number;
}

export interface RevertKey {
  res: string;
  ns: string;
  name: string;
}

export async function revert(store: Store, then: ReadView, keys: RevertKey[], actor: Actor): Promise<RevertItem[]> {
  const planned = keys.map((k) => plan(k, then.get(k.res, k.ns, k.name), store.get(k.res, k.ns, k.name)));
  const writes = planned.filter((p) => p.mutation);
  const events = writes.length ? await store.commit(writes.map((p) => p.mutation!), { actor }) : [];
  writes.forEach((p, i) => (p.item.rev = events[i].rev));
  return planned.map((p) => p.item);
}

function plan(k: RevertKey, then: KObject | undefined, now: KObject | undefined): { item: RevertItem; mutation?: Mutation } {
  const item: RevertItem = { ...k, kind: (then ?? now)?.kind ?? resourceOf(k.res)?.kind ?? '', action: 'unchanged' };
  if (then && now) {
    const object = asUpdateOf(then, now);
    if (patchBetween(now, object).length === 0) return { item };
    return { item: { ...item, action: 'updated' }, mutation: { op: 'update', res: k.res, object, expectedRV: now.metadata.resourceVersion } };
  }
  if (then) return { item: { ...item, action: 'created' }, mutation: { op: 'create', res: k.res, object: asRecreate(then) } };
  if (now) return { item: { ...item, action: 'deleted' }, mutation: { op: 'delete', res: k.res, ns: k.ns, name: k.name, expectedRV: now.metadata.resourceVersion } };
  return { item };
}

function asUpdateOf(then: KObject, now: KObject): KObject {
  const out = clone(then) as KObject & { status?: unknown };
  const { uid, resourceVersion, creationTimestamp, generation, deletionTimestamp, deletionGracePeriodSeconds } = now.metadata;
  out.metadata = { ...out.metadata, uid, resourceVersion, creationTimestamp, generation, deletionTimestamp, deletionGracePeriodSeconds };
  for (const [k, v] of Object.entries(out.metadata)) if (v === undefined) delete (out.metadata as Record<string, unknown>)[k];
  const status = (now as { status?: unknown }).status;
  if (status === undefined) delete out.status;
  else out.status = clone(status);
  return out;
}

function asRecreate(then: KObject): KObject {
  const out = clone(then) as KObject & { status?: unknown };
  const meta = out.metadata as Record<string, unknown>;
  for (const f of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'managedFields']) delete meta[f];
  delete out.status;
  return out;
}
