// controllers/events.ts: v1 Events shaped as client-go records them, aggregated like its EventCorrelator.
import t from 'tap';
import { recordEvent } from '../../controllers/events.ts';
import { at, replicaSet, T0 } from './fixtures.ts';

const rs = replicaSet('web-abc', 1);
const rec = { object: rs, type: 'Normal' as const, reason: 'SuccessfulCreate', message: 'Created pod: web-abc-x' };

function applyTo(current: Parameters<Extract<ReturnType<typeof recordEvent>, { op: 'patch' }>['apply']>[0] | undefined, now: number) {
  const m = recordEvent('replicaset-controller', rec, now);
  if (m.op !== 'patch') throw new Error('expected a patch');
  return m.apply(structuredClone(current ?? m.upsert!));
}

t.test('a first event is created with count 1 and the fields kubectl describe reads', async (t) => {
  const m = recordEvent('replicaset-controller', rec, T0);
  t.match(m, { op: 'patch', res: 'v1/events', ns: 'default', name: /^web-abc\.[0-9a-f]{16}$/ });
  t.same(applyTo(undefined, T0), {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: (m as { name: string }).name, namespace: 'default' },
    involvedObject: { apiVersion: 'apps/v1', kind: 'ReplicaSet', namespace: 'default', name: 'web-abc', uid: 'uid-web-abc', resourceVersion: '5' },
    reason: 'SuccessfulCreate',
    message: 'Created pod: web-abc-x',
    source: { component: 'replicaset-controller' },
    firstTimestamp: at(0),
    lastTimestamp: at(0),
    count: 1,
    type: 'Normal',
    eventTime: null,
    reportingComponent: 'replicaset-controller',
    reportingInstance: '',
  });
});

t.test('an identical event within 10 minutes increments count; a later one starts over', async (t) => {
  const first = applyTo(undefined, T0);
  const second = applyTo(first, T0 + 60_000);
  t.match(second, { count: 2, firstTimestamp: at(0), lastTimestamp: at(60) });
  const late = applyTo(second, T0 + 60_000 + 601_000);
  t.match(late, { count: 1, firstTimestamp: at(661), lastTimestamp: at(661) });
});

t.test('names are deterministic and differ when the message differs', async (t) => {
  const a = recordEvent('replicaset-controller', rec, T0) as { name: string };
  const b = recordEvent('replicaset-controller', rec, T0 + 5000) as { name: string };
  const c = recordEvent('replicaset-controller', { ...rec, message: 'Created pod: web-abc-y' }, T0) as { name: string };
  t.equal(a.name, b.name);
  t.not(a.name, c.name);
});
