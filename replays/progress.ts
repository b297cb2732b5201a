// Progress for long replays, imports and records: a cli-progress bar on stderr with events/s, or
// nothing with --quiet (and nothing when stderr is not a terminal, so logs stay clean).

import { SingleBar } from 'cli-progress';

export interface Progress {
  start(total: number): void;
  tick(n?: number): void;
  stop(): void;
}

export const QUIET: Progress = { start: () => {}, tick: () => {}, stop: () => {} };

/** `unit`: what is counted (an upload counts KiB). */
export function progressBar(label: string, quiet: boolean, unit = 'events'): Progress {
  if (quiet || !process.stderr.isTTY) return QUIET;
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | {speed} ${unit}/s | {duration_formatted}`,
    hideCursor: true,
  });
  let done = 0;
  let began = 0;
  let drawn = 0;
  return {
    start: (total) => {
      began = drawn = performance.now();
      bar.start(total, 0, { speed: 0 });
    },
    tick: (n = 1) => {
      done += n;
      // Redraw every 1000 counted, or every 100 ms for a slow (paced) replay: the bar costs more
      // than an imported event.
      const now = performance.now();
      if (done % 1000 >= n && now - drawn < 100) return;
      drawn = now;
      bar.update(done, { speed: Math.round(done / Math.max(0.001, (now - began) / 1000)) });
    },
    stop: () => {
      bar.update(done);
      bar.stop();
    },
  };
}
