// The working state of one deployment reconcile. The real controller makes one API call per step
// (scale this replica set, update that status) and returns; here every step edits private copies,
// and the plan turns what changed into one atomic commit: replica set creates and updates, deletions,
// the deployment's own update (annotations + status), and the events to record.

import type { Mutation } from '../../core/events.ts';
import { deepEqual } from '../../core/metadata.ts';
import type { ReadView } from '../../store/store.ts';
import { recordEvent, type EventRecord } from '../events.ts';
import { COMPONENT, DEPLOYMENTS, REPLICASETS, type Deployment, type ReplicaSet } from './util.ts';

/** Thrown by a step that must stop the sync (a hash collision): the writes planned so far are the result. */
export class Halt extends Error {}

export class Plan {
  /** The deployment as it will be written (annotations and status edited in place). */
  readonly d: Deployment;
  /** Working copies of the replica sets this deployment owns, including any it creates. */
  readonly rss: ReplicaSet[];
  requeueAfter?: number;
  private readonly created = new Set<ReplicaSet>();
  private readonly changed = new Set<ReplicaSet>();
  private readonly deleted: ReplicaSet[] = [];
  private readonly events: Omit<EventRecord, 'object'>[] = [];

  constructor(
    private readonly original: Deployment,
    owned: ReplicaSet[],
    readonly now: number,
    readonly view: ReadView,
  ) {
    this.d = structuredClone(original);
    this.rss = owned.map((rs) => structuredClone(rs));
  }

  create(rs: ReplicaSet): void {
    this.rss.push(rs);
    this.created.add(rs);
  }

  /** Mark a working copy as edited. */
  touch(rs: ReplicaSet): void {
    if (!this.created.has(rs)) this.changed.add(rs);
  }

  remove(rs: ReplicaSet): void {
    this.deleted.push(rs);
  }

  event(type: EventRecord['type'], reason: string, message: string): void {
    this.events.push({ type, reason, message });
  }

  writes(): Mutation[] {
    const out: Mutation[] = [];
    for (const rs of this.created) out.push({ op: 'create', res: REPLICASETS, object: rs });
    for (const rs of this.changed) out.push({ op: 'update', res: REPLICASETS, object: rs });
    for (const rs of this.deleted) {
      out.push({ op: 'delete', res: REPLICASETS, ns: rs.metadata.namespace ?? '', name: rs.metadata.name!, expectedRV: rs.metadata.resourceVersion });
    }
    if (!deepEqual(this.d, this.original)) out.push({ op: 'update', res: DEPLOYMENTS, object: this.d });
    for (const e of this.events) out.push(recordEvent(COMPONENT, { ...e, object: this.original }, this.now));
    return out;
  }
}
