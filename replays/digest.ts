// A digest of a log: sha256 over every event (rev order) as plain msgpack. Two runs that produced the
// same events — same revs, times, names, UIDs, IPs, actors and causes — have the same digest; the
// scenario runner prints it last, and determinism tests compare it.

import { createHash } from 'node:crypto';
import { Packr } from 'msgpackr';
import type { Store } from '../store/store.ts';

const packr = new Packr({ useRecords: false });

export async function logDigest(store: Store): Promise<string> {
  const h = createHash('sha256');
  for await (const e of store.read(0)) h.update(packr.pack(e));
  return h.digest('hex');
}
