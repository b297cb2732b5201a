// The runtime overlay (controllers/runtime/overlay.ts) against a store that moves on while writes are
// in flight: a write with a precondition (a create, or a resourceVersion to match) is shown only while
// the store still holds the version it was decided on; after that the stored object is the newer one
// (the write landed, or it will be refused). A write without a precondition keeps being shown.

import t from 'tap';
import type { KObject } from '../../core/object.ts';
import { OverlayView } from '../../controllers/runtime/overlay.ts';
import { viewOf } from '../../controllers/runtime/testing.ts';
import type { ReadView } from '../../store/store.ts';

const CM = 'v1/configmaps';
const cm = (name: string, rv: string, data: Record<string, string> = {}): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', resourceVersion: rv }, data });

/** A base view whose contents the test replaces, as commits of other writers would. */
function movingBase(objects: KObject[]): { base: ReadView; set(objects: KObject[]): void } {
  let current = viewOf(objects);
  const base: ReadView = {
    get rev() { return current.rev; },
    get ts() { return current.ts; },
    get: (res, ns, name) => current.get(res, ns, name),
    list: (res, opts) => current.list(res, opts),
  };
  return { base, set: (next) => (current = viewOf(next)) };
}

t.test('a guarded prediction gives way to a newer stored version; an unguarded one stays', async (t) => {
  const store = movingBase([cm('guarded', '5'), cm('free', '5')]);
  const view = new OverlayView(store.base);
  view.hold([
    { op: 'patch', res: CM, ns: 'default', name: 'guarded', expectedRV: '5', apply: (o) => ({ ...o, data: { mine: 'yes' } }) },
    { op: 'patch', res: CM, ns: 'default', name: 'free', apply: (o) => ({ ...o, data: { mine: 'yes' } }) },
    { op: 'create', res: CM, object: cm('created', '', { mine: 'yes' }) },
  ]);
  const data = () => ['created', 'free', 'guarded'].map((n) => view.get(CM, 'default', n)?.data);
  const listed = () => view.list(CM, { namespace: 'default' }).items.map((o) => `${o.metadata.name}:${JSON.stringify(o.data)}`);
  t.same(data(), [{ mine: 'yes' }, { mine: 'yes' }, { mine: 'yes' }], 'all three predicted while the store is where they were decided');

  // Another writer changes both objects and creates one of the same name: committed before our writes settle.
  store.set([cm('guarded', '7', { theirs: 'yes' }), cm('free', '7', { theirs: 'yes' }), cm('created', '7', { theirs: 'yes' })]);
  t.same(data(), [{ theirs: 'yes' }, { mine: 'yes' }, { theirs: 'yes' }], 'the guarded patch and the create give way; the unguarded patch is still laid over');
  t.same(listed(), ['created:{"theirs":"yes"}', 'free:{"mine":"yes"}', 'guarded:{"theirs":"yes"}'], 'lists agree with get');
});
