// Cluster and configuration kinds as kube-apiserver prints them (printNode, printNamespace,
// printConfigMap, printSecret, printServiceAccount, printEvent, printPersistentVolume(Claim),
// printStorageClass, printPriorityClass, printLease, printComponentStatus).

import type { KObject } from '../../core/object.ts';
import { ageSince } from '../age.ts';
import { AGE, col, int, list, NAME, spec, status, str, strings, type Json, type Printer } from './format.ts';

const age = (o: KObject, now: number) => ageSince(o.metadata.creationTimestamp, now);
const count = (m: unknown) => Object.keys((m ?? {}) as object).length;

/** "Ready", "NotReady", "Unknown", then ",SchedulingDisabled" for a cordoned node. */
function nodeStatus(node: KObject): string {
  const ready = list(status(node).conditions).find((c) => c.type === 'Ready');
  const out = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown'];
  if (spec(node).unschedulable) out.push('SchedulingDisabled');
  return out.join(',');
}

/** findNodeRoles: node-role.kubernetes.io/<role> labels and the kubernetes.io/role label, sorted. */
function nodeRoles(node: KObject): string {
  const roles = new Set<string>();
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/') && k.length > 'node-role.kubernetes.io/'.length) roles.add(k.slice('node-role.kubernetes.io/'.length));
    else if (k === 'kubernetes.io/role' && v) roles.add(v);
  }
  return roles.size === 0 ? '<none>' : [...roles].sort().join(',');
}

const address = (node: KObject, type: string) => str(list(status(node).addresses).find((a) => a.type === type)?.address) || '<none>';

export const nodes: Printer = {
  columns: [
    NAME,
    col('Status', 'string', 'The status of the node'),
    col('Roles', 'string', 'The roles of the node'),
    AGE,
    col('Version', 'string', 'Kubelet Version reported by the node.'),
    col('Internal-IP', 'string', 'List of addresses reachable to the node.', true),
    col('External-IP', 'string', 'List of addresses reachable to the node.', true),
    col('OS-Image', 'string', 'OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).', true),
    col('Kernel-Version', 'string', "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", true),
    col('Container-Runtime', 'string', 'ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).', true),
  ],
  print: (o, now) => {
    const info: Json = status(o).nodeInfo ?? {};
    return {
      cells: [o.metadata.name, nodeStatus(o), nodeRoles(o), age(o, now), str(info.kubeletVersion), address(o, 'InternalIP'), address(o, 'ExternalIP'),
        str(info.osImage) || '<unknown>', str(info.kernelVersion) || '<unknown>', str(info.containerRuntimeVersion) || '<unknown>'],
    };
  },
};

/** printComponentStatus: Healthy when the Healthy condition is True; its message and error. */
export const componentstatuses: Printer = {
  columns: [
    NAME,
    col('Status', 'string', 'Status of the component conditions'),
    col('Message', 'string', 'Message of the component conditions'),
    col('Error', 'string', 'Error of the component conditions'),
  ],
  print: (o) => {
    const healthy = list(o.conditions).find((c) => c.type === 'Healthy');
    return { cells: [o.metadata.name, healthy?.status === 'True' ? 'Healthy' : 'Unhealthy', str(healthy?.message), str(healthy?.error)] };
  },
};

export const namespaces: Printer = {
  columns: [NAME, col('Status', 'string', 'The status of the namespace'), AGE],
  print: (o, now) => ({ cells: [o.metadata.name, str(status(o).phase), age(o, now)] }),
};

export const configmaps: Printer = {
  columns: [NAME, col('Data', 'integer', 'Data contains the configuration data.'), AGE],
  print: (o, now) => ({ cells: [o.metadata.name, count(o.data) + count(o.binaryData), age(o, now)] }),
};

export const secrets: Printer = {
  columns: [NAME, col('Type', 'string', 'Used to facilitate programmatic handling of secret data.'), col('Data', 'integer', 'Data contains the secret data.'), AGE],
  print: (o, now) => ({ cells: [o.metadata.name, str(o.type) || 'Opaque', count(o.data), age(o, now)] }),
};

export const serviceaccounts: Printer = {
  columns: [NAME, col('Secrets', 'integer', 'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.'), AGE],
  print: (o, now) => ({ cells: [o.metadata.name, list(o.secrets).length, age(o, now)] }),
};

/** formatEventSource: "component, host", or the reporting controller and instance of new-style events. */
function eventSource(e: KObject): string {
  const src: Json = (e.source as Json | undefined) ?? {};
  const component = str(src.component) || str(e.reportingComponent);
  const host = str(src.host) || str(e.reportingInstance);
  if (!component) return '';
  return host ? `${component}, ${host}` : component;
}

function eventCells(e: KObject, now: number): unknown[] {
  const first = e.firstTimestamp ? ageSince(e.firstTimestamp, now) : ageSince(e.eventTime, now);
  let last = e.lastTimestamp ? ageSince(e.lastTimestamp, now) : first;
  const series = e.series as Json | undefined;
  let n = int(e.count);
  if (series) {
    last = ageSince(series.lastObservedTime, now);
    n = int(series.count);
  } else if (n === 0) n = 1; // singleton events of the new API carry no count
  const obj: Json = (e.involvedObject as Json | undefined) ?? {};
  const target = obj.name ? `${str(obj.kind).toLowerCase()}/${obj.name}` : str(obj.kind).toLowerCase();
  return [last, str(e.type), str(e.reason), target, str(obj.fieldPath), eventSource(e), str(e.message).trim(), first, n, e.metadata.name];
}

export const events: Printer = {
  columns: [
    col('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    col('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    col('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    col('Object', 'string', 'The object that this event is about.'),
    col('Subobject', 'string', 'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.', true),
    col('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', true),
    col('Message', 'string', 'A human-readable description of the status of this operation.'),
    col('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', true),
    col('Count', 'string', 'The number of times this event has occurred.', true),
    { ...NAME, priority: 1 },
  ],
  print: (o, now) => ({ cells: eventCells(o, now) }),
};

/** GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order. */
function accessModes(modes: unknown): string {
  const have = new Set(strings(modes));
  const short: [string, string][] = [['ReadWriteOnce', 'RWO'], ['ReadOnlyMany', 'ROX'], ['ReadWriteMany', 'RWX'], ['ReadWriteOncePod', 'RWOP']];
  return short.filter(([m]) => have.has(m)).map(([, s]) => s).join(',');
}

const storageClassOf = (o: KObject) => str(o.metadata.annotations?.['volume.beta.kubernetes.io/storage-class']) || str(spec(o).storageClassName);
const phaseOf = (o: KObject) => (o.metadata.deletionTimestamp ? 'Terminating' : str(status(o).phase));
const VOLUME_MODE = col('VolumeMode', 'string', 'volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.', true);
const VAC = col('VolumeAttributesClass', 'string', 'Name of VolumeAttributesClass to which this persistent volume belongs.');

export const persistentvolumes: Printer = {
  columns: [
    NAME,
    col('Capacity', 'string', 'capacity is the description of the persistent volume\'s resources and capacity.'),
    col('Access Modes', 'string', 'accessModes contains all ways the volume can be mounted.'),
    col('Reclaim Policy', 'string', 'persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim.'),
    col('Status', 'string', 'phase indicates if a volume is available, bound to a claim, or released by a claim.'),
    col('Claim', 'string', 'claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim.'),
    col('StorageClass', 'string', 'storageClassName is the name of StorageClass to which this persistent volume belongs.'),
    VAC,
    col('Reason', 'string', 'reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI.'),
    AGE, VOLUME_MODE,
  ],
  print: (o, now) => {
    const s = spec(o);
    const claim = s.claimRef ? `${str(s.claimRef.namespace)}/${str(s.claimRef.name)}` : '';
    return {
      cells: [o.metadata.name, str(s.capacity?.storage), accessModes(s.accessModes), str(s.persistentVolumeReclaimPolicy), phaseOf(o), claim,
        storageClassOf(o), str(s.volumeAttributesClassName) || '<unset>', str(status(o).reason), age(o, now), str(s.volumeMode) || '<unset>'],
    };
  },
};

export const persistentvolumeclaims: Printer = {
  columns: [
    NAME,
    col('Status', 'string', 'phase represents the current phase of PersistentVolumeClaim.'),
    col('Volume', 'string', 'volumeName is the binding reference to the PersistentVolume backing this claim.'),
    col('Capacity', 'string', 'capacity represents the actual resources of the underlying volume.'),
    col('Access Modes', 'string', 'accessModes contains the actual access modes the volume backing the PVC has.'),
    col('StorageClass', 'string', 'storageClassName is the name of the StorageClass required by the claim.'),
    VAC, AGE, VOLUME_MODE,
  ],
  print: (o, now) => {
    const s = spec(o);
    const bound = str(s.volumeName) !== '';
    return {
      cells: [o.metadata.name, phaseOf(o), str(s.volumeName), bound ? str(status(o).capacity?.storage) : '', bound ? accessModes(status(o).accessModes) : '',
        storageClassOf(o), str(s.volumeAttributesClassName) || '<unset>', age(o, now), str(s.volumeMode) || '<unset>'],
    };
  },
};

const isDefaultClass = (o: KObject) =>
  o.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'] === 'true' ||
  o.metadata.annotations?.['storageclass.beta.kubernetes.io/is-default-class'] === 'true';

export const storageclasses: Printer = {
  columns: [
    NAME,
    col('Provisioner', 'string', 'provisioner indicates the type of the provisioner.'),
    col('ReclaimPolicy', 'string', 'reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class.'),
    col('VolumeBindingMode', 'string', 'volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound.'),
    col('AllowVolumeExpansion', 'string', 'allowVolumeExpansion shows whether the storage class allow volume expand.'),
    AGE,
  ],
  print: (o, now) => ({
    cells: [`${o.metadata.name}${isDefaultClass(o) ? ' (default)' : ''}`, str(o.provisioner), str(o.reclaimPolicy) || 'Delete', str(o.volumeBindingMode) || 'Immediate',
      o.allowVolumeExpansion === true, age(o, now)],
  }),
};

/** printPriorityClass. */
export const priorityclasses: Printer = {
  columns: [
    NAME,
    col('Value', 'integer', 'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.'),
    col('Global-Default', 'boolean', 'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.'),
    AGE,
    col('PreemptionPolicy', 'string', 'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.'),
  ],
  print: (o, now) => ({ cells: [o.metadata.name, int(o.value), o.globalDefault === true, age(o, now), str(o.preemptionPolicy) || '<none>'] }),
};

export const leases: Printer = {
  columns: [NAME, col('Holder', 'string', 'holderIdentity contains the identity of the holder of a current lease.'), AGE],
  print: (o, now) => ({ cells: [o.metadata.name, str(spec(o).holderIdentity), age(o, now)] }),
};
