// The pods/ephemeralcontainers subresource, through which `kubectl debug POD --image=busybox:1.36`
// adds a debug container: it PATCHes /api/v1/namespaces/NS/pods/POD/ephemeralcontainers with the
// strategic merge patch {"spec":{"ephemeralContainers":[{"name":"debugger-x7k2q",…}]}} (the list
// merges by name, so the patch carries only the new one). GET answers the Pod, PUT and PATCH are
// write.ts's, keeping of the result only spec.ephemeralContainers; the commit names the subresource,
// so admission holds it to the subresource's rules (core/kinds/pod.ts podEphemeralContainersRules)
// rather than the pod's update rules, which forbid any such change.

import type { KObject } from '../../core/object.ts';

export const EPHEMERAL_CONTAINERS = 'ephemeralcontainers';

/**
 * dropNonEphemeralContainerUpdates: the stored pod with the written ephemeral containers — any other
 * change in the body (labels, other spec fields, status) is dropped without an error, as by
 * kube-apiserver. The pod's generation and resourceVersion then move as for any spec change.
 */
export function withOnlyEphemeralContainers(next: KObject, current: KObject): KObject {
  const spec = { ...(current.spec as Record<string, unknown>) };
  const ephemeral = (next.spec as { ephemeralContainers?: unknown } | undefined)?.ephemeralContainers;
  if (ephemeral === undefined || ephemeral === null) delete spec.ephemeralContainers;
  else spec.ephemeralContainers = ephemeral;
  return { ...current, spec };
}
