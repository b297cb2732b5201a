// DaemonSet updates and ControllerRevisions: the rolling-update arithmetic (table-driven), the surge
// rule of podsShouldBeOnNode, and constructHistory / truncateHistory on constructed views.
import t from 'tap';
import { admit } from '../../core/admission.ts';
import { isStatusError } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { rollingUpdate, surplusOnNode, updateBudget, type NodePods } from '../../controllers/daemonset-update.ts';
import { constructHistory, REVISION_HASH, revisionData, templateHash, truncateHistory, type Revision } from '../../controllers/history.ts';
import { reconcileDaemonSet } from '../../controllers/daemonset.ts';
import { isPodAvailable } from '../../controllers/runtime/pods.ts';
import { renderWrites, viewOf } from '../../controllers/runtime/testing.ts';
import { at, T0 } from './fixtures.ts';

const daemonSet = (rollingUpdate: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): KObject => ({
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'agent', namespace: 'default', uid: 'uid-agent', generation: 2, annotations: { 'kubernetes.io/change-cause': 'v2' } },
  spec: {
    selector: { matchLabels: { app: 'agent' } },
    template: { metadata: { labels: { app: 'agent' } }, spec: { containers: [{ name: 'c', image: 'agent:v2' }] } },
    updateStrategy: { type: 'RollingUpdate', rollingUpdate },
    ...extra,
  },
});

const NEW = 'new-hash';
/** A pod on `node` of template `hash`, available or not. */
const pod = (name: string, hash: string, available: boolean): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels: { app: 'agent', [REVISION_HASH]: hash }, creationTimestamp: at(0) },
  spec: {},
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: available ? 'True' : 'False', lastTransitionTime: at(0) }] },
});

t.test('updateBudget: numbers or percentages of the desired nodes, rounded up; both zero means maxUnavailable 1', async (t) => {
  const rows: [Record<string, unknown>, number, { maxSurge: number; maxUnavailable: number }][] = [
    [{ maxUnavailable: 1, maxSurge: 0 }, 10, { maxSurge: 0, maxUnavailable: 1 }], // the defaults
    [{ maxUnavailable: '25%', maxSurge: 0 }, 10, { maxSurge: 0, maxUnavailable: 3 }], // 2.5 rounds up
    [{ maxUnavailable: 0, maxSurge: '10%' }, 5, { maxSurge: 1, maxUnavailable: 0 }], // 0.5 rounds up
    [{ maxUnavailable: 0, maxSurge: 0 }, 4, { maxSurge: 0, maxUnavailable: 1 }], // never stuck
  ];
  for (const [ru, desired, want] of rows) t.same(updateBudget(daemonSet(ru), desired), want, JSON.stringify(ru));
});

t.test('rollingUpdate without surge: unavailable old pods go at once, available ones within maxUnavailable', async (t) => {
  const nodes = (pods: KObject[]): NodePods[] => pods.map((p, i) => ({ node: `n${i}`, running: [p] }));
  const ds = daemonSet({ maxUnavailable: 2, maxSurge: 0 });
  const allOld = nodes([pod('a', 'old', true), pod('b', 'old', true), pod('c', 'old', true)]);
  t.same(rollingUpdate(ds, allOld, NEW, T0).delete.map((p) => p.metadata.name), ['a', 'b'], 'two at a time');
  const oneNew = nodes([pod('a', NEW, false), pod('b', 'old', true), pod('c', 'old', false)]);
  t.same(rollingUpdate(ds, oneNew, NEW, T0).delete.map((p) => p.metadata.name), ['c', 'b'], 'c is unavailable anyway; a (new, not yet available) uses one slot, b the other');
  const empty: NodePods[] = [{ node: 'n0', running: [] }, { node: 'n1', running: [] }, ...nodes([pod('c', 'old', true)])];
  t.same(rollingUpdate(ds, empty, NEW, T0).delete, [], 'two nodes without a pod already use the budget');
  t.same(rollingUpdate(daemonSet({}, { updateStrategy: { type: 'OnDelete' } }), allOld, NEW, T0), { delete: [], create: [] }, 'OnDelete replaces nothing');
});

t.test('rollingUpdate with surge: new pods next to old ones, old ones deleted once the new one is available', async (t) => {
  const ds = daemonSet({ maxUnavailable: 0, maxSurge: 1 });
  const step = rollingUpdate(ds, [{ node: 'n0', running: [pod('a', 'old', true)] }, { node: 'n1', running: [pod('b', 'old', true)] }], NEW, T0);
  t.same(step, { delete: [], create: ['n0'] }, 'one surge pod');
  const surging = rollingUpdate(ds, [{ node: 'n0', running: [pod('a', 'old', true), pod('a2', NEW, false)] }, { node: 'n1', running: [pod('b', 'old', true)] }], NEW, T0);
  t.same(surging, { delete: [], create: [] }, 'the surge slot is taken until the new pod is available');
  const ready = rollingUpdate(ds, [{ node: 'n0', running: [pod('a', 'old', true), pod('a2', NEW, true)] }, { node: 'n1', running: [pod('b', 'old', false)] }], NEW, T0);
  t.same([ready.delete.map((p) => p.metadata.name), ready.create], [['a'], ['n1']], 'a is replaced; b is not available, so n1 gets its new pod at once');
});

t.test('surplusOnNode: all but the oldest; with surge an old ready pod may wait for its new one', async (t) => {
  const names = (ps: KObject[]) => ps.map((p) => p.metadata.name);
  const ready = (p: KObject) => isPodAvailable(p, 0, T0);
  t.same(names(surplusOnNode([pod('a', 'old', true), pod('b', NEW, false)], NEW, false, ready)), ['b']);
  t.same(names(surplusOnNode([pod('a', 'old', true), pod('b', NEW, false)], NEW, true, ready)), [], 'old ready, new not ready: both stay');
  t.same(names(surplusOnNode([pod('a', 'old', true), pod('b', NEW, true)], NEW, true, ready)), ['a'], 'new ready: the old goes');
  t.same(names(surplusOnNode([pod('a', 'old', false), pod('b', NEW, false), pod('c', NEW, false)], NEW, true, ready)), ['c', 'a'], 'a second new pod and a not-ready old one go');
  // Ready at T0, minReadySeconds 10: available just after T0 + 10 s (podsShouldBeOnNode's IsPodAvailable).
  const availableAt = (now: number) => (p: KObject) => isPodAvailable(p, 10, now);
  t.same(names(surplusOnNode([pod('a', 'old', true), pod('b', NEW, true)], NEW, true, availableAt(T0 + 5000))), [], 'new ready but not yet available: the old stays');
  t.same(names(surplusOnNode([pod('a', 'old', true), pod('b', NEW, true)], NEW, true, availableAt(T0 + 10_001))), ['a'], 'new available: the old goes');
});

t.test('with minReadySeconds the DaemonSet looks again when its ready pods become available', async (t) => {
  const ds = daemonSet({ maxUnavailable: 1 }, { minReadySeconds: 10 });
  const owned = (p: KObject): KObject => ({ ...p, metadata: { ...p.metadata, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'uid-agent', controller: true }] }, spec: { nodeName: 'node-1' } });
  const hash = templateHash(ds);
  const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
  const view = viewOf([ds, node, owned(pod('a', hash, true))]);
  const early = reconcileDaemonSet('default/agent', { view, now: T0 + 4000 });
  t.equal(early.requeueAfter, 6001, 'ready at T0: available 10 s later, so run again then (updateDaemonSetStatus enqueueAfter)');
  t.equal(reconcileDaemonSet('default/agent', { view, now: T0 + 20_000 }).requeueAfter, undefined, 'already available: nothing to wait for');
});

t.test('constructHistory: a revision per template, renumbered when a template comes back; truncateHistory keeps the limit', async (t) => {
  const ds = daemonSet();
  const first = constructHistory(ds, viewOf([ds]), { annotations: true });
  const rev = first.current;
  t.match(rev, {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: { name: `agent-${templateHash(ds)}`, namespace: 'default', labels: { app: 'agent', [REVISION_HASH]: templateHash(ds) }, annotations: { 'kubernetes.io/change-cause': 'v2' }, ownerReferences: [{ kind: 'DaemonSet', name: 'agent', uid: 'uid-agent', controller: true }] },
    revision: 1,
  });
  t.equal(JSON.stringify(rev.data), JSON.stringify({ spec: { template: { $patch: 'replace', metadata: { creationTimestamp: null, labels: { app: 'agent' } }, spec: { containers: [{ image: 'agent:v2', name: 'c' }] } } } }), 'getPatch with keys in Go map order');
  t.same(first.writes.map((w) => w.op), ['create']);

  const stored = (r: Revision, n: number, name = r.metadata.name!): Revision => ({ ...r, metadata: { ...r.metadata, name, uid: `uid-${name}` }, revision: n });
  const v1 = stored({ ...rev, data: { spec: { template: { $patch: 'replace', spec: { containers: [{ name: 'c', image: 'agent:v1' }] } } } } }, 2, 'agent-v1');
  t.same(constructHistory(ds, viewOf([ds, stored(rev, 3), v1]), { annotations: true }).writes, [], 'the newest revision matches: nothing to do');
  const undo = constructHistory(ds, viewOf([ds, stored(rev, 1), v1]), { annotations: true });
  t.same(undo.writes.map((w) => [w.op, w.op === 'update' ? w.object.revision : undefined]), [['update', 3]], 'a template that comes back takes the next number');

  const many = Array.from({ length: 4 }, (_, i) => stored(v1, i + 1, `agent-old${i}`));
  const limited = { ...ds, spec: { ...(ds.spec as object), revisionHistoryLimit: 1 } };
  const deleted = truncateHistory(limited, [...many, stored(rev, 5)], new Set([rev.metadata.name!]), new Set());
  t.same(deleted.map((w) => (w.op === 'delete' ? w.name : '')), ['agent-old0', 'agent-old1', 'agent-old2'], 'oldest first, down to the limit');
  const live = truncateHistory(limited, [...many, stored(rev, 5)], new Set([rev.metadata.name!, 'agent-old0']), new Set());
  t.same(live.map((w) => (w.op === 'delete' ? w.name : '')), ['agent-old1', 'agent-old2'], 'a live revision is kept and not counted');
  t.same(revisionData(ds), rev.data);

  const { ownerReferences: _gone, ...orphanMeta } = stored(rev, 7).metadata;
  const orphan: Revision = { ...stored(rev, 7), metadata: orphanMeta };
  const adopting = constructHistory(ds, viewOf([ds, orphan]), { annotations: true });
  t.match(renderWrites(adopting.writes, viewOf([ds, orphan])), [{ op: 'patch', res: 'apps/v1/controllerrevisions', name: rev.metadata.name, object: { revision: 7, metadata: { ownerReferences: [{ kind: 'DaemonSet', uid: 'uid-agent', controller: true }] } } }]);
  t.equal(adopting.writes.length, 1, 'an orphan left by --cascade=orphan is adopted, alone in its commit');
});

t.test('admission: exactly one of maxSurge and maxUnavailable is non-zero (ValidateRollingUpdateDaemonSet)', async (t) => {
  const refusal = (rollingUpdate: Record<string, unknown>) => {
    try {
      admit({ op: 'create', res: 'apps/v1/daemonsets', object: daemonSet(rollingUpdate) });
      return undefined;
    } catch (e) {
      return isStatusError(e) ? e.message : String(e);
    }
  };
  t.equal(refusal({}), undefined, 'the defaults: maxUnavailable 1, maxSurge 0');
  t.equal(refusal({ maxUnavailable: 0, maxSurge: '25%' }), undefined);
  t.match(refusal({ maxSurge: 1 }), /spec\.updateStrategy\.rollingUpdate\.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero/, 'maxUnavailable defaults to 1');
  t.match(refusal({ maxUnavailable: 0, maxSurge: 0 }), /spec\.updateStrategy\.rollingUpdate\.maxUnavailable: Required value: cannot be 0 when maxSurge is 0/);
  t.match(refusal({ maxUnavailable: '150%' }), /must not be greater than 100%/);
});
