// LimitRanger as a validating admission plugin: a pod created (or a claim written) outside a
// namespace's LimitRange min / max / maxLimitRequestRatio is refused with the plugin's 403 and its
// words; pods within the ranges, pod updates and other namespaces pass. Through core/admission.ts's
// admit, with the ranges as the store's peers.
import t from 'tap';
import { admit } from '../../core/admission.ts';
import { isStatusError, type Status } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';
import { canonicalQuantity } from '../../core/quantity.ts';

const range = (limits: unknown[], ns = 'dev'): KObject => ({ apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'lr', namespace: ns }, spec: { limits } });

const pod = (resources: Array<Record<string, unknown>>, name = 'p', init: Array<Record<string, unknown>> = []): KObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'dev' },
  spec: {
    containers: resources.map((r, i) => ({ name: `c${i}`, image: 'nginx', resources: r })),
    ...(init.length ? { initContainers: init.map((r, i) => ({ name: `i${i}`, image: 'busybox', resources: r })) } : {}),
  },
});

/** admit's refusal of `object` given the namespace's ranges (undefined: admitted). */
function refusal(object: KObject, ranges: KObject[], res = 'v1/pods', op: 'create' | 'update' = 'create', old?: KObject): Status | undefined {
  const peers = (r: string, ns?: string) => (r === 'v1/limitranges' ? ranges.filter((x) => ns === undefined || x.metadata.namespace === ns) : []);
  try {
    admit({ op, res, object, old, peers });
    return undefined;
  } catch (e) {
    if (isStatusError(e)) return e.status;
    throw e;
  }
}

t.test('quantities are printed as resource.Quantity prints them', async (t) => {
  const cases: Array<[string, string]> = [['1.5', '1500m'], ['800m', '800m'], ['2', '2'], ['1000m', '1'], ['0.5Gi', '512Mi'], ['1024Mi', '1Gi'], ['128Mi', '128Mi'], ['2000M', '2G'], ['1500', '1500'], ['0', '0'], ['100m', '100m'], ['1e3', '1k']];
  for (const [text, printed] of cases) t.equal(canonicalQuantity(text), printed, text);
});

t.test('Container max and min: the first violation of each container, in the plugin\'s words', async (t) => {
  // As stored: SetDefaults_LimitRangeItem made the max the default limit and the min the default request.
  const lr = range([{ type: 'Container', max: { cpu: '800m' }, min: { cpu: '200m' }, default: { cpu: '800m' }, defaultRequest: { cpu: '200m' } }]);
  const over = refusal(pod([{ limits: { cpu: '1.5' }, requests: { cpu: '500m' } }], 'constraints-cpu-demo-2'), [lr]);
  t.equal(over?.code, 403);
  t.equal(over?.reason, 'Forbidden');
  t.equal(over?.message, 'pods "constraints-cpu-demo-2" is forbidden: maximum cpu usage per Container is 800m, but limit is 1500m');
  const under = refusal(pod([{ limits: { cpu: '800m' }, requests: { cpu: '100m' } }]), [lr]);
  t.equal(under?.message, 'pods "p" is forbidden: minimum cpu usage per Container is 200m, but request is 100m');
  t.equal(refusal(pod([{ limits: { cpu: '800m' }, requests: { cpu: '500m' } }]), [lr]), undefined, 'within the range');
  // The range's max is the default limit and its min the default request: a pod stating nothing passes.
  t.equal(refusal(pod([{}]), [lr]), undefined, 'defaults from the range itself');
});

t.test('several violations of one range are aggregated as Go prints them; init containers count', async (t) => {
  const lr = range([{ type: 'Container', max: { cpu: '1', memory: '1Gi' } }]);
  const both = refusal(pod([{ limits: { cpu: '2', memory: '2Gi' } }]), [lr]);
  t.equal(both?.message, 'pods "p" is forbidden: [maximum cpu usage per Container is 1, but limit is 2, maximum memory usage per Container is 1Gi, but limit is 2Gi]');
  const init = refusal(pod([{ limits: { cpu: '1', memory: '1Gi' } }], 'p', [{ limits: { cpu: '3', memory: '1Gi' } }]), [lr]);
  t.equal(init?.message, 'pods "p" is forbidden: maximum cpu usage per Container is 1, but limit is 3');
});

t.test('maxLimitRequestRatio', async (t) => {
  const lr = range([{ type: 'Container', maxLimitRequestRatio: { memory: '2' } }]);
  const r = refusal(pod([{ limits: { memory: '1Gi' }, requests: { memory: '256Mi' } }]), [lr]);
  t.equal(r?.message, 'pods "p" is forbidden: memory max limit to request ratio per Container is 2, but provided ratio is 4.000000');
  t.equal(refusal(pod([{ limits: { memory: '512Mi' }, requests: { memory: '256Mi' } }]), [lr]), undefined, 'a ratio of exactly 2');
  const none = refusal(pod([{ requests: { memory: '256Mi' } }]), [lr]);
  t.equal(none?.message, 'pods "p" is forbidden: memory max limit to request ratio per Container is 2, but no limit is specified or limit is 0');
});

t.test('Pod items judge the pod\'s totals (containers summed, an init container when larger)', async (t) => {
  const lr = range([{ type: 'Pod', max: { cpu: '2' } }]);
  const sum = refusal(pod([{ limits: { cpu: '1500m' } }, { limits: { cpu: '1' } }]), [lr]);
  t.equal(sum?.message, 'pods "p" is forbidden: maximum cpu usage per Pod is 2, but limit is 2500m');
  t.equal(refusal(pod([{ limits: { cpu: '1' } }, { limits: { cpu: '1' } }]), [lr]), undefined, 'exactly the max');
  const noLimit = refusal(pod([{ requests: { cpu: '1' } }]), [lr]);
  t.match(noLimit?.message, /maximum cpu usage per Pod is 2\.  No limit is specified$/);
});

t.test('claims: storage requests against PersistentVolumeClaim items, on create and update', async (t) => {
  const lr = range([{ type: 'PersistentVolumeClaim', min: { storage: '1Gi' }, max: { storage: '10Gi' } }]);
  const claim = (storage: string): KObject => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'data', namespace: 'dev' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage } } } });
  t.equal(refusal(claim('20Gi'), [lr], 'v1/persistentvolumeclaims')?.message, 'persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi');
  t.equal(refusal(claim('500Mi'), [lr], 'v1/persistentvolumeclaims')?.message, 'persistentvolumeclaims "data" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi');
  t.equal(refusal(claim('5Gi'), [lr], 'v1/persistentvolumeclaims'), undefined);
});

t.test('what LimitRanger leaves alone: pod updates, other namespaces, other item types', async (t) => {
  const lr = range([{ type: 'Container', max: { cpu: '1' } }]);
  const big = pod([{ limits: { cpu: '4' } }]);
  t.equal(refusal(big, [range([{ type: 'Container', max: { cpu: '1' } }], 'prod')]), undefined, 'a range of another namespace');
  const stored = admit({ op: 'create', res: 'v1/pods', object: big, peers: () => [] });
  t.equal(refusal({ ...stored, metadata: { ...stored.metadata, labels: { a: 'b' } } }, [lr], 'v1/pods', 'update', stored), undefined, 'an update (containers cannot change)');
  t.equal(refusal(big, [range([{ type: 'PersistentVolumeClaim', max: { storage: '1Gi' } }])]), undefined, 'a claim item');
});
