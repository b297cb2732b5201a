// Services get their cluster IP and node ports when they are written, as kube-apiserver's service
// registry allocates them (core/service-alloc.ts), so the create response already carries them and
// a requested address that is taken is a 422 on that very request. Allocation needs every other
// service's addresses, which admission (a pure function of one object) cannot see; the API reads
// them from the store's view.

import type { KObject } from '../../core/object.ts';
import { allocateService, takenAddresses } from '../../core/service-alloc.ts';
import type { ApiContext } from '../context.ts';
import type { Target } from './target.ts';

const SERVICES = 'v1/services';

/** `next` with its addresses allocated when it is a Service written on its main resource; else `next`. */
export function withServiceAddresses(ctx: ApiContext, t: Target, next: KObject, old?: KObject): KObject {
  if (t.info.res !== SERVICES || t.sub) return next;
  const key = `${next.metadata.namespace ?? ''}/${next.metadata.name ?? ''}`;
  return allocateService(next, old, takenAddresses(ctx.store.list(SERVICES).items, old ? key : undefined));
}
