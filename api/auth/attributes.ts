// What a request asks to do, for the authorizer: the apiserver's RequestInfoResolver
// (k8s.io/apiserver/pkg/endpoints/request/requestinfo.go) over our URLs. Resource requests are
// /api/v1/... and /apis/<group>/<version>/...; the verb comes from the method (GET on a collection
// is list, with watch=true or the /watch/ prefix watch; DELETE on a collection deletecollection);
// anything else (/version, /healthz, discovery roots) is a non-resource request whose verb is the
// lowercased method. Rewind's own paths are mapped explicitly:
//   /at/<point>/<path>                the same attributes as <path> (the past is read-only: 405 on writes)
//   GET /apis/rewind.dev/v1/<what>    verb get on resource <what> (history, diff, why, events, point, state)
//                                     in group rewind.dev — granted by the default view role
//   POST /apis/rewind.dev/v1/revert   verb create on resource revert — granted by edit and admin
//   POST /apis/rewind.dev/v1/replays  verb create on resource replays — cluster-admin only (the route
//                                     also checks impersonation and each write: routes/rewind-replays.ts)

export interface Attributes {
  verb: string;
  resourceRequest: boolean;
  /** The URL path, for non-resource requests. */
  path: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  resource: string;
  subresource: string;
  name: string;
}

const METHOD_VERBS: Record<string, string> = { POST: 'create', GET: 'get', HEAD: 'get', PUT: 'update', PATCH: 'patch', DELETE: 'delete' };

/** Namespace subresources: namespaces/<ns>/status is the Namespace's status, not a resource "status". */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const REWIND_GROUP = 'rewind.dev';

const AT_PREFIX = /^\/at\/[^/]+(\/.*)?$/;

function nonResource(method: string, path: string): Attributes {
  return { verb: method.toLowerCase(), resourceRequest: false, path, apiGroup: '', apiVersion: '', namespace: '', resource: '', subresource: '', name: '' };
}

/** The path with %-escapes decoded; as sent when an escape is malformed (the router answers that one). */
function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function flagged(v: string | null): boolean {
  return v === 'true' || v === '1';
}

/** The attributes of `method url` (url with its query string). */
export function requestAttributes(method: string, url: string): Attributes {
  const parsed = new URL(url, 'http://local');
  const path = decoded(parsed.pathname);
  const at = AT_PREFIX.exec(path);
  if (at) return requestAttributes(method, `${at[1] ?? '/'}${parsed.search}`);
  const parts = path.split('/').filter(Boolean);
  let rest: string[];
  let apiGroup = '';
  let apiVersion: string;
  if (parts[0] === 'api' && parts.length >= 3) [apiVersion, rest] = [parts[1], parts.slice(2)];
  else if (parts[0] === 'apis' && parts.length >= 4) [apiGroup, apiVersion, rest] = [parts[1], parts[2], parts.slice(3)];
  else return nonResource(method, path);

  let verb = METHOD_VERBS[method.toUpperCase()] ?? method.toLowerCase();
  if (rest[0] === 'watch') {
    verb = 'watch';
    rest = rest.slice(1);
  }
  let namespace = '';
  if (rest[0] === 'namespaces' && rest.length > 1) {
    namespace = rest[1];
    if (rest.length > 2 && !NAMESPACE_SUBRESOURCES.has(rest[2])) rest = rest.slice(2);
  }
  const [resource = '', name = '', subresource = ''] = rest;
  if (rest.length > 3) return nonResource(method, path);
  // rewind.dev endpoints are not collections: a GET reads one answer.
  if (verb === 'get' && name === '' && apiGroup !== REWIND_GROUP) verb = flagged(parsed.searchParams.get('watch')) ? 'watch' : 'list';
  if (verb === 'delete' && name === '') verb = 'deletecollection';
  return { verb, resourceRequest: true, path, apiGroup, apiVersion, namespace, resource, subresource, name };
}
