// The one error catalog. Every failure a client can see is a Kubernetes `Status` object; this file
// is the only place that builds one. Codes and reason strings are exactly those of the real API
// server (k8s.io/apimachinery/pkg/api/errors), because kubectl branches on them (e.g. `apply`
// retries on Conflict, `get` prints `Error from server (NotFound): ...`).

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'Invalid'
  | 'TooManyRequests'
  | 'InternalError'
  | 'Timeout'
  | 'ServiceUnavailable';

const CODES: Record<StatusReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  NotAcceptable: 406,
  AlreadyExists: 409,
  Conflict: 409,
  Gone: 410,
  RequestEntityTooLarge: 413,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
  Timeout: 504,
  ServiceUnavailable: 503,
};

export interface StatusCause {
  /** e.g. "FieldValueInvalid", "FieldValueRequired", "FieldValueNotSupported", "FieldValueDuplicate". */
  reason: string;
  message: string;
  /** e.g. "metadata.name", "spec.containers[0].image". */
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** An error that carries its Kubernetes Status. Throw it anywhere; the API answers with it as is. */
export class StatusError extends Error {
  readonly status: Status;
  constructor(reason: StatusReason, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'StatusError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code: CODES[reason] };
    if (details && Object.keys(details).length > 0) this.status.details = details;
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): StatusReason {
    return this.status.reason;
  }
}

export function isStatusError(e: unknown): e is StatusError {
  return e instanceof StatusError;
}

/** A resource as the messages name it: `deployments.apps` for a group, `pods` for the core group. */
export interface ResourceRef {
  group: string;
  /** Plural resource name, e.g. "deployments". */
  resource: string;
  /** Kind, for details.kind (the real server puts the plural resource there; kubectl prints it). */
  kind?: string;
}

function qualified(r: ResourceRef): string {
  return r.group ? `${r.resource}.${r.group}` : r.resource;
}

function refDetails(r: ResourceRef, name: string): StatusDetails {
  const d: StatusDetails = { name, kind: r.resource };
  if (r.group) d.group = r.group;
  return d;
}

// The builders below reproduce the messages of apimachinery's errors.New* functions word for word.

export const notFound = (r: ResourceRef, name: string) =>
  new StatusError('NotFound', `${qualified(r)} "${name}" not found`, refDetails(r, name));

export const alreadyExists = (r: ResourceRef, name: string) =>
  new StatusError('AlreadyExists', `${qualified(r)} "${name}" already exists`, refDetails(r, name));

export const conflict = (r: ResourceRef, name: string, why: string) =>
  new StatusError(
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`,
    refDetails(r, name),
  );

/** The Conflict reason kubectl recognises for stale writes. */
export const STALE_OBJECT = 'the object has been modified; please apply your changes to the latest version and try again';

export const invalid = (kind: string, group: string, name: string, causes: StatusCause[]) => {
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const body = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  const d: StatusDetails = { name, kind, causes };
  if (group) d.group = group;
  return new StatusError('Invalid', `${kind}${group ? '.' + group : ''} "${name}" is invalid: ${body}`, d);
};

export const badRequest = (message: string) => new StatusError('BadRequest', message);

export const methodNotAllowed = (message: string) => new StatusError('MethodNotAllowed', message);

export const gone = (message: string) => new StatusError('Gone', message);

export const unauthorized = (message = 'Unauthorized') => new StatusError('Unauthorized', message);

/** `User "alice" cannot list resource "pods" in API group "" in the namespace "default"`. */
export const forbidden = (r: ResourceRef, name: string, message: string) =>
  new StatusError('Forbidden', message, refDetails(r, name));

/** An admission plugin's refusal (admission.NewForbidden): `pods "web-x" is forbidden: exceeded quota: …`. */
export const admissionForbidden = (r: ResourceRef, name: string, why: string) =>
  forbidden(r, name, `${qualified(r)} "${name}" is forbidden: ${why}`);

export const tooLarge = (message = 'Request entity too large: limit is 3145728') =>
  new StatusError('RequestEntityTooLarge', message);

export const unsupportedMediaType = (contentType: string) =>
  new StatusError('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf (got ${contentType})`);

/** A body in a supported media type whose content Rewind cannot decode (a protobuf kind or field outside its tables). */
export const unsupportedBody = (message: string) => new StatusError('UnsupportedMediaType', message);

export const tooManyRequests = (retryAfterSeconds = 1) =>
  new StatusError('TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds });

export const internalError = (message: string) =>
  new StatusError('InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: 'UnexpectedServerResponse', message }] });

/** kube-apiserver's reply for a path that no handler serves (details is an empty object there). */
export const pathNotFound = () => new StatusError('NotFound', 'the server could not find the requested resource');

/** A read or watch at a resourceVersion the store has not reached (apiserver: "Too large resource version"). */
export const tooLargeResourceVersion = (requested: number, current: number) =>
  new StatusError('Timeout', `Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }],
    retryAfterSeconds: 1,
  });

/** The Success Status some writes answer with (pods/binding, pods/eviction: code 201). */
export const success = (code = 200) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code }) as const;

/**
 * A patch that decodes but cannot be applied (a failed JSON patch `test`, a path that does not
 * exist): kube-apiserver answers NewGenericServerResponse(422) with the patch library's message.
 */
export const unprocessable = (message: string) => new StatusError('Invalid', message);

/** One field-manager conflict of server-side apply (apimachinery fieldmanager NewConflictError). */
export interface ApplyConflict {
  /** How the other manager is printed: `"kubectl-client-side-apply" using apps/v1`. */
  manager: string;
  /** The field path, e.g. `.spec.replicas`. */
  field: string;
}

/**
 * `Apply failed with 1 conflict: conflict with "m" using apps/v1: .spec.replicas`; with several,
 * the conflicts are grouped by manager, one `- path` line each (apimachinery getConflictMessage).
 */
export const applyConflict = (conflicts: ApplyConflict[]) => {
  const causes = conflicts.map((c) => ({ reason: 'FieldManagerConflict', message: `conflict with ${c.manager}`, field: c.field }));
  if (conflicts.length === 1) {
    const [c] = conflicts;
    return new StatusError('Conflict', `Apply failed with 1 conflict: conflict with ${c.manager}: ${c.field}`, { causes });
  }
  const lines: string[] = [];
  for (const manager of [...new Set(conflicts.map((c) => c.manager))].sort()) {
    lines.push(`conflicts with ${manager}:`);
    for (const c of conflicts.filter((x) => x.manager === manager)) lines.push(`- ${c.field}`);
  }
  return new StatusError('Conflict', `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`, { causes });
};

/**
 * pods/eviction refused by a PodDisruptionBudget (kube-apiserver's eviction REST: 429 with a
 * DisruptionBudget cause, which `kubectl drain` retries on).
 */
export const evictionBlocked = (pdb: string, desiredHealthy: number, currentHealthy: number) =>
  new StatusError('TooManyRequests', "Cannot evict pod as it would violate the pod's disruption budget.", {
    causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${pdb} needs ${desiredHealthy} healthy pods and has ${currentHealthy} currently` }],
  });

/**
 * The Status that ends an exec stream (kubelet's remotecommand writeStatus): Success, or Failure with
 * reason NonZeroExitCode and the exit code as an ExitCode cause, which kubectl turns into its own
 * exit code and `command terminated with exit code N`.
 */
export const execStatus = (exitCode: number, argv: string[]) =>
  exitCode === 0
    ? { metadata: {}, status: 'Success' as const }
    : {
        metadata: {},
        status: 'Failure' as const,
        message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${exitCode}`,
        reason: 'NonZeroExitCode',
        details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
      };
