// Replaying a trace into this running server (POST /apis/rewind.dev/v1/replays, docs/TRACES.md):
// what the routes need from a replayer. replays/live-replay.ts implements it and bin/serve.ts plugs
// it in — the api layer does not import replays/, the dependency points from replays to api.

import type { Observable } from 'rxjs';

export interface ReplaySpec {
  /** recorded: every event of the trace; rederive: only its inputs (user and system writes). */
  mode: 'recorded' | 'rederive';
  /** Recorded gaps are divided by this; Infinity ("max") writes without waiting. */
  speed: number;
  /** Stop after this point of the trace (replays/replay.ts untilTest). */
  until?: string;
}

export type ReplayPhase = 'Running' | 'Succeeded' | 'Failed';

/** A replay as the API shows it (`kind: Replay`). */
export interface ReplayObject {
  apiVersion: 'rewind.dev/v1';
  kind: 'Replay';
  metadata: { name: string };
  spec: { mode: ReplaySpec['mode']; speed: string; until?: string; trace: { from: number; to: number; events: number; source: string } };
  status: {
    phase: ReplayPhase;
    /** Events of the trace to write, written so far, and refused by the server (see message). */
    total: number;
    applied: number;
    skipped: number;
    /** The server's head before the first replayed write, and the rev of the last one. */
    startRev: number;
    lastRev: number;
    message?: string;
    /** Set when the picture will not be the trace alone (recorded mode while controllers run). */
    warning?: string;
  };
}

/** A write the replay will make, for the caller's authorization before anything is written. */
export interface WriteIntent {
  res: string;
  ns: string;
  verb: 'create' | 'update' | 'delete';
}

export interface PreparedReplay {
  writes: WriteIntent[];
  /** Begin writing (in the background); the replay's first state. Conflict if another replay began meanwhile. */
  start(): ReplayObject;
  /** Drop the upload without replaying it (its writes were not authorized). */
  discard(): void;
}

export interface ReplayService {
  /**
   * Read the uploaded trace as it arrives, all of it, keeping at most a bounded part in memory;
   * rejects with BadRequest for a body that is not one whole trace, Conflict while another replay
   * runs. Nothing is written before start().
   */
  prepare(upload: AsyncIterable<Buffer>, spec: ReplaySpec): Promise<PreparedReplay>;
  get(name: string): ReplayObject | undefined;
  /** The replay's state now and at each change; completes when it has ended. */
  follow(name: string): Observable<ReplayObject> | undefined;
}
