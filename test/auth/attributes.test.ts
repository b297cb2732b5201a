// Request attributes as the apiserver's RequestInfoResolver derives them from method and URL.

import t from 'tap';
import { requestAttributes } from '../../api/auth/attributes.ts';

type Row = [method: string, url: string, expected: Record<string, unknown>, why: string];

const ROWS: Row[] = [
  ['GET', '/api/v1/namespaces/default/pods', { verb: 'list', resourceRequest: true, apiGroup: '', namespace: 'default', resource: 'pods', name: '' }, 'GET on a collection is list'],
  ['GET', '/api/v1/namespaces/default/pods?watch=true', { verb: 'watch', resource: 'pods' }, 'watch=true turns list into watch'],
  ['GET', '/api/v1/namespaces/default/pods?watch=1', { verb: 'watch' }, 'watch=1 as well'],
  ['GET', '/api/v1/watch/namespaces/default/pods', { verb: 'watch', namespace: 'default', resource: 'pods' }, 'the legacy /watch/ prefix'],
  ['GET', '/api/v1/namespaces/default/pods/web', { verb: 'get', name: 'web' }, 'GET on an object is get'],
  ['GET', '/api/v1/namespaces/default/pods/web/log', { verb: 'get', resource: 'pods', subresource: 'log', name: 'web' }, 'subresource'],
  ['POST', '/api/v1/namespaces/default/pods/web/exec?command=ls', { verb: 'create', subresource: 'exec' }, 'exec is create on pods/exec'],
  ['POST', '/apis/apps/v1/namespaces/ns1/deployments', { verb: 'create', apiGroup: 'apps', apiVersion: 'v1', namespace: 'ns1', resource: 'deployments' }, 'a named group'],
  ['PUT', '/apis/apps/v1/namespaces/ns1/deployments/web/scale', { verb: 'update', subresource: 'scale' }, 'PUT is update'],
  ['PATCH', '/apis/apps/v1/namespaces/ns1/deployments/web', { verb: 'patch' }, 'PATCH is patch'],
  ['DELETE', '/api/v1/namespaces/default/configmaps', { verb: 'deletecollection', resource: 'configmaps' }, 'DELETE on a collection'],
  ['DELETE', '/api/v1/namespaces/default/configmaps/c', { verb: 'delete', name: 'c' }, 'DELETE on an object'],
  ['GET', '/api/v1/namespaces', { verb: 'list', resource: 'namespaces', namespace: '' }, 'namespaces list is cluster-scoped'],
  ['GET', '/api/v1/namespaces/kube-system', { verb: 'get', resource: 'namespaces', name: 'kube-system', namespace: 'kube-system' }, 'a namespace is its own namespace'],
  ['PUT', '/api/v1/namespaces/ns1/status', { verb: 'update', resource: 'namespaces', name: 'ns1', subresource: 'status' }, 'namespaces/<ns>/status is the namespace subresource'],
  ['GET', '/api/v1/nodes/n1', { verb: 'get', resource: 'nodes', name: 'n1', namespace: '' }, 'cluster-scoped object'],
  ['GET', '/apis/rbac.authorization.k8s.io/v1/clusterroles', { verb: 'list', apiGroup: 'rbac.authorization.k8s.io' }, 'dotted group'],
  ['GET', '/version', { verb: 'get', resourceRequest: false, path: '/version' }, 'non-resource path'],
  ['GET', '/apis', { resourceRequest: false, path: '/apis' }, 'discovery root'],
  ['GET', '/apis/apps/v1', { resourceRequest: false, path: '/apis/apps/v1' }, 'group-version discovery is non-resource'],
  ['GET', '/api/v1', { resourceRequest: false }, 'core discovery is non-resource'],
  ['POST', '/healthz', { verb: 'post', resourceRequest: false }, 'non-resource verbs are the lowercased method'],
  ['GET', '/at/-15m/api/v1/namespaces/default/pods', { verb: 'list', resource: 'pods', namespace: 'default' }, 'the past has the attributes of the present path'],
  ['GET', '/at/42/version', { resourceRequest: false, path: '/version' }, 'past non-resource path'],
  ['GET', '/apis/rewind.dev/v1/history?object=deploy/web', { verb: 'get', apiGroup: 'rewind.dev', resource: 'history' }, 'history is get on rewind.dev history'],
  ['POST', '/apis/rewind.dev/v1/revert', { verb: 'create', apiGroup: 'rewind.dev', resource: 'revert' }, 'revert is create'],
  ['GET', '/api/v1/namespaces/%zz/pods', { verb: 'list', resource: 'pods' }, 'a malformed escape does not throw'],
];

for (const [method, url, expected, why] of ROWS) {
  t.test(`${method} ${url}: ${why}`, async (t) => {
    t.match(requestAttributes(method, url), expected);
  });
}
