// Watch from a revision: the log first, then live events, with no gap and no duplicate at the seam.
//
// The seam is handled the way an informer's "list then watch" must be, but inside one process:
//   1. subscribe to the live stream FIRST and buffer what arrives;
//   2. note the head at that same instant (every event ≤ head is durable in the log, every event
//      > head will come through the live stream);
//   3. read (fromRev, head] from the log and deliver it;
//   4. deliver the buffer, skipping anything ≤ the last rev delivered, then pass live events through.
// Example: watch(100) while head = 250 and commits continue: 101..250 come from the log; 251, 252…
// arrive live during the read and wait in the buffer; then the buffer drains and live takes over.

import { Observable, type Subject } from 'rxjs';
import type { Event } from '../core/events.ts';
import { badRequest } from '../core/errors.ts';

export interface WatchSource {
  head(): number;
  live: Subject<Event>;
  read(fromRev: number, toRev: number): AsyncIterable<Event>;
}

export function watchFrom(src: WatchSource, fromRev: number): Observable<Event> {
  return new Observable<Event>((sub) => {
    const head = src.head();
    if (!Number.isInteger(fromRev) || fromRev < 0) {
      sub.error(badRequest(`invalid resourceVersion: ${fromRev}`));
      return;
    }
    if (fromRev > head) {
      sub.error(badRequest(`Too large resource version: ${fromRev}, current resource version: ${head}`));
      return;
    }
    let last = fromRev;
    let replaying = true;
    let completed = false;
    const buffer: Event[] = [];
    const deliver = (e: Event) => {
      if (e.rev <= last) return;
      last = e.rev;
      sub.next(e);
    };
    const live = src.live.subscribe({
      next: (e) => (replaying ? buffer.push(e) : deliver(e)),
      error: (err) => sub.error(err),
      complete: () => (replaying ? (completed = true) : sub.complete()),
    });
    (async () => {
      for await (const e of src.read(fromRev, head)) {
        if (sub.closed) return;
        deliver(e);
      }
      for (const e of buffer) deliver(e);
      buffer.length = 0;
      replaying = false;
      if (completed) sub.complete();
    })().catch((err) => sub.error(err));
    return () => live.unsubscribe();
  });
}
