// Storage kinds' rules shared by PersistentVolume and PersistentVolumeClaim: access modes.

import { FieldPath, forbidden, notSupported, required, type FieldCause } from '../field-errors.ts';
import { list } from './types.ts';

const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];

/** At least one access mode, each supported; ReadWriteOncePod excludes the others. */
export function validateAccessModes(modes: unknown, path: FieldPath, requiredDetail?: string): FieldCause[] {
  const all = list(modes);
  if (all.length === 0) return [required(path, requiredDetail)];
  const causes = all.filter((m) => !ACCESS_MODES.includes(m as string)).map((m) => notSupported(path, m, ACCESS_MODES));
  if (all.includes('ReadWriteOncePod') && all.length > 1) {
    causes.push(forbidden(path, 'may not use ReadWriteOncePod with other access modes'));
  }
  return causes;
}
