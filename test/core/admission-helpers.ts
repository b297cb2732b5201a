// Shared helpers of the admission tests: admit an object, or read the causes of its rejection.
import { admit } from '../../core/admission.ts';
import { isStatusError, type StatusCause } from '../../core/errors.ts';
import type { KObject } from '../../core/object.ts';

export type Op = 'create' | 'update';

/** The causes of the 422 an admission throws, as "field|reason|message" lines. */
export function causes(res: string, object: unknown, op: Op = 'create', old?: KObject): string[] {
  try {
    admit({ op, res, object: object as KObject, old });
  } catch (e) {
    if (!isStatusError(e)) throw e;
    if (e.status.code !== 422) return [`${e.status.code} ${e.status.reason}: ${e.status.message}`];
    return (e.status.details?.causes ?? []).map((c: StatusCause) => `${c.field}|${c.reason}|${c.message}`);
  }
  return [];
}

export const ok = (res: string, object: unknown, op: Op = 'create', old?: KObject) => admit({ op, res, object: object as KObject, old });

export const meta = (name: string, extra: Record<string, unknown> = {}) => ({ name, namespace: 'default', uid: 'uid-1', ...extra });

export const podWith = (spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Pod', metadata: meta('p'), spec });

export const deploy = (spec: Record<string, unknown>) => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: meta('web'), spec });
export const template = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } };
