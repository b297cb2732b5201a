// The store as it was at one point, for the /at/{point}/ prefix: the read handlers of routes/ take a
// Store, so the past is served by the very same handlers over this read-only Store. Reads come from
// the past view; writes are refused with 405; a watch replays the log after the point, paced by the
// recorded commit times (divided by `speed`) — so `kubectl get pods -w` under /at/ shows the past
// unfolding — and then follows live events.

import { concatMap, EMPTY, Observable, of } from 'rxjs';
import type { Clock } from '../core/clock.ts';
import { methodNotAllowed } from '../core/errors.ts';
import type { Event } from '../core/events.ts';
import type { ReadView, Store } from '../store/store.ts';

export const READ_ONLY_MESSAGE = 'the past is read-only: writes are not allowed under /at/ (use rewind revert to write an old state back)';

/** Replay pace for watches: a speed-up factor, or Infinity to send the events as fast as they are read. */
export type Speed = number;

export function pastStore(store: Store, view: ReadView, clock: Clock, speed: Speed): Store {
  return {
    rev: view.rev,
    ts: view.ts,
    get: (res, ns, name) => view.get(res, ns, name),
    list: (res, opts) => view.list(res, opts),
    prefetch: (res, namespace) => view.prefetch?.(res, namespace) ?? Promise.resolve(),
    events$: EMPTY,
    commit: () => Promise.reject(methodNotAllowed(READ_ONLY_MESSAGE)),
    at: (point) => store.at(point),
    revAtTime: (ms) => store.revAtTime(ms),
    history: (res, ns, name, range) => store.history(res, ns, name, { ...range, toRev: Math.min(range?.toRev ?? view.rev, view.rev) }),
    diff: (res, ns, name, a, b) => store.diff(res, ns, name, a, b),
    read: (from, to) => store.read(from, Math.min(to ?? view.rev, view.rev)),
    event: (rev) => (rev <= view.rev ? store.event(rev) : Promise.resolve(undefined)),
    watch: (fromRev) => paced(store.watch(fromRev), view.ts, clock, speed),
    checkpoint: () => Promise.reject(methodNotAllowed(READ_ONLY_MESSAGE)),
    close: () => Promise.resolve(),
  };
}

/**
 * Each event delayed so that it arrives (e.ts - startTs) / speed after the replay began. Events are
 * kept in order (concatMap); an event already due goes out at once.
 */
function paced(events: Observable<Event>, startTs: number, clock: Clock, speed: Speed): Observable<Event> {
  if (speed === Infinity) return events;
  const began = clock.now();
  return events.pipe(
    concatMap((e) => {
      const due = began + Math.max(0, e.ts - startTs) / speed;
      const wait = due - clock.now();
      if (wait <= 0) return of(e);
      return new Observable<Event>((sub) =>
        clock.after(wait, () => {
          sub.next(e);
          sub.complete();
        }),
      );
    }),
  );
}

/** A clock that reads `nowMs` (Table ages are computed as of the past point) but sets real timers. */
export function frozenClock(nowMs: number, timers: Clock): Clock {
  return { virtual: timers.virtual, now: () => nowMs, after: (ms, fn) => timers.after(ms, fn) };
}
