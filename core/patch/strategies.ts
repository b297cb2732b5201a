// The list patch metadata of the Kubernetes API types: the `patchMergeKey` and `patchStrategy`
// struct tags of k8s.io/api (published in OpenAPI as x-kubernetes-patch-merge-key and
// x-kubernetes-patch-strategy). Strategic merge patch merges a list that has a merge key element by
// element, unions a primitive list with strategy "merge", and replaces every other list whole;
// "retainKeys" on a struct clears the keys the patch does not name (a union type like
// DeploymentStrategy). Keys are "<model class>.<json field>".

export interface PatchStrategy {
  /** "merge", "retainKeys" or "merge,retainKeys". */
  strategy: string;
  /** The field identifying an element of a list of objects, e.g. "name" for containers. */
  mergeKey?: string;
}

const byName = (strategy = 'merge'): PatchStrategy => ({ strategy, mergeKey: 'name' });
const byType: PatchStrategy = { strategy: 'merge', mergeKey: 'type' };
const mergeSet: PatchStrategy = { strategy: 'merge' };

const containerLists: Record<string, PatchStrategy> = {
  ports: { strategy: 'merge', mergeKey: 'containerPort' },
  env: byName(),
  volumeMounts: { strategy: 'merge', mergeKey: 'mountPath' },
  volumeDevices: { strategy: 'merge', mergeKey: 'devicePath' },
};

const STRATEGIES: Record<string, PatchStrategy> = {
  'V1ObjectMeta.ownerReferences': { strategy: 'merge', mergeKey: 'uid' },
  'V1ObjectMeta.finalizers': mergeSet,
  'V1PodSpec.containers': byName(),
  'V1PodSpec.initContainers': byName(),
  'V1PodSpec.ephemeralContainers': byName(),
  'V1PodSpec.volumes': byName('merge,retainKeys'),
  'V1PodSpec.imagePullSecrets': byName(),
  'V1PodSpec.hostAliases': { strategy: 'merge', mergeKey: 'ip' },
  'V1PodSpec.topologySpreadConstraints': { strategy: 'merge', mergeKey: 'topologyKey' },
  'V1PodSpec.resourceClaims': byName('merge,retainKeys'),
  'V1PodSpec.schedulingGates': byName(),
  'V1PodStatus.conditions': byType,
  'V1PodStatus.podIPs': { strategy: 'merge', mergeKey: 'ip' },
  'V1PodStatus.hostIPs': { strategy: 'merge', mergeKey: 'ip' },
  'V1ServiceSpec.ports': { strategy: 'merge', mergeKey: 'port' },
  'V1ServiceAccount.secrets': byName(),
  'V1NodeSpec.podCIDRs': mergeSet,
  'V1NodeStatus.conditions': byType,
  'V1NodeStatus.addresses': byType,
  'V1NamespaceStatus.conditions': byType,
  'V1PersistentVolumeClaimStatus.conditions': byType,
  'V1ReplicationControllerStatus.conditions': byType,
  'V1DeploymentSpec.strategy': { strategy: 'retainKeys' },
  'V1DeploymentStatus.conditions': byType,
  'V1ReplicaSetStatus.conditions': byType,
  'V1DaemonSetStatus.conditions': byType,
  'V1StatefulSetStatus.conditions': byType,
  'V1JobStatus.conditions': byType,
  'V2HorizontalPodAutoscalerStatus.conditions': byType,
  'V1PodDisruptionBudgetStatus.conditions': byType,
};
for (const model of ['V1Container', 'V1EphemeralContainer']) {
  for (const [field, s] of Object.entries(containerLists)) STRATEGIES[`${model}.${field}`] = s;
}

/** The patch strategy of `field` in `model`, or undefined for an atomic (replaced) field. */
export function patchStrategy(model: string, field: string): PatchStrategy | undefined {
  return STRATEGIES[`${model}.${field}`];
}
