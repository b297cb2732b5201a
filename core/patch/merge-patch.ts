// JSON merge patch (RFC 7386), what `kubectl label`, `annotate` and `scale` send: objects merge
// recursively, `null` removes a key, anything else (lists included) replaces the target value.

import { isObject, type JsonObject } from './json.ts';
import { badRequest } from '../errors.ts';

function merge(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = merge(out[key], value);
  }
  return out;
}

export function mergePatch(current: JsonObject, patch: unknown): JsonObject {
  if (!isObject(patch)) throw badRequest('the body of a merge patch must be a JSON object');
  return merge(current, patch) as JsonObject;
}
