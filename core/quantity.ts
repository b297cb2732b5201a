// Resource quantities ("500m", "1.5", "128Mi", "1e3", "2G") as apimachinery's resource.Quantity
// reads them: a signed decimal number with a binary-SI suffix (Ki Mi Gi Ti Pi Ei = powers of 1024),
// a decimal-SI suffix (n u m "" k M G T P E = powers of 1000) or a decimal exponent (e3, E-2).
// Values are plain numbers in base units: parseQuantity("500m") = 0.5, parseQuantity("1Gi") = 2^30.
// That is exact enough to compare requests with limits and to sum pod requests against node
// capacity; it is not meant to re-print a quantity (the stored object keeps the user's text).

/** The text apimachinery answers when a quantity does not parse (resource.ErrFormatWrong). */
export const QUANTITY_FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** Binary-SI suffixes as powers of two; decimal-SI suffixes as powers of ten. */
const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY = /^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(?:([eE][-+]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?)$/;

/** The quantity in base units, or undefined when the text is not a quantity. JSON numbers are taken as is. */
export function parseQuantity(q: unknown): number | undefined {
  if (typeof q === 'number') return Number.isFinite(q) ? q : undefined;
  if (typeof q !== 'string') return undefined;
  const m = QUANTITY.exec(q.trim());
  if (!m) return undefined;
  const [, digits, exponent, suffix] = m;
  if (suffix && suffix in BINARY) return Number(digits) * 2 ** BINARY[suffix];
  // Decimal scaling through the number's text, so "100u" is exactly 1e-4 and not 100 × 1e-6.
  return Number(`${digits}e${exponent ? Number(exponent.slice(1)) : DECIMAL[suffix ?? '']}`);
}

const DECIMAL_STEPS: Array<[string, number]> = [['E', 1e18], ['P', 1e15], ['T', 1e12], ['G', 1e9], ['M', 1e6], ['k', 1e3]];
const BINARY_STEPS: Array<[string, number]> = [['Ei', 2 ** 60], ['Pi', 2 ** 50], ['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]];

/**
 * A quantity as resource.Quantity's String() prints it: in the format it was written in (binary-SI
 * when it has a Ki…Ei suffix, else decimal-SI), with the largest suffix that keeps the number whole —
 * "1.5" → "1500m", "1024Mi" → "1Gi", "0.5Gi" → "512Mi", "2000M" → "2G", "1500" → "1500". A fraction
 * of a base unit is written in m (or u, n). Undefined when the text is not a quantity.
 */
export function canonicalQuantity(text: unknown): string | undefined {
  const v = parseQuantity(text);
  if (v === undefined) return undefined;
  return formatQuantity(v, typeof text === 'string' && /(Ki|Mi|Gi|Ti|Pi|Ei)$/.test(text.trim()));
}

/** An amount in base units as resource.Quantity prints it, binary-SI (`binary`) or decimal-SI. */
export function formatQuantity(v: number, binary: boolean): string {
  if (Number.isInteger(v)) {
    if (v === 0) return '0';
    for (const [suffix, size] of binary ? BINARY_STEPS : DECIMAL_STEPS) if (Math.abs(v) >= size && v % size === 0) return `${v / size}${suffix}`;
    return String(v);
  }
  for (const [suffix, scale] of [['m', 1e3], ['u', 1e6], ['n', 1e9]] as const) {
    const scaled = Math.round(v * scale);
    if (Math.abs(scaled - v * scale) < 1e-6 || suffix === 'n') return `${scaled}${suffix}`;
  }
  return String(v);
}
