// Small measuring helpers shared by the benchmarks: operations per second, percentiles.

/** Operations per second of `fn` over about `ms` milliseconds, after a quarter of that as JIT warm-up. */
export function rate(fn: () => unknown, ms = 1000): number {
  for (const end = performance.now() + ms / 4; performance.now() < end; ) fn();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    fn();
    n++;
  }
  return Math.round(n / ((performance.now() - start) / 1000));
}

/** The p-th percentile (0–100, nearest rank) of `xs`; `xs` need not be sorted and is not changed. */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export const median = (xs: number[]): number => percentile(xs, 50);
