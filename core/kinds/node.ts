// Node admission: SetDefaults_NodeStatus — a node that reports no allocatable resources can
// allocate its whole capacity.

import type { KObject } from '../object.ts';
import { rec, type KindRules } from './types.ts';

function defaults(obj: KObject): void {
  const status = rec(obj.status);
  if (status && rec(status.capacity) && !rec(status.allocatable)) status.allocatable = { ...status.capacity };
}

export const nodeRules: KindRules = { defaults };
