// Objects as a client sees them: in the version of the URL it asked (the store keeps one storage
// version per resource; HPA autoscaling/v1 and events.k8s.io/v1 are converted on the way out), with
// apiVersion and kind always set — kubectl's describe, label and `get -o yaml` fail with "Object
// 'Kind' is missing" without them (kubectl-surface.md §0.8).

import { fromStorage, toStorage } from '../core/conversion.ts';
import type { KObject } from '../core/object.ts';
import type { ListResult } from '../store/store.ts';
import { servedApiVersion, type Target } from './routes/target.ts';

/** The stored object in the served version. Returns the same object when nothing changes (lists of 10k pods stay cheap). */
export function served(obj: KObject, t: Target): KObject {
  const out = fromStorage(t.info.group, t.version, obj);
  const apiVersion = servedApiVersion(t);
  if (out.apiVersion === apiVersion && out.kind === t.info.kind) return out;
  return { ...out, apiVersion, kind: t.info.kind };
}

/** An object as a client sent it at this target, in the version the store keeps. */
export function stored(obj: KObject, t: Target): KObject {
  return toStorage({ group: t.info.group, version: t.version, kind: t.info.kind }, obj);
}

/** A `<Kind>List` with the list's resourceVersion and paging metadata. */
export function servedList(list: ListResult, t: Target): KObject {
  const metadata: Record<string, unknown> = { resourceVersion: String(list.rev) };
  if (list.continue) metadata.continue = list.continue;
  if (list.remaining !== undefined) metadata.remainingItemCount = list.remaining;
  return {
    apiVersion: servedApiVersion(t),
    kind: `${t.info.kind}List`,
    metadata,
    items: list.items.map((o) => served(o, t)),
  };
}
