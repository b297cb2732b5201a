// StorageClass admission: SetDefaults_StorageClass (reclaimPolicy Delete, volumeBindingMode
// Immediate), a required provisioner, and the fields fixed after creation.

import { FieldPath, forbidden, notSupported, required, type FieldCause } from '../field-errors.ts';
import { deepEqual } from '../metadata.ts';
import type { KObject } from '../object.ts';
import { fill, type KindRules } from './types.ts';

const RECLAIM_POLICIES = ['Delete', 'Retain'];
const BINDING_MODES = ['Immediate', 'WaitForFirstConsumer'];
const FIXED = ['parameters', 'provisioner', 'reclaimPolicy', 'volumeBindingMode'];

function validate(obj: KObject): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!obj.provisioner) causes.push(required(FieldPath.root('provisioner')));
  if (!RECLAIM_POLICIES.includes(obj.reclaimPolicy as string)) causes.push(notSupported(FieldPath.root('reclaimPolicy'), obj.reclaimPolicy, RECLAIM_POLICIES));
  if (!BINDING_MODES.includes(obj.volumeBindingMode as string)) {
    causes.push(notSupported(FieldPath.root('volumeBindingMode'), obj.volumeBindingMode, BINDING_MODES));
  }
  return causes;
}

export const storageClassRules: KindRules = {
  defaults: (obj) => {
    fill(obj, 'reclaimPolicy', 'Delete');
    fill(obj, 'volumeBindingMode', 'Immediate');
  },
  validate,
  validateUpdate: (obj, old) =>
    FIXED.filter((f) => !deepEqual(obj[f], old[f])).map((f) => forbidden(FieldPath.root(f), `updates to ${f} are forbidden.`)),
};
