// The Status objects of core/errors.ts builders, field for field: kubectl prints
// `Error from server (<reason>): <message>` and branches on code and reason, so both must be the
// real API server's.
import t from 'tap';
import {
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  gone,
  internalError,
  invalid,
  methodNotAllowed,
  notFound,
  STALE_OBJECT,
  tooLarge,
  tooManyRequests,
  unauthorized,
  unsupportedMediaType,
  type StatusError,
} from '../../core/errors.ts';

const deployments = { group: 'apps', resource: 'deployments' };
const pods = { group: '', resource: 'pods' };
const failure = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure' };

t.test('builders produce the API server Status shapes', async (t) => {
  // [error, code, reason, message, details]
  const rows: [StatusError, number, string, string, unknown][] = [
    [notFound(pods, 'web'), 404, 'NotFound', 'pods "web" not found', { name: 'web', kind: 'pods' }], // core group
    [notFound(deployments, 'web'), 404, 'NotFound', 'deployments.apps "web" not found', { name: 'web', kind: 'deployments', group: 'apps' }], // named group
    [alreadyExists(pods, 'web'), 409, 'AlreadyExists', 'pods "web" already exists', { name: 'web', kind: 'pods' }], // create twice
    [
      conflict(deployments, 'web', STALE_OBJECT),
      409,
      'Conflict',
      'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
      { name: 'web', kind: 'deployments', group: 'apps' },
    ], // stale resourceVersion
    [badRequest('unable to parse requirement: found \'\', expected: identifier'), 400, 'BadRequest', "unable to parse requirement: found '', expected: identifier", undefined], // bad selector
    [methodNotAllowed('the server does not allow this method on the requested resource'), 405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', undefined], // verb
    [gone('too old resource version: 1 (5)'), 410, 'Gone', 'too old resource version: 1 (5)', undefined], // compacted watch
    [unauthorized(), 401, 'Unauthorized', 'Unauthorized', undefined], // no credentials
    [
      forbidden(pods, '', 'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"'),
      403,
      'Forbidden',
      'pods is forbidden: User "alice" cannot list resource "pods" in API group "" in the namespace "default"',
      { name: '', kind: 'pods' },
    ], // RBAC denial
    [tooLarge(), 413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728', undefined], // body over 3 MiB
    [
      unsupportedMediaType('text/plain'),
      415,
      'UnsupportedMediaType',
      'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got text/plain)',
      undefined,
    ], // content type
    [tooManyRequests(2), 429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: 2 }], // throttled
    [internalError('boom'), 500, 'InternalError', 'Internal error occurred: boom', { causes: [{ reason: 'UnexpectedServerResponse', message: 'boom' }] }], // bug
  ];
  for (const [e, code, reason, message, details] of rows) {
    const want = details === undefined ? { ...failure, message, reason, code } : { ...failure, message, reason, details, code };
    t.same(e.status, want, `${reason}: ${message.slice(0, 40)}`);
    t.equal(e.message, message, 'the Error message is the Status message');
  }
});

t.test('invalid lists one cause bare and several in brackets', async (t) => {
  const one = invalid('Pod', '', 'web', [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }]);
  t.same(one.status, {
    ...failure,
    message: 'Pod "web" is invalid: spec.containers: Required value',
    reason: 'Invalid',
    details: { name: 'web', kind: 'Pod', causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }] },
    code: 422,
  });
  const two = invalid('Deployment', 'apps', 'web', [
    { reason: 'FieldValueRequired', message: 'Required value', field: 'spec.selector' },
    { reason: 'FieldValueInvalid', message: 'Invalid value: -1: must be greater than or equal to 0', field: 'spec.replicas' },
  ]);
  t.equal(two.status.message, 'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.replicas: Invalid value: -1: must be greater than or equal to 0]');
  t.equal(two.status.details?.group, 'apps');
});
