// Bounded watch buffers. A watcher that does not read (a paused or stuck client) would otherwise make
// the server queue every event for it forever. Like kube-apiserver's cacher, which terminates a
// watcher whose buffer is full, a watch whose unsent bytes grow past its allowance is ended with an
// ERROR event carrying 410 Gone ("too old resource version", what client-go's reflector answers by
// re-listing or re-watching); the client resumes from the last resourceVersion it received, since
// every revision stays in the log. The allowance counts from the end of the initial ADDED burst, so a
// large first listing does not by itself close a reader that keeps up.

import type { ServerResponse } from 'node:http';
import { gone, type StatusError } from '../core/errors.ts';

/** Default unsent bytes a watcher may have queued beyond its initial burst. */
export const WATCH_BUFFER_BYTES = 4 * 1024 * 1024;

export interface WatchBudget {
  /** True once the watcher has more unsent bytes than it is allowed. */
  exceeded(): boolean;
  /** The Status the watch ends with: 410 Gone, naming the revision it can resume from. */
  closing(lastRev: number): StatusError;
}

export function watchBudget(res: ServerResponse, bytes: number): WatchBudget {
  const allowance = res.writableLength + bytes;
  return {
    exceeded: () => res.writableLength > allowance,
    closing: (lastRev) => gone(`too old resource version: ${lastRev} (the watcher fell more than ${bytes} bytes behind; watch again from resourceVersion ${lastRev})`),
  };
}
