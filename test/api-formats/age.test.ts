import t from 'tap';
import { ageSince, humanDuration } from '../../api/age.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

t.test('humanDuration matches apimachinery duration.HumanDuration', async (t) => {
  const rows: [number, string][] = [
    [-5 * S, '<invalid>'], // future beyond the 1s skew allowance
    [-1 * S, '0s'], // skew tolerated
    [0, '0s'],
    [45 * S + 900, '45s'], // truncated, not rounded
    [119 * S, '119s'], // seconds up to two minutes
    [2 * M, '2m'],
    [3 * M + 12 * S, '3m12s'],
    [15 * M + 30 * S, '15m'], // seconds dropped from ten minutes on
    [179 * M, '179m'], // minutes up to three hours
    [3 * H, '3h'],
    [5 * H + 30 * M, '5h30m'],
    [20 * H + 59 * M, '20h'],
    [47 * H, '47h'],
    [2 * D + 3 * H, '2d3h'],
    [2 * D, '2d'],
    [8 * D + 5 * H, '8d'],
    [729 * D, '729d'],
    [2 * 365 * D + 45 * D, '2y45d'],
    [3 * 365 * D, '3y'],
    [10 * 365 * D + 100 * D, '10y'],
  ];
  for (const [ms, want] of rows) t.equal(humanDuration(ms), want, `${ms}ms`);
});

t.test('ageSince reads RFC 3339 timestamps', async (t) => {
  const now = Date.parse('2026-01-01T00:10:00Z');
  t.equal(ageSince('2026-01-01T00:06:48Z', now), '3m12s');
  t.equal(ageSince(undefined, now), '<unknown>');
  t.equal(ageSince('', now), '<unknown>');
  t.equal(ageSince('not a time', now), '<unknown>');
});
