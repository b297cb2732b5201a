// The four PATCH content types kube-apiserver accepts, behind one function. Pure: `current` is never
// mutated and the result is a fresh object. A resourceVersion in the patch body survives into the
// result, where the API layer treats it as a precondition (as the apiserver does).

import { clone, type KObject } from '../object.ts';
import { badRequest, unprocessable, unsupportedMediaType } from '../errors.ts';
import { serverSideApply } from './apply.ts';
import { jsonPatch } from './json-patch.ts';
import { isObject, type JsonObject } from './json.ts';
import { recordUpdate } from './managed-fields.ts';
import { mergePatch } from './merge-patch.ts';
import { rootType } from './schema.ts';
import { strategicMerge } from './strategic-merge.ts';

export { recordUpdate } from './managed-fields.ts';

export interface PatchOptions {
  contentType: string;
  current: KObject;
  body: Buffer | string;
  /** Storage key of the resource, e.g. "apps/v1/deployments" (the object's own apiVersion/kind pick its schema). */
  res: string;
  fieldManager?: string;
  force?: boolean;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw badRequest(`error decoding patch: ${(e as Error).message}`);
  }
}

type JsonPatcher = (current: JsonObject, patch: unknown, obj: KObject) => JsonObject;

const JSON_PATCHERS: Record<string, JsonPatcher> = {
  'application/json-patch+json': (cur, patch) => jsonPatch(cur, patch),
  'application/merge-patch+json': (cur, patch) => mergePatch(cur, patch),
  'application/strategic-merge-patch+json': (cur, patch, obj) => strategicMerge(cur, patch, rootType(obj.apiVersion, obj.kind)),
};

/** The media type without parameters: "application/merge-patch+json; charset=utf-8" → "application/merge-patch+json". */
function mediaTypeOf(contentType: string): string {
  return contentType.split(';')[0].trim().toLowerCase();
}

export function applyPatch(opts: PatchOptions): KObject {
  const text = typeof opts.body === 'string' ? opts.body : opts.body.toString('utf8');
  const type = mediaTypeOf(opts.contentType);
  if (type === 'application/apply-patch+yaml') {
    return serverSideApply(opts.current, text, opts.fieldManager ?? '', opts.force ?? false);
  }
  const patcher = JSON_PATCHERS[type];
  if (!patcher) throw unsupportedMediaType(opts.contentType);
  const patched = patcher(opts.current as unknown as JsonObject, parseJson(text), opts.current);
  // The apiserver decodes the patched JSON back into the kind's type; a patch that breaks the
  // object's envelope cannot be decoded.
  if (typeof patched.apiVersion !== 'string' || typeof patched.kind !== 'string' || !isObject(patched.metadata)) {
    throw unprocessable('the patched object has no valid apiVersion, kind and metadata');
  }
  const result = clone(patched) as KObject;
  return opts.fieldManager ? recordUpdate(opts.current, result, opts.fieldManager) : result;
}
