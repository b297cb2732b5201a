import t from 'tap';
import {
  annotationsTooLarge,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isPathSegmentName,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  nameRuleFor,
} from '../../core/names.ts';

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const QNAME_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

type Row = [string, string[]];

function check(t: Tap, name: string, fn: (s: string) => string[], rows: Row[]) {
  t.test(name, async (t) => {
    for (const [input, want] of rows) t.same(fn(input), want, JSON.stringify(input));
  });
}
type Tap = typeof t;

check(t, 'DNS-1123 subdomain (most kinds)', isDNS1123Subdomain, [
  ['nginx', []], // plain name
  ['my-app.v2', []], // dots and dashes inside
  ['0abc', []], // may start with a digit
  ['a'.repeat(253), []], // exactly the limit
  ['Foo_Bar', [SUBDOMAIN_MSG]], // uppercase and underscore
  ['-web', [SUBDOMAIN_MSG]], // must start with an alphanumeric
  ['web.', [SUBDOMAIN_MSG]], // must end with an alphanumeric
  ['', [SUBDOMAIN_MSG]], // empty
  ['a'.repeat(254), ['must be no more than 253 characters']], // one over the limit
]);

check(t, 'DNS-1123 label (namespaces, container names)', isDNS1123Label, [
  ['kube-system', []], // dashes inside
  ['123', []], // digits only
  ['a'.repeat(63), []], // exactly the limit
  ['a.b', [LABEL_MSG]], // no dots in a label
  ['Web', [LABEL_MSG]], // uppercase
  ['a'.repeat(64), ['must be no more than 63 characters']], // one over the limit
]);

check(t, 'DNS-1035 label (services)', isDNS1035Label, [
  ['my-svc', []], // letters and dash
  ['svc1', []], // digit at the end
  ['1svc', [DNS1035_MSG]], // must start with a letter
  ['my_svc', [DNS1035_MSG]], // underscore
  ['a'.repeat(64), ['must be no more than 63 characters']], // over the limit
]);

check(t, 'path segment names (RBAC)', isPathSegmentName, [
  ['system:controller:deployment', []], // colons are fine
  ['Admin_Role', []], // case and underscores are fine
  ['.', ["may not be '.'"]], // current directory
  ['..', ["may not be '..'"]], // parent directory
  ['a/b', ["may not contain '/'"]], // slash
  ['a%b/c', ["may not contain '/'", "may not contain '%'"]], // both characters
]);

check(t, 'qualified names (label and annotation keys)', isQualifiedName, [
  ['app', []], // bare name
  ['app.kubernetes.io/name', []], // DNS prefix
  ['My_Key.1', []], // case, underscore and dot inside
  ['a'.repeat(63), []], // name part at the limit
  ['-app', [QNAME_MSG]], // must start with an alphanumeric
  ['/app', ['prefix part must be non-empty']], // empty prefix
  ['Example.com/app', [`prefix part ${SUBDOMAIN_MSG}`]], // prefix must be lowercase
  ['example.com/', ['name part must be non-empty', QNAME_MSG]], // empty name
  ['a'.repeat(64), ['name part must be no more than 63 characters']], // name part too long
  [
    'a/b/c',
    [
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
    ],
  ], // two slashes
]);

check(t, 'label values', isValidLabelValue, [
  ['', []], // empty is allowed
  ['v1.2_beta-3', []], // full charset
  ['a'.repeat(63), []], // at the limit
  ['-x', [VALUE_MSG]], // must start with an alphanumeric
  ['a b', [VALUE_MSG]], // no spaces
  ['a'.repeat(64), ['must be no more than 63 characters']], // over the limit
]);

check(t, 'ConfigMap and Secret keys', isConfigMapKey, [
  ['game.properties', []], // file-like key
  ['KEY_NAME', []], // env-like key
  ['.hidden', []], // leading dot is allowed
  [
    'a b',
    [
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
    ],
  ], // space
  ['..', ["must not be '..'"]], // parent directory
  ['..data', ["must not start with '..'"]], // the volume's own metadata directory
]);

check(t, 'env var names', isEnvVarName, [
  ['MY_VAR', []], // classic
  ['my.var-1', []], // relaxed charset
  [
    '1VAR',
    [
      "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
    ],
  ], // starts with a digit
]);

check(t, 'port names (IANA_SVC_NAME)', isValidPortName, [
  ['http', []], // letters
  ['http-8080', []], // letters, digits and a dash
  ['8080', ['must contain at least one letter (a-z)']], // digits only
  ['Http', ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)']], // uppercase
  ['a--b', ['must not contain consecutive hyphens']], // double dash
  ['-ab', ['must not begin or end with a hyphen']], // leading dash
  ['abcdefghijklmnop', ['must be no more than 15 characters']], // 16 characters
]);

t.test('port numbers', async (t) => {
  // [port, valid?]
  const rows: [number, boolean][] = [
    [1, true], // lowest
    [65535, true], // highest
    [0, false], // zero
    [65536, false], // too high
    [80.5, false], // not an integer
  ];
  for (const [p, ok] of rows) t.same(isValidPortNum(p), ok ? [] : ['must be between 1 and 65535, inclusive'], String(p));
});

t.test('annotations total size limit is 256 KiB', async (t) => {
  t.equal(annotationsTooLarge({ k: 'x'.repeat(256 * 1024 - 1) }), false, 'key + value at the limit');
  t.equal(annotationsTooLarge({ k: 'x'.repeat(256 * 1024) }), true, 'one byte over');
});

t.test('name rule per resource (seed 004)', async (t) => {
  // [storage key, rule]
  const rows: [string, (s: string) => string[]][] = [
    ['v1/namespaces', isDNS1123Label], // namespaces are DNS labels
    ['v1/services', isDNS1035Label], // services are DNS-1035 labels
    ['rbac.authorization.k8s.io/v1/clusterroles', isPathSegmentName], // RBAC: path segments
    ['rbac.authorization.k8s.io/v1/rolebindings', isPathSegmentName], // RBAC: path segments
    ['v1/nodes', isDNS1123Subdomain], // nodes are subdomains
    ['apps/v1/deployments', isDNS1123Subdomain], // default rule
  ];
  for (const [res, rule] of rows) t.equal(nameRuleFor(res), rule, res);
});
