// DeleteOptions as a DELETE request carries them (body and query); what the deletion then does to
// the object is core/deletion.ts planDeletion, shared with the controllers.

import { badRequest } from '../../core/errors.ts';
import type { DeletionOptions } from '../../core/deletion.ts';

export interface DeleteOptions extends DeletionOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun: boolean;
}

/** DeleteOptions from the body (kubectl sends `{"propagationPolicy":"Background"}`) and the query. */
export function parseDeleteOptions(body: Record<string, unknown> | undefined, query: Record<string, string | undefined>): DeleteOptions {
  const b = body ?? {};
  const policy = (b.propagationPolicy ?? query.propagationPolicy) as string | undefined;
  const orphan = b.orphanDependents ?? (query.orphanDependents === undefined ? undefined : query.orphanDependents === 'true');
  if (policy !== undefined && policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
    throw badRequest(`DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`);
  }
  const graceRaw = b.gracePeriodSeconds ?? query.gracePeriodSeconds;
  const grace = graceRaw === undefined || graceRaw === '' ? undefined : Number(graceRaw);
  if (grace !== undefined && (!Number.isInteger(grace) || grace < 0)) throw badRequest(`invalid gracePeriodSeconds: ${String(graceRaw)}`);
  const dryRunValues = (b.dryRun as string[] | undefined) ?? (query.dryRun ? [query.dryRun] : []);
  if (dryRunValues.some((v) => v !== 'All')) throw badRequest(`Invalid dry run value: "${dryRunValues.join(',')}" (supported values: "All")`);
  const opts: DeleteOptions = { dryRun: dryRunValues.length > 0 };
  // orphanDependents is the deprecated spelling of propagationPolicy Orphan/Background.
  const effective = policy ?? (orphan === true ? 'Orphan' : orphan === false ? 'Background' : undefined);
  if (effective) opts.propagationPolicy = effective as DeleteOptions['propagationPolicy'];
  if (grace !== undefined) opts.gracePeriodSeconds = grace;
  if (b.preconditions && typeof b.preconditions === 'object') opts.preconditions = b.preconditions as DeleteOptions['preconditions'];
  return opts;
}
