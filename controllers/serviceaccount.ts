// The service account controller (pkg/controller/serviceaccount): every active namespace has a
// ServiceAccount named "default"; it is created with the namespace and recreated if deleted.

import { objectKey, type Controller, type ControllerFactory, type Key, type ReconcileContext, type ReconcileResult } from './runtime/types.ts';

const NAMESPACES = 'v1/namespaces';
const SERVICE_ACCOUNTS = 'v1/serviceaccounts';

export function reconcileServiceAccount(ns: Key, { view }: ReconcileContext): ReconcileResult {
  const namespace = view.get(NAMESPACES, '', ns);
  if (!namespace || namespace.metadata.deletionTimestamp !== undefined || view.get(SERVICE_ACCOUNTS, ns, 'default')) return { writes: [] };
  return { writes: [{ op: 'create', res: SERVICE_ACCOUNTS, object: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } } }] };
}

export const serviceAccountController: ControllerFactory = (): Controller => ({
  name: 'serviceaccount',
  watches: [
    { res: NAMESPACES, keys: (e) => (e.type === 'DELETED' ? [] : [e.name]) },
    { res: SERVICE_ACCOUNTS, keys: (e) => (e.type === 'DELETED' && e.name === 'default' ? [e.ns] : []) },
  ],
  initialKeys: (view) => view.list(NAMESPACES).items.map((n) => objectKey('', n.metadata.name!)),
  reconcile: reconcileServiceAccount,
});
