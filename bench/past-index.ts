// `npm run bench -- past-index [--json] [--dead=N]`: the history index's share of a past list in a
// long-lived, churning cluster — N pods (default 1,000,000) created and deleted one after another
// (a CronJob's), then 10,000 that stay. Measures, for a list of pods: the first list (sorts every
// object and sets the dead aside, store/resource-objects.ts), then the median of 50 lists at the
// head and in the middle of the history; and, as the baseline in the same run, the same lists with
// nothing set aside (every object ever had scanned). Only the index is timed: reading and decoding
// the events it names is the replay benchmark's "at list".

import { performance } from 'node:perf_hooks';
import { RevIndex } from '../store/rev-index.ts';
import { median } from './measure.ts';

const RES = 'v1/pods';
const LIVING = 10_000;

function timed(fn: () => unknown, times: number): number {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const s = performance.now();
    fn();
    ms.push(performance.now() - s);
  }
  return median(ms);
}

export async function run(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const dead = Number(argv.find((a) => a.startsWith('--dead='))?.slice(7) ?? 1_000_000);
  const build = (minTier?: number) => {
    const index = new RevIndex(minTier);
    let rev = 0;
    for (let i = 0; i < dead; i++) {
      const key = `${RES}|ns-${i % 10}|job-${i.toString(36)}`;
      index.add(key, ++rev);
      index.add(key, ++rev, true);
    }
    for (let i = 0; i < LIVING; i++) index.add(`${RES}|ns-${i % 10}|web-${i.toString(36)}`, ++rev);
    return { index, head: rev, middle: Math.floor(rev / 2) };
  };
  const lists = ({ index, head, middle }: ReturnType<typeof build>) => ({
    firstListMs: Math.round(timed(() => index.liveRevs(RES, head), 1)),
    headListMs: +timed(() => index.liveRevs(RES, head), 50).toFixed(3),
    middleListMs: +timed(() => index.liveRevs(RES, middle), 50).toFixed(3),
  });
  const tiered = lists(build());
  const flat = lists(build(Infinity));
  const report = { dead, living: LIVING, ...tiered, flatHeadListMs: flat.headListMs, flatMiddleListMs: flat.middleListMs };
  if (!json) {
    console.log(`${dead} pods come and gone, ${LIVING} living`);
    console.log(`first list (sort, set the dead aside)  ${report.firstListMs} ms`);
    console.log(`list at the head                        ${report.headListMs} ms (median of 50; nothing set aside: ${report.flatHeadListMs} ms)`);
    console.log(`list in the middle of the history       ${report.middleListMs} ms (median of 50; nothing set aside: ${report.flatMiddleListMs} ms)`);
  }
  console.log(JSON.stringify(report));
}
