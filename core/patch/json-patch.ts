// JSON patch (RFC 6902), what `kubectl rollout undo` and `kubectl patch --type=json` send. As in
// kube-apiserver (evanphx/json-patch behind it): a body that is not a list of operations is a 400
// BadRequest; an operation that cannot be applied (failed `test`, missing path, unknown op) is a 422.

import fjp from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { badRequest, unprocessable } from '../errors.ts';
import { isObject, type JsonObject } from './json.ts';

function operations(patch: unknown): Operation[] {
  if (!Array.isArray(patch) || !patch.every(isObject)) {
    throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  }
  return patch as unknown as Operation[];
}

const WHY: Record<string, string> = {
  TEST_OPERATION_FAILED: 'test failed',
  OPERATION_PATH_UNRESOLVABLE: 'missing value',
  OPERATION_OP_INVALID: 'unexpected kind',
  OPERATION_VALUE_OUT_OF_BOUNDS: 'index out of bounds',
};

export function jsonPatch(current: JsonObject, patch: unknown): JsonObject {
  const ops = operations(patch);
  try {
    return fjp.applyPatch(current, ops, true, false).newDocument;
  } catch (e) {
    const err = e as { name?: string; index?: number; operation?: { op?: string; path?: string } };
    const op = err.operation ?? ops[err.index ?? 0] ?? {};
    const why = WHY[err.name ?? ''] ?? (e as Error).message;
    throw unprocessable(`${op.op ?? 'unknown'} operation does not apply: ${op.path ?? ''}: ${why}`);
  }
}
