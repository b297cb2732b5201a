// A CronJob's schedule as kube-apiserver checks it: robfig/cron v3's ParseStandard — five fields
// (minute hour day-of-month month day-of-week) or a descriptor (@hourly, @daily, @every 1h…), an
// optional TZ=/CRON_TZ= prefix — with its error texts, which become the 422's detail:
//
//   "61 * * * *"  → "end of range (61) above maximum (59): 61"
//   "*/5 * * *"   → "expected exactly 5 fields, found 4: [*/5 * * *]"
//   "0 9 * * MON-FRI" parses (names are case-insensitive; `?` is `*`).

interface Bounds {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

const FIELDS: Bounds[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: Object.fromEntries(MONTHS.map((m, i) => [m, i + 1])) },
  { min: 0, max: 6, names: Object.fromEntries(DAYS.map((d, i) => [d, i])) },
];

const DESCRIPTORS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** Why `spec` is not a standard cron schedule, or undefined when it is one. */
export function cronScheduleError(spec: string): string | undefined {
  if (spec.length === 0) return 'empty spec string';
  let rest = spec;
  if (rest.startsWith('TZ=') || rest.startsWith('CRON_TZ=')) {
    const space = rest.indexOf(' ');
    const zone = rest.slice(rest.indexOf('=') + 1, space < 0 ? undefined : space);
    if (!isTimeZone(zone)) return `provided bad location ${zone}: unknown time zone ${zone}`;
    rest = space < 0 ? '' : rest.slice(space).trim();
  }
  if (rest.startsWith('@')) return descriptorError(rest);
  const fields = rest.split(/\s+/).filter(Boolean);
  if (fields.length !== FIELDS.length) return `expected exactly ${FIELDS.length} fields, found ${fields.length}: [${fields.join(' ')}]`;
  for (const [i, field] of fields.entries()) {
    for (const expr of field.split(',').filter(Boolean)) {
      const error = rangeError(expr, FIELDS[i]);
      if (error) return error;
    }
  }
  return undefined;
}

/** Go's time.LoadLocation for an IANA zone name, as Intl knows them. */
export function isTimeZone(zone: string): boolean {
  if (zone === '' || zone === 'UTC' || zone === 'Local') return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function descriptorError(spec: string): string | undefined {
  if (DESCRIPTORS.includes(spec)) return undefined;
  if (spec.startsWith('@every ')) {
    const text = spec.slice('@every '.length);
    return /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(text) ? undefined : `failed to parse duration ${spec}: time: invalid duration "${text}"`;
  }
  return `unrecognized descriptor: ${spec}`;
}

/** getRange: `*`, `?`, `N`, `N-M`, each with an optional `/step`. */
function rangeError(expr: string, b: Bounds): string | undefined {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0].split('-');
  let start = b.min;
  let end = b.max;
  if (lowAndHigh[0] !== '*' && lowAndHigh[0] !== '?') {
    const low = intOrName(lowAndHigh[0], b);
    if (typeof low === 'string') return low;
    if (lowAndHigh.length > 2) return `too many hyphens: ${expr}`;
    const high = lowAndHigh.length === 2 ? intOrName(lowAndHigh[1], b) : low;
    if (typeof high === 'string') return high;
    start = low;
    end = high;
  }
  let step = 1;
  if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (rangeAndStep.length === 2) {
    const parsed = intOrName(rangeAndStep[1], { ...b, names: undefined });
    if (typeof parsed === 'string') return parsed;
    step = parsed;
    if (lowAndHigh.length === 1) end = b.max; // "N/step" means "N-max/step"
  }
  if (start < b.min) return `beginning of range (${start}) below minimum (${b.min}): ${expr}`;
  if (end > b.max) return `end of range (${end}) above maximum (${b.max}): ${expr}`;
  if (start > end) return `beginning of range (${start}) beyond end of range (${end}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  return undefined;
}

/** parseIntOrName: a name of the field (any case) or a non-negative integer; else the error text. */
function intOrName(text: string, b: Bounds): number | string {
  const named = b.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^[+-]?\d+$/.test(text)) return `failed to parse int from ${text}: strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`;
  const n = Number(text);
  return n < 0 ? `negative number (${n}) not allowed: ${text}` : n;
}
