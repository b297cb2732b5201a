import t from 'tap';
import { isStatusError } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { parseFieldSelector, parseLabelSelector, selectorFromSpec, selectorToString } from '../../core/selectors.ts';

const web = { app: 'web', env: 'prod', tier: 'frontend' };
const db = { app: 'db', env: 'devel' };
const bare: Record<string, string> = {};

/** "400 BadRequest: <message>" for a call that throws a Status error, else what it did. */
function badRequestOf(fn: () => unknown): string {
  try {
    fn();
    return 'no error';
  } catch (e) {
    if (!isStatusError(e)) throw e;
    const { code, reason, message } = e.status;
    return code === 400 && reason === 'BadRequest' ? message : `${code} ${reason}: ${message}`;
  }
}

t.test('label selector string syntax: every operator', async (t) => {
  // [selector, matches web?, matches db?, matches a pod with no labels?]
  const rows: [string, boolean, boolean, boolean][] = [
    ['', true, true, true], // empty selects everything
    ['app=web', true, false, false], // equality
    ['app==web', true, false, false], // double equals is equality
    ['app!=web', false, true, true], // inequality also matches a missing key
    ['env in (prod,devel)', true, true, false], // set membership
    ['env notin (prod)', false, true, true], // notin matches a missing key
    ['tier', true, false, false], // exists
    ['!tier', false, true, true], // does not exist
    ['app=web,env=prod', true, false, false], // comma is AND
    ['app=db,env in (prod,devel)', false, true, false], // comma inside parentheses is not AND
    ['  app = web ,  env   in(  prod ,devel )  ', true, false, false], // whitespace anywhere between tokens
    ['app in (web),!canary', true, false, false], // negation after a comma
    ['app in (in, notin)', false, false, false], // "in"/"notin" are plain values inside parentheses
    ['app=', false, false, false], // empty value means the empty string
    ['app notin ()', true, true, true], // () is the set of the empty value
  ];
  for (const [sel, w, d, b] of rows) {
    const p = parseLabelSelector(sel);
    t.same([p(web), p(db), p(bare)], [w, d, b], sel);
  }
  t.equal(parseLabelSelector('app')(undefined), false, 'exists on no labels at all');
  t.equal(parseLabelSelector('!app')(undefined), true, 'does-not-exist on no labels at all');
});

t.test('label selector string syntax: gt and lt compare integers', async (t) => {
  const p = parseLabelSelector('replicas>2,replicas<5');
  t.same([p({ replicas: '3' }), p({ replicas: '5' }), p({ replicas: 'x' }), p({})], [true, false, false, false]);
});

t.test('label selector string syntax: errors as apimachinery words them', async (t) => {
  // [selector, message]
  const rows: [string, string][] = [
    ['app in prod', "unable to parse requirement: found 'prod' expected: '('"], // set without parentheses
    ['app in (prod', "unable to parse requirement: found '', expected: ',' or ')'"], // unclosed parenthesis
    ['app=web,', "found '', expected: identifier after ','"], // trailing comma
    [',app', "found ',', expected: !, identifier, or 'end of string'"], // leading comma
    ['app web', "unable to parse requirement: found 'web', expected: in, notin, =, ==, !=, gt, lt"], // missing operator
    ['app=web env=prod', "found 'env', expected: ',' or 'end of string'"], // missing comma
    ['app=(x)', "unable to parse requirement: found '(', expected: identifier"], // parenthesis after =
    ['!=x', "found '!=', expected: !, identifier, or 'end of string'"], // "!=" lexes as one operator
    ['!(x)', "unable to parse requirement: found '(', expected: identifier"], // negation of a non-key
    ['=x', "found '=', expected: !, identifier, or 'end of string'"], // starts with an operator
  ];
  for (const [sel, message] of rows) t.equal(badRequestOf(() => parseLabelSelector(sel)), message, sel);
});

t.test('label selector string syntax: keys and values follow the label rules', async (t) => {
  t.match(
    badRequestOf(() => parseLabelSelector('Bad_Key_=x')),
    /^unable to parse requirement: <nil>: Invalid value: "Bad_Key_": name part must consist of alphanumeric characters/,
  );
  t.match(
    badRequestOf(() => parseLabelSelector('app=-web')),
    /^unable to parse requirement: values\[0\]\[app\]: Invalid value: "-web": a valid label must be an empty string/,
  );
  t.match(badRequestOf(() => parseLabelSelector('a>x')), /for 'Gt', 'Lt' operators, the value must be an integer/);
  t.ok(parseLabelSelector('example.com/app=web')({ 'example.com/app': 'web' }), 'prefixed keys');
});

t.test('structured selector: LabelSelectorAsSelector semantics', async (t) => {
  t.equal(selectorFromSpec(undefined)(web), false, 'undefined selects nothing');
  t.equal(selectorFromSpec(null)(web), false, 'null selects nothing');
  t.equal(selectorFromSpec({})(web), true, '{} selects everything');
  t.equal(selectorFromSpec({})(undefined), true, '{} selects objects without labels');
  // [selector, matches web?, matches db?, matches bare?]
  const rows: [Parameters<typeof selectorFromSpec>[0], boolean, boolean, boolean][] = [
    [{ matchLabels: { app: 'web' } }, true, false, false], // matchLabels is equality
    [{ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'devel'] }] }, true, true, false], // In
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, false, true, true], // NotIn matches a missing key
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true, false, false], // Exists
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false, true, true], // DoesNotExist
    [{ matchLabels: { app: 'web' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['devel'] }] }, false, false, false], // AND of both
  ];
  for (const [sel, w, d, b] of rows) {
    const p = selectorFromSpec(sel);
    t.same([p(web), p(db), p(bare)], [w, d, b], JSON.stringify(sel));
  }
  t.equal(
    badRequestOf(() => selectorFromSpec({ matchExpressions: [{ key: 'a', operator: 'Equals', values: ['x'] }] })),
    '"Equals" is not a valid label selector operator',
  );
  t.match(
    badRequestOf(() => selectorFromSpec({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] })),
    "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty",
  );
});

t.test('structured selector: a malformed selector is a BadRequest, not a crash', async (t) => {
  const malformed = [{ matchExpressions: [null] }, { matchExpressions: [{ key: 'a', operator: 'In', values: 'x' }] }];
  for (const sel of malformed) t.match(badRequestOf(() => selectorFromSpec(sel as never)), /not a valid label selector operator|values set can't be empty/, JSON.stringify(sel));
});

t.test('selectorToString prints what kubectl shows', async (t) => {
  // [selector, printed]
  const rows: [Parameters<typeof selectorToString>[0], string][] = [
    [{ matchLabels: { app: 'nginx' } }, 'app=nginx'], // one label
    [{ matchLabels: { tier: 'fe', app: 'nginx' } }, 'app=nginx,tier=fe'], // sorted by key
    [{ matchLabels: { app: 'nginx' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }, 'app=nginx,env in (prod)'], // set form
    [{ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['b', 'a'] }] }, 'env notin (a,b)'], // values sorted
    [{ matchExpressions: [{ key: 'x', operator: 'Exists' }, { key: 'y', operator: 'DoesNotExist' }] }, 'x,!y'], // unary
    [{}, '<none>'], // empty selector
    [undefined, '<none>'], // missing selector
    [{ matchExpressions: [{ key: 'x', operator: 'Bad' }] }, '<error>'], // unparsable
  ];
  for (const [sel, want] of rows) t.equal(selectorToString(sel), want, want);
});

const pod = (name: string, phase: string | undefined, nodeName?: string): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName, restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' },
  status: phase ? { phase, podIP: '10.0.0.1' } : {},
});

t.test('field selectors: pods', async (t) => {
  const running = pod('a', 'Running', 'node-1');
  const pending = pod('b', undefined);
  // [selector, matches running?, matches pending?]
  const rows: [string, boolean, boolean][] = [
    ['', true, true], // empty selects everything
    ['metadata.name=a', true, false], // name
    ['metadata.namespace==default', true, true], // namespace with ==
    ['status.phase=Running', true, false], // phase
    ['status.phase!=Running', false, true], // inequality; missing phase reads ""
    ['spec.nodeName=', false, true], // unscheduled pods have nodeName ""
    ['spec.nodeName=node-1,status.phase=Running', true, false], // comma is AND
    ['spec.restartPolicy=Always', true, true], // restartPolicy
    ['spec.schedulerName=default-scheduler', true, true], // schedulerName
    ['spec.serviceAccountName=default', true, true], // serviceAccountName
    ['status.podIP=10.0.0.1', true, false], // podIP
    ['status.nominatedNodeName=', true, true], // nominatedNodeName missing reads ""
  ];
  for (const [sel, r, p] of rows) {
    const f = parseFieldSelector(sel, 'v1/pods');
    t.same([f(running), f(pending)], [r, p], sel);
  }
});

t.test('field selectors: other kinds', async (t) => {
  const event: KObject = {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: 'e1', namespace: 'default' },
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web', uid: 'u1', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{nginx}' },
    reason: 'Scheduled',
    reportingComponent: 'default-scheduler',
    source: { component: 'default-scheduler' },
    type: 'Normal',
  };
  // [res, selector, object, matches?]
  const rows: [string, string, KObject, boolean][] = [
    ['v1/events', 'involvedObject.kind=Pod,involvedObject.name=web', event, true], // involved object
    ['v1/events', 'involvedObject.uid=u1,involvedObject.namespace=default', event, true], // uid and namespace
    ['v1/events', 'involvedObject.apiVersion=v1,involvedObject.resourceVersion=7', event, true], // version fields
    ['v1/events', 'involvedObject.fieldPath=spec.containers{nginx}', event, true], // field path
    ['v1/events', 'reason=Scheduled,type=Normal', event, true], // reason and type
    ['v1/events', 'source=default-scheduler,reportingComponent=default-scheduler', event, true], // source is the component
    ['v1/events', 'type=Warning', event, false], // non-matching type
    ['v1/secrets', 'type=Opaque', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque' }, true], // secret type
    ['v1/nodes', 'spec.unschedulable=false', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: {} }, true], // unset reads "false"
    ['v1/nodes', 'spec.unschedulable=true', { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n' }, spec: { unschedulable: true } }, true], // cordoned
    ['v1/namespaces', 'status.phase=Active', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' }, status: { phase: 'Active' } }, true], // ns phase
    ['apps/v1/replicasets', 'status.replicas=0', { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r' } }, true], // unset count reads "0"
    ['v1/replicationcontrollers', 'status.replicas=2', { apiVersion: 'v1', kind: 'ReplicationController', metadata: { name: 'r' }, status: { replicas: 2 } }, true], // rc count
    ['batch/v1/jobs', 'status.successful=1', { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'j' }, status: { succeeded: 1 } }, true], // job successes
    ['apps/v1/deployments', 'metadata.name=r', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'r' } }, true], // common field on any kind
  ];
  for (const [res, sel, obj, want] of rows) t.equal(parseFieldSelector(sel, res)(obj), want, `${res} ${sel}`);
});

t.test('field selectors: errors', async (t) => {
  t.equal(badRequestOf(() => parseFieldSelector('spec.replicas=3', 'apps/v1/deployments')), 'field label not supported: spec.replicas');
  t.equal(badRequestOf(() => parseFieldSelector('status.phase=Running', 'v1/services')), 'field label not supported: status.phase');
  t.equal(badRequestOf(() => parseFieldSelector('status.phase', 'v1/pods')), "invalid selector: 'status.phase'; can't understand 'status.phase'");
});
