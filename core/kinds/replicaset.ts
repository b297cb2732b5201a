// ReplicaSet admission: apps/v1 SetDefaults_ReplicaSet (replicas 1) and ValidateReplicaSet(Update).

import type { KObject } from '../object.ts';
import { defaultPodTemplate } from './pod-spec.ts';
import { ensure, fill, rec, type KindRules } from './types.ts';
import { validateNonNegative, validateSelectorAndTemplate, validateSelectorImmutable } from './workload.ts';

function defaults(obj: KObject): void {
  const spec = ensure(obj, 'spec');
  fill(spec, 'replicas', 1);
  defaultPodTemplate(rec(spec.template));
}

export const replicaSetRules: KindRules = {
  defaults,
  validate: (obj) => {
    const spec = rec(obj.spec) ?? {};
    return [...validateNonNegative(spec, ['replicas', 'minReadySeconds']), ...validateSelectorAndTemplate(spec, { kindWord: 'deployment' })];
  },
  validateUpdate: validateSelectorImmutable,
};
