// PersistentVolumeClaim admission: SetDefaults_PersistentVolumeClaim (phase Pending, volumeMode
// Filesystem), ValidatePersistentVolumeClaim (access modes and a storage request), and the update
// rule that the spec is fixed except the requested size and the binder's volumeName.

import { FieldPath, forbidden, required, type FieldCause } from '../field-errors.ts';
import { deepEqual } from '../metadata.ts';
import type { KObject } from '../object.ts';
import { validateAccessModes } from './storage.ts';
import { ensure, fill, rec, type Fields, type KindRules } from './types.ts';

const SPEC = FieldPath.root('spec');

/** SetDefaults_PersistentVolumeClaim(Spec), for a claim or a StatefulSet's claim template. */
export function defaultClaim(claim: Fields): void {
  fill(ensure(claim, 'spec'), 'volumeMode', 'Filesystem');
  fill(ensure(claim, 'status'), 'phase', 'Pending');
}

function validate(obj: KObject): FieldCause[] {
  const spec = rec(obj.spec) ?? {};
  const causes = validateAccessModes(spec.accessModes, SPEC.child('accessModes'), 'at least 1 access mode is required');
  if (rec(rec(spec.resources)?.requests)?.storage === undefined) causes.push(required(SPEC.child('resources').key('storage')));
  return causes;
}

function validateUpdate(obj: KObject, old: KObject): FieldCause[] {
  const comparable = (spec: unknown, volumeName: unknown): Fields => {
    const s = structuredClone(rec(spec) ?? {});
    delete s.resources;
    // The binder fills volumeName once; until then it is free.
    s.volumeName = volumeName;
    return s;
  };
  const prev = rec(old.spec) ?? {};
  const volumeName = prev.volumeName || rec(obj.spec)?.volumeName;
  if (deepEqual(comparable(obj.spec, volumeName), comparable(prev, volumeName))) return [];
  return [forbidden(SPEC, 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims')];
}

export const persistentVolumeClaimRules: KindRules = { defaults: defaultClaim, validate, validateUpdate };
