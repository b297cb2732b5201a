// The Priority admission plugin: a pod being created gets spec.priority (and preemptionPolicy) from
// its spec.priorityClassName — or, naming none, from the global default class if there is one — and
// is refused when the class does not exist or the pod states another priority itself.
//
// Example: PriorityClass high {value: 100000}; a pod with priorityClassName: high is stored with
// priority 100000 and preemptionPolicy PreemptLowerPriority; one naming "hihg" gets
// 403 pods "web-x" is forbidden: no PriorityClass with name hihg was found.

import { admissionForbidden } from './errors.ts';
import { rec, type Fields } from './kinds/types.ts';
import { clone, type KObject } from './object.ts';
import { refOf } from './registry.ts';

export const PRIORITY_CLASSES = 'scheduling.k8s.io/v1/priorityclasses';
const PODS = 'v1/pods';

/** The classes every cluster has (SystemPriorityClasses), whether or not they are stored here. */
export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = {
  'system-node-critical': 2_000_001_000,
  'system-cluster-critical': 2_000_000_000,
};

interface Resolved {
  name: string;
  value: number;
  preemptionPolicy?: string;
}

function resolve(name: string, classes: KObject[]): Resolved | undefined {
  const pc = classes.find((c) => c.metadata.name === name) as Fields | undefined;
  if (pc) return { name, value: Number(pc.value ?? 0), preemptionPolicy: pc.preemptionPolicy };
  const system = SYSTEM_PRIORITY_CLASSES[name];
  return system === undefined ? undefined : { name, value: system, preemptionPolicy: 'PreemptLowerPriority' };
}

/** getDefaultPriority: the lowest-valued global default class, if any. */
function globalDefault(classes: KObject[]): Resolved | undefined {
  const defaults = classes.filter((c) => (c as Fields).globalDefault === true).sort((a, b) => Number((a as Fields).value ?? 0) - Number((b as Fields).value ?? 0));
  return defaults.length > 0 ? resolve(defaults[0].metadata.name ?? '', defaults) : undefined;
}

/** The pod as the Priority plugin leaves it (a copy when it changes). */
export function withPriority(pod: KObject, classes: KObject[]): KObject {
  const spec = rec(pod.spec);
  if (!spec) return pod;
  const named = typeof spec.priorityClassName === 'string' && spec.priorityClassName !== '' ? spec.priorityClassName : undefined;
  const forbid = (why: string) => admissionForbidden(refOf(PODS), pod.metadata.name ?? '', why);
  const pc = named ? resolve(named, classes) : globalDefault(classes);
  if (named && !pc) throw forbid(`no PriorityClass with name ${named} was found`);
  if (!pc) return pod;
  if (spec.priority !== undefined && spec.priority !== pc.value) {
    throw forbid(`the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${pc.value} from the given PriorityClass name`);
  }
  if (pc.preemptionPolicy && spec.preemptionPolicy !== undefined && spec.preemptionPolicy !== pc.preemptionPolicy) {
    throw forbid(`the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${pc.preemptionPolicy} from the given PriorityClass name`);
  }
  const out = clone(pod);
  const outSpec = out.spec as Fields;
  outSpec.priorityClassName = pc.name;
  outSpec.priority = pc.value;
  if (pc.preemptionPolicy) outSpec.preemptionPolicy = pc.preemptionPolicy;
  return out;
}
