// What every route needs: the store (the only way state is read or changed) and the clock (the only
// source of time: Table ages, deletion timestamps, bookmarks, watch timeouts).

import type { FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.ts';
import type { Actor } from '../core/events.ts';
import type { Store } from '../store/store.ts';
import { requestUser } from './auth/user.ts';
import type { ReplayService } from './rewind/replays.ts';

export interface ApiContext {
  store: Store;
  clock: Clock;
  /** Interval between watch BOOKMARK events when a client allows them (apiserver: about a minute). */
  bookmarkEveryMs: number;
  /** Unsent bytes a watcher may fall behind by before its watch is closed with 410 (api/watch-buffer.ts). */
  watchBufferBytes: number;
  /** Replays of uploaded traces into this server (rewind.dev replays); absent: not offered. */
  replays?: ReplayService;
}

/** Who a request writes as: its authenticated (or impersonated) user, with the User-Agent. */
export function actorOf(req: FastifyRequest): Actor {
  const user = requestUser(req);
  const actor: Actor = { kind: 'user', name: user.name, groups: user.groups };
  const ua = req.headers['user-agent'];
  if (ua) actor.userAgent = ua;
  return actor;
}
