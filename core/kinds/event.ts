// Event admission (core v1, also events.k8s.io/v1 Events once converted to the storage form): an
// event is about some object, and a namespaced event lives in its object's namespace. Everything
// else about events is free-form (ValidateEventCreate is lenient for the old core API).

import { FieldPath, invalidValue, required, type FieldCause } from '../field-errors.ts';
import type { KObject } from '../object.ts';
import { rec, type KindRules } from './types.ts';

function validate(obj: KObject): FieldCause[] {
  const involved = rec(obj.involvedObject);
  if (!involved) return [required(FieldPath.root('involvedObject'))];
  const ns = involved.namespace;
  if (ns && obj.metadata.namespace && ns !== obj.metadata.namespace) {
    return [invalidValue(FieldPath.root('involvedObject').child('namespace'), ns, 'does not match event.namespace')];
  }
  return [];
}

export const eventRules: KindRules = { validate };
