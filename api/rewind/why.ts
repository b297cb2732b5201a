// The causal chain behind an object's state: its last event at the point, then the event that write
// reacted to (`cause`), and so on back to the first user write (or an event without a cause):
// "pod web-7d9c-x2b4 created by replicaset controller (rev 812) because replicaset web-7d9c
// spec.replicas 3→5 by deployment controller (rev 811) because deployment web spec.replicas 3→5
// by alice via kubectl (rev 810)".

import { rfc3339 } from '../../core/clock.ts';
import { notFound } from '../../core/errors.ts';
import type { Event } from '../../core/events.ts';
import { refOf } from '../../core/registry.ts';
import type { Store } from '../../store/store.ts';
import { describeActor } from './actor.ts';
import { describeChanges } from './changes.ts';
import type { EventHeader } from './log.ts';
import type { ObjectRef } from './query.ts';

/** A chain longer than this is cut: causes always point back in time, so it only guards against odd logs. */
const MAX_LINKS = 64;

export interface ChainLink extends EventHeader {
  changes: string[];
  /** This link as a phrase: "deployment web spec.replicas 3→5 by alice via kubectl (rev 810)". */
  text: string;
}

export async function causalChain(store: Store, ref: ObjectRef, atRev: number): Promise<ChainLink[]> {
  let e = await lastEvent(store, ref, atRev);
  if (!e) throw notFound(refOf(ref.info.res), ref.name);
  const chain: ChainLink[] = [];
  while (e && chain.length < MAX_LINKS) {
    chain.push(await linkOf(store, e));
    if (e.actor.kind === 'user' || e.cause === undefined || e.cause >= e.rev) break;
    e = await store.event(e.cause);
  }
  return chain;
}

/**
 * The object's last event at `atRev`: the one its resourceVersion names while it exists (one read),
 * else the last of its history (its deletion). Reading the whole history decoded every revision of a
 * busy object (a hundred for a pod updated a hundred times) to use the last one.
 */
async function lastEvent(store: Store, ref: ObjectRef, atRev: number): Promise<Event | undefined> {
  const alive = (await store.at(atRev)).get(ref.info.res, ref.ns, ref.name);
  if (alive) return store.event(Number(alive.metadata.resourceVersion));
  return (await store.history(ref.info.res, ref.ns, ref.name, { toRev: atRev })).at(-1);
}

/** The whole chain as one sentence. */
export const chainText = (chain: ChainLink[]) => chain.map((l) => l.text).join(' because ');

async function linkOf(store: Store, e: Event): Promise<ChainLink> {
  const before = e.type === 'MODIFIED' ? (await store.at(e.rev - 1)).get(e.res, e.ns, e.name) : undefined;
  const changes = e.type === 'MODIFIED' ? describeChanges(before, e.object) : [];
  const what = e.type === 'ADDED' ? 'created' : e.type === 'DELETED' ? 'deleted' : changes.slice(0, 3).join(', ') || 'updated';
  const kind = e.object.kind ?? e.res;
  return {
    rev: e.rev,
    time: rfc3339(e.ts),
    type: e.type,
    res: e.res,
    kind,
    ns: e.ns,
    name: e.name,
    actor: e.actor,
    changes,
    text: `${kind.toLowerCase()} ${e.name} ${what} by ${describeActor(e.actor)} (rev ${e.rev})`,
  };
}
