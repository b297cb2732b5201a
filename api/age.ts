// Human durations as kubectl prints them in AGE-like columns: apimachinery's
// k8s.io/apimachinery/pkg/util/duration.HumanDuration, and the printers' translateTimestampSince.
// Precision drops as the duration grows: "45s", "3m12s", "15m", "5h30m", "20h", "2d3h", "30d",
// "2y45d", "10y". More than one second in the future is "<invalid>" (clock skew is tolerated).

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

/** `whole` plus `part` when `part` is not zero: ("2d", 3, "h") → "2d3h", ("2d", 0, "h") → "2d". */
const withPart = (whole: string, part: number, unit: string) => (part === 0 ? whole : `${whole}${part}${unit}`);

/** HumanDuration of a duration in milliseconds. */
export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 2 * MINUTE) return `${seconds}s`;
  const minutes = Math.floor(seconds / MINUTE);
  if (minutes < 10) return withPart(`${minutes}m`, seconds % MINUTE, 's');
  if (minutes < 3 * 60) return `${minutes}m`;
  const hours = Math.floor(seconds / HOUR);
  if (hours < 8) return withPart(`${hours}h`, minutes % 60, 'm');
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(seconds / DAY);
  if (hours < 24 * 8) return withPart(`${days}d`, hours % 24, 'h');
  if (seconds < 2 * YEAR) return `${days}d`;
  const years = Math.floor(seconds / YEAR);
  if (seconds < 8 * YEAR) return withPart(`${years}y`, days % 365, 'd');
  return `${years}y`;
}

/** translateTimestampSince: the age of an RFC 3339 timestamp at `now` (ms), "<unknown>" when unset. */
export function ageSince(timestamp: unknown, now: number): string {
  if (typeof timestamp !== 'string' || timestamp === '') return '<unknown>';
  const at = Date.parse(timestamp);
  return Number.isNaN(at) ? '<unknown>' : humanDuration(now - at);
}
