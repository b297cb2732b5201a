// Comparing two timelines (two data directories — an original and its fork, or two scenario runs) at
// the same time relative to each one's start: "+120s" is 120 s after each log's first event. The
// result has the shape of a point diff (api/rewind/diff.ts): objects only in B are "created", only in
// A "deleted", in both but different "changed".

import { RESOURCES } from '../core/registry.ts';
import { parseDuration } from '../core/point.ts';
import type { ObjectChange, PointDiff } from '../api/rewind/diff.ts';
import { patchBetween } from '../api/rewind/changes.ts';
import type { KObject } from '../core/object.ts';
import type { ReadView, Store } from '../store/store.ts';

export async function diffTimelines(a: Store, b: Store, offset: string, scope: { res?: string; ns?: string; name?: string } = {}): Promise<PointDiff> {
  const ms = parseDuration(offset.startsWith('+') || offset.startsWith('-') ? offset : `+${offset}`);
  if (ms === undefined) throw new Error(`--at: "${offset}" is not a time relative to the timelines' start (+120s, +5m)`);
  const [va, vb] = await Promise.all([viewAfter(a, ms), viewAfter(b, ms)]);
  const out: PointDiff = { from: va.rev, to: vb.rev, created: [], deleted: [], changed: [] };
  const resources = scope.res ? [scope.res] : [...new Set(RESOURCES.map((r) => r.res))];
  for (const res of resources) {
    const left = byKey(va, res, scope);
    const right = byKey(vb, res, scope);
    for (const key of [...new Set([...left.keys(), ...right.keys()])].sort()) {
      const before = left.get(key);
      const after = right.get(key);
      const o = (before ?? after)!;
      const change: ObjectChange = { res, kind: o.kind ?? '', ns: o.metadata.namespace ?? '', name: o.metadata.name ?? '', before, after, patch: patchBetween(before, after) };
      if (!before) out.created.push(change);
      else if (!after) out.deleted.push(change);
      else if (change.patch.length > 0) out.changed.push(change);
    }
  }
  return out;
}

async function viewAfter(store: Store, ms: number): Promise<ReadView> {
  const first = await store.event(1);
  return store.at(first ? await store.revAtTime(first.ts + ms) : 0);
}

function byKey(view: ReadView, res: string, scope: { ns?: string; name?: string }): Map<string, KObject> {
  const items = view.list(res, { namespace: scope.ns }).items.filter((o) => !scope.name || o.metadata.name === scope.name);
  return new Map(items.map((o) => [`${o.metadata.namespace ?? ''}/${o.metadata.name ?? ''}`, o]));
}
