// Namespace admission: the namespace registry's PrepareForCreate (phase Active, the "kubernetes"
// finalizer the namespace controller removes when it has emptied a terminating namespace) and
// SetDefaults_Namespace's immutable `kubernetes.io/metadata.name` label, which lets selectors
// (e.g. NetworkPolicy namespaceSelector) pick a namespace by name.

import type { KObject } from '../object.ts';
import { ensure, list, type KindRules } from './types.ts';

const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

function defaults(obj: KObject, ctx: { op: 'create' | 'update' }): void {
  obj.metadata.labels = { ...obj.metadata.labels, [NAMESPACE_NAME_LABEL]: obj.metadata.name ?? '' };
  if (ctx.op !== 'create') return;
  const spec = ensure(obj, 'spec');
  const finalizers = list(spec.finalizers);
  spec.finalizers = finalizers.includes('kubernetes') ? finalizers : [...finalizers, 'kubernetes'];
  obj.status = { phase: 'Active' };
}

export const namespaceRules: KindRules = { defaults };
