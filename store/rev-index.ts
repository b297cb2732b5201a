// The per-object history index, in memory: object key ("res|ns|name") → the ascending revs of every
// event of that object. It answers "which event holds this object as of rev r" with a binary search,
// so a point read in the past costs O(log n) plus one `e` get, and stays synchronous.
//
// It also answers "which events hold the objects of a resource as of rev r" (a list in the past):
// the objects of each resource are kept sorted by (namespace, name) — the order of a Kubernetes list —
// and a DELETED event is stored as its negated rev, so the revs of the objects alive at r are found
// without reading the log, a binary search each, over the resource's objects that may have lived at r
// (the long-dead are set aside by the span of revs they lived in: resource-objects.ts). Worked example:
// pod a created at 5, updated at 9, deleted at 12, recreated at 20 is stored as [5, 9, -12, 20]: at
// r = 10 its event is 9, at r = 15 it is absent (-12), at r = 25 its event is 20.
//
// Persistence: not one key per event, but one segment per checkpoint (`x|rev`, keys.ts): the revs
// (negated for deletions) each object gained since the previous segment. At open the segments are
// read (a few hundred values for a million events) and the events after the newest checkpoint —
// replayed anyway to rebuild the view — add the rest. This measured 6.3 s → well under a second for a
// million events, compared with scanning a million per-event index keys, and halves the puts of every
// commit. A segment written before deletions were marked holds only positive revs: such an object then
// looks alive after its deletion, and the reader, which checks the event's type, drops it.
//
// Cost: one number per event (about 8 bytes), i.e. ~8 MB for a million events, plus one small record
// per object.

import type { Codec } from './codec.ts';
import type { Db } from './db.ts';
import { group, INDEX, revOfIndexKey } from './keys.ts';
import { lastSigned, ResourceObjects, type LiveRevs, type ObjectRevs } from './resource-objects.ts';

export type { LiveRevs, ObjectRevs };

export class RevIndex {
  private readonly objects = new Map<string, ObjectRevs>();
  private readonly byResource = new Map<string, ResourceObjects>();
  /** Fewest dead objects of a resource worth setting aside (resource-objects.ts); tests lower it. */
  constructor(private readonly minTier?: number) {}
  /** (key, signed rev) added since the last segment was written, in rev order, as parallel arrays. */
  private pendingKeys: string[] = [];
  private pendingRevs: number[] = [];
  /** How many of the pending entries are already in a written segment. */
  private written = 0;

  /** Record the event `rev` of object `key`; `deleted` for a DELETED event. Revs arrive in order. */
  add(key: string, rev: number, deleted = false, names?: { ns: string; name: string }): void {
    const known = this.objects.get(key);
    if (known) return this.addTo(known, rev, deleted);
    // A new object: its revs array made with its first rev. (An empty array's first push reserves
    // 17 slots — most objects of a big cluster never get a second event.)
    const signed = deleted ? -rev : rev;
    this.created(key, names ?? splitKey(key), [signed]);
    this.pendingKeys.push(key);
    this.pendingRevs.push(signed);
  }

  /** As `add`, for an object already looked up with `entry` (an import adds a million events to ten thousand objects). */
  addTo(entry: ObjectRevs, rev: number, deleted = false): void {
    const signed = deleted ? -rev : rev;
    entry.revs.push(signed);
    // Re-created after it was set aside as dead: back to its resource's main list.
    if (entry.tier && !deleted) this.byResource.get(entry.key.slice(0, entry.key.indexOf('|')))!.add(entry);
    // The object's own copy of the key: one string per object, not one per pending event.
    this.pendingKeys.push(entry.key);
    this.pendingRevs.push(signed);
  }

  /** The history of object `key`, created empty if it has none (`names`: its namespace and name, if at hand). */
  entry(key: string, names?: { ns: string; name: string }): ObjectRevs {
    return this.objects.get(key) ?? this.created(key, names ?? splitKey(key), []);
  }

  private created(key: string, { ns, name }: { ns: string; name: string }, revs: number[]): ObjectRevs {
    const res = key.slice(0, key.indexOf('|'));
    const entry: ObjectRevs = { key, ns, name, revs };
    this.objects.set(key, entry);
    let group = this.byResource.get(res);
    if (!group) this.byResource.set(res, (group = new ResourceObjects(this.minTier)));
    group.add(entry);
    return entry;
  }

  /** The resources that have (or had) objects. */
  resources(): string[] {
    return [...this.byResource.keys()];
  }

  /** Every rev of the object, oldest first. */
  all(key: string): number[] {
    return (this.objects.get(key)?.revs ?? []).map(Math.abs);
  }

  /** The rev of the event holding the object at `rev`: 0 if it did not exist then (or was deleted). */
  liveRev(key: string, rev: number): number {
    const revs = this.objects.get(key)?.revs;
    return revs ? Math.max(0, lastSigned(revs, rev)) : 0;
  }

  /**
   * The events holding every object of `res` (of one namespace, if given) alive at `rev`, in
   * (namespace, name) order — a list at `rev` reads exactly these events.
   */
  liveRevs(res: string, rev: number, namespace?: string): LiveRevs {
    return this.byResource.get(res)?.liveRevs(rev, namespace) ?? { keys: [], revs: [], latest: [] };
  }

  /** The events holding every object alive at `rev`, in rev order (the order an open reads them back). */
  alive(rev: number): number[] {
    return this.resources().flatMap((res) => this.liveRevs(res, rev).revs).sort((a, b) => a - b);
  }

  /**
   * The segment to write with a checkpoint at `rev`: every (key, signed rev ≤ `rev`) added since the
   * last segment (the first `limit` of them), as parallel arrays. Call `segmentWritten(count)` once
   * it is durable.
   */
  segment(rev: number, limit = Infinity): { keys: string[]; revs: number[]; count: number } {
    const start = this.written;
    let end = start;
    while (end < this.pendingRevs.length && end - start < limit && Math.abs(this.pendingRevs[end]) <= rev) end++;
    return { keys: this.pendingKeys.slice(start, end), revs: this.pendingRevs.slice(start, end), count: end - start };
  }

  /** Drop the `count` oldest pending entries (compacting the arrays once most of them are written). */
  segmentWritten(count: number): void {
    this.written += count;
    if (this.written * 2 < this.pendingRevs.length) return;
    this.pendingKeys = this.pendingKeys.slice(this.written);
    this.pendingRevs = this.pendingRevs.slice(this.written);
    this.written = 0;
  }

  /** Load every segment (in rev order); returns the index and the last rev the segments cover. */
  static async load(db: Db, codec: Codec): Promise<{ index: RevIndex; upTo: number }> {
    const index = new RevIndex();
    let upTo = 0;
    for await (const [k, v] of db.iterator(group(INDEX))) {
      const { keys, revs } = codec.decodeSegment(v);
      for (let i = 0; i < keys.length; i++) index.entry(keys[i]).revs.push(revs[i]);
      upTo = revOfIndexKey(k);
    }
    return { index, upTo };
  }
}

/** "res|ns|name" → its namespace and name (a name has no "|", a resource may: split from the end). */
function splitKey(key: string): { ns: string; name: string } {
  const last = key.lastIndexOf('|');
  const before = key.lastIndexOf('|', last - 1);
  return { ns: key.slice(before + 1, last), name: key.slice(last + 1) };
}
