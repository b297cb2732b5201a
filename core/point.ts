// A POINT in history, as users type it: a revision ("1234"), an RFC 3339 time
// ("2026-11-22T10:42:00Z", fractions and offsets allowed), a time relative to now ("-15m", "-2h",
// "-30s", "-1d") or "now". Relative times resolve against the clock given, so under a VirtualClock
// "-15m" means fifteen virtual minutes ago. The store's Point (number | { time }) follows directly.

import { badRequest } from './errors.ts';

export type ParsedPoint = { rev: number } | { time: number };

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const RELATIVE = /^([+-])(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
// Date-time with a mandatory zone, as RFC 3339 requires (a zone-less time would read as local time).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** Parse a POINT; `now` is the clock's current time in ms. Anything else is a BadRequest. */
export function parsePoint(text: string, now: number): ParsedPoint {
  const s = text.trim();
  if (s === 'now') return { time: now };
  if (/^\d+$/.test(s)) return { rev: Number(s) };
  const offset = parseDuration(s);
  if (offset !== undefined) return { time: now + offset };
  if (RFC3339.test(s)) {
    const ms = Date.parse(s);
    if (Number.isFinite(ms)) return { time: ms };
  }
  throw badRequest(`invalid point "${text}": expected a revision (1234), an RFC 3339 time (2026-11-22T10:42:00Z), a relative time (-15m, -2h, -30s) or "now"`);
}

/** A signed duration ("-15m", "+120s") in ms, or undefined when `s` is not one. */
export function parseDuration(s: string): number | undefined {
  const m = RELATIVE.exec(s);
  if (!m) return undefined;
  const ms = Number(m[2]) * UNIT_MS[m[3]];
  return m[1] === '-' ? -ms : ms;
}

/** The store's Point for a parsed one. */
export function storePoint(p: ParsedPoint): number | { time: number } {
  return 'rev' in p ? p.rev : { time: p.time };
}
