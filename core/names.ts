// Name, key and value rules, with apimachinery's exact message texts
// (k8s.io/apimachinery/pkg/util/validation and api/validation/path). Each validator returns the list
// of problems, empty when the value is valid, so callers can turn every message into one field cause:
//
//   isDNS1123Subdomain("Foo_Bar") → ["a lowercase RFC 1123 subdomain must consist of lower case
//   alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character
//   (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"]
//
// Seed 004 explains the three name rules kinds use: DNS-1123 subdomain (most kinds), DNS-1123 or
// DNS-1035 label (Namespace, Service), and path segment (RBAC roles and bindings).

export type NameRule = (name: string) => string[];

/** "must be no more than 63 characters" (validation.MaxLenError). */
function maxLenError(n: number): string {
  return `must be no more than ${n} characters`;
}

/** validation.RegexError: the message, the examples and the regex, in apimachinery's punctuation. */
function regexError(msg: string, fmt: string, ...examples: string[]): string {
  if (examples.length === 0) return `${msg} (regex used for validation is '${fmt}')`;
  const eg = examples.map((e, i) => `${i > 0 ? ' or ' : ''}'${e}', `).join('');
  return `${msg} (e.g. ${eg}regex used for validation is '${fmt}')`;
}

const DNS1123_LABEL_FMT = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
const DNS1035_LABEL_FMT = '[a-z]([-a-z0-9]*[a-z0-9])?';
const QUALIFIED_NAME_FMT = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE_FMT = `(${QUALIFIED_NAME_FMT})?`;
const CONFIG_MAP_KEY_FMT = '[-._a-zA-Z0-9]+';
const ENV_VAR_NAME_FMT = '[-._a-zA-Z][-._a-zA-Z0-9]*';

const DNS1123_LABEL_MAX = 63;
const DNS1123_SUBDOMAIN_MAX = 253;
const LABEL_VALUE_MAX = 63;
/** Total size of all annotation keys and values (apimachinery TotalAnnotationSizeLimitB). */
export const ANNOTATIONS_MAX_BYTES = 256 * 1024;

/** A length limit and a pattern, with the message and examples apimachinery gives when it fails. */
interface PatternRule {
  max?: number;
  fmt: string;
  whole: RegExp;
  msg: string;
  examples: string[];
}

const patternRule = (r: Omit<PatternRule, 'whole'>): PatternRule => ({ ...r, whole: new RegExp(`^${r.fmt}$`) });

/** The errors of `value` under a rule: the length message first, then the pattern message. */
function checkPattern(value: string, rule: PatternRule): string[] {
  const errs: string[] = [];
  if (rule.max !== undefined && value.length > rule.max) errs.push(maxLenError(rule.max));
  if (!rule.whole.test(value)) errs.push(regexError(rule.msg, rule.fmt, ...rule.examples));
  return errs;
}

const DNS1123_LABEL = patternRule({
  max: DNS1123_LABEL_MAX,
  fmt: DNS1123_LABEL_FMT,
  msg: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
  examples: ['my-name', '123-abc'],
});
const DNS1123_SUBDOMAIN = patternRule({
  max: DNS1123_SUBDOMAIN_MAX,
  fmt: DNS1123_SUBDOMAIN_FMT,
  msg: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
  examples: ['example.com'],
});
const DNS1035_LABEL = patternRule({
  max: DNS1123_LABEL_MAX,
  fmt: DNS1035_LABEL_FMT,
  msg: "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character",
  examples: ['my-name', 'abc-123'],
});
const LABEL_VALUE = patternRule({
  max: LABEL_VALUE_MAX,
  fmt: LABEL_VALUE_FMT,
  msg: "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  examples: ['MyValue', 'my_value', '12345'],
});
const CONFIG_MAP_KEY = patternRule({
  max: DNS1123_SUBDOMAIN_MAX,
  fmt: CONFIG_MAP_KEY_FMT,
  msg: "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
  examples: ['key.name', 'KEY_NAME', 'key-name'],
});
const ENV_VAR_NAME = patternRule({
  fmt: ENV_VAR_NAME_FMT,
  msg: "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
  examples: ['my.env-name', 'MY_ENV.NAME', 'MyEnvName1'],
});

/** A lowercase RFC 1123 label, ≤ 63: Namespace names, container names, port-less DNS parts. */
export const isDNS1123Label = (value: string): string[] => checkPattern(value, DNS1123_LABEL);

/** A lowercase RFC 1123 subdomain, ≤ 253: the name rule of most kinds. */
export const isDNS1123Subdomain = (value: string): string[] => checkPattern(value, DNS1123_SUBDOMAIN);

/** An RFC 1035 label, ≤ 63, starting with a letter: Service names (they become DNS names and env vars). */
export const isDNS1035Label = (value: string): string[] => checkPattern(value, DNS1035_LABEL);

/** Names that become one URL path segment (RBAC roles and bindings): anything but ".", ".." or "/" and "%". */
export function isPathSegmentName(value: string): string[] {
  for (const bad of ['.', '..']) if (value === bad) return [`may not be '${bad}'`];
  return ['/', '%'].filter((c) => value.includes(c)).map((c) => `may not contain '${c}'`);
}

const QUALIFIED_NAME = patternRule({
  fmt: QUALIFIED_NAME_FMT,
  msg: "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  examples: ['MyName', 'my.name', '123-abc'],
});

/** Label and annotation keys: an optional DNS subdomain prefix and "/", then a name ≤ 63. */
export function isQualifiedName(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) {
    return [
      'a qualified name ' +
        regexError(QUALIFIED_NAME.msg, QUALIFIED_NAME.fmt, ...QUALIFIED_NAME.examples) +
        " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ];
  }
  const errs: string[] = [];
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else errs.push(...isDNS1123Subdomain(prefix).map((m) => `prefix part ${m}`));
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (name.length > DNS1123_LABEL_MAX) errs.push(`name part ${maxLenError(DNS1123_LABEL_MAX)}`);
  errs.push(...checkPattern(name, QUALIFIED_NAME).map((m) => `name part ${m}`));
  return errs;
}

/** A label value: empty, or ≤ 63 of the qualified-name charset. */
export const isValidLabelValue = (value: string): string[] => checkPattern(value, LABEL_VALUE);

/** Keys that become file names in a volume must not walk out of it (validation.hasChDirPrefix). */
function chDirPrefixErrors(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** ConfigMap and Secret data keys (they become file names and env var names). */
export function isConfigMapKey(value: string): string[] {
  const errs = checkPattern(value, CONFIG_MAP_KEY);
  return errs.length > 0 ? errs : chDirPrefixErrors(value);
}

/** Container env var names. */
export const isEnvVarName = (value: string): string[] => checkPattern(value, ENV_VAR_NAME).concat(chDirPrefixErrors(value));

/** Port names (IANA_SVC_NAME): ≤ 15, lowercase alphanumerics and '-', at least one letter. */
export function isValidPortName(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(value)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!/[a-z]/.test(value)) errs.push('must contain at least one letter (a-z)');
  if (value.includes('--')) errs.push('must not contain consecutive hyphens');
  if (value.startsWith('-') || value.endsWith('-')) errs.push('must not begin or end with a hyphen');
  return errs;
}

/** Port numbers: 1–65535. */
export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? [] : ['must be between 1 and 65535, inclusive'];
}

/** Total byte size of annotation keys and values, over the limit or not (ValidateAnnotationsSize). */
export function annotationsTooLarge(annotations: Record<string, string>): boolean {
  let size = 0;
  for (const [k, v] of Object.entries(annotations)) size += Buffer.byteLength(k) + Buffer.byteLength(String(v));
  return size > ANNOTATIONS_MAX_BYTES;
}

// Which rule names each resource, as the kind's ValidateXName in pkg/apis/*/validation does. Kinds
// not listed use the DNS-1123 subdomain rule (ValidateObjectMeta's NameIsDNSSubdomain).
const NAME_RULES: Record<string, NameRule> = {
  'v1/namespaces': isDNS1123Label,
  'v1/services': isDNS1035Label,
  'rbac.authorization.k8s.io/v1/roles': isPathSegmentName,
  'rbac.authorization.k8s.io/v1/clusterroles': isPathSegmentName,
  'rbac.authorization.k8s.io/v1/rolebindings': isPathSegmentName,
  'rbac.authorization.k8s.io/v1/clusterrolebindings': isPathSegmentName,
};

/** The name rule of a storage key, e.g. "v1/services" → isDNS1035Label. */
export function nameRuleFor(res: string): NameRule {
  return NAME_RULES[res] ?? isDNS1123Subdomain;
}
