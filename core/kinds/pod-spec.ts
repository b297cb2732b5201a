// The PodSpec rules every pod-bearing kind shares: a Pod's own spec and the template inside a
// Deployment, ReplicaSet, ReplicationController, DaemonSet, StatefulSet, Job and CronJob.
// Defaults follow pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec, _Container, _Volume, _Probe…);
// validation follows pkg/apis/core/validation (ValidatePodSpec) for the mistakes users make.
//
// Worked example — a seed Deployment's container {name: "web", image: "nginx:latest", ports:
// [{containerPort: 80}]} comes out as {name: "web", image: "nginx:latest", imagePullPolicy: "Always",
// ports: [{containerPort: 80, protocol: "TCP"}], resources: {}, terminationMessagePath:
// "/dev/termination-log", terminationMessagePolicy: "File"}, and the spec gains dnsPolicy
// ClusterFirst, restartPolicy Always, schedulerName default-scheduler, securityContext {} and
// terminationGracePeriodSeconds 30.

import { duplicate, FieldPath, forbidden, invalidEach, invalidValue, notFound, notSupported, required, type FieldCause } from '../field-errors.ts';
import { isDNS1123Label, isEnvVarName, isValidPortName, isValidPortNum } from '../names.ts';
import { parseQuantity, QUANTITY_FORMAT_ERROR } from '../quantity.ts';
import { validateLabels } from './meta.ts';
import { ensure, fill, list, num, rec, type Fields } from './types.ts';

const CONTAINER_LISTS = ['initContainers', 'containers'] as const;
/** SetDefaults_EphemeralContainer defaults an ephemeral container as any other (SetDefaults_Container). */
const DEFAULTED_CONTAINER_LISTS = [...CONTAINER_LISTS, 'ephemeralContainers'] as const;

/** The volume sources of core/v1 VolumeSource; a volume naming none of them becomes an emptyDir. */
const VOLUME_SOURCES = [
  'hostPath', 'emptyDir', 'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'secret', 'nfs', 'iscsi', 'glusterfs',
  'persistentVolumeClaim', 'rbd', 'flexVolume', 'cinder', 'cephfs', 'flocker', 'downwardAPI', 'fc', 'azureFile', 'configMap',
  'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk', 'projected', 'portworxVolume', 'scaleIO', 'storageos',
  'csi', 'ephemeral', 'image',
];

/** Sources whose files get a default mode of 0644 (420), as their SetDefaults_*VolumeSource do. */
const MODE_SOURCES = ['secret', 'configMap', 'projected', 'downwardAPI'];

const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const PROTOCOLS = ['SCTP', 'TCP', 'UDP'];
const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];

/**
 * SetDefaults_Container's pull policy: Always for the `latest` tag (explicit or implied by no tag),
 * IfNotPresent for any other tag or a digest. "nginx" → Always, "nginx:1.25" → IfNotPresent,
 * "registry:5000/nginx" → Always (the colon belongs to the host), "nginx@sha256:…" → IfNotPresent.
 */
function defaultPullPolicy(image: string): string {
  if (image.includes('@')) return 'IfNotPresent';
  const lastPart = image.slice(image.lastIndexOf('/') + 1);
  const colon = lastPart.indexOf(':');
  const tag = colon < 0 ? 'latest' : lastPart.slice(colon + 1);
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultProbe(probe: Fields | undefined): void {
  if (!probe) return;
  fill(probe, 'timeoutSeconds', 1);
  fill(probe, 'periodSeconds', 10);
  fill(probe, 'successThreshold', 1);
  fill(probe, 'failureThreshold', 3);
  const http = rec(probe.httpGet);
  if (http) {
    fill(http, 'path', '/');
    fill(http, 'scheme', 'HTTP');
  }
}

function defaultContainer(c: Fields): void {
  if (typeof c.image === 'string') fill(c, 'imagePullPolicy', defaultPullPolicy(c.image));
  fill(c, 'terminationMessagePath', '/dev/termination-log');
  fill(c, 'terminationMessagePolicy', 'File');
  ensure(c, 'resources');
  for (const p of list(c.ports)) if (rec(p)) fill(p as Fields, 'protocol', 'TCP');
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(rec(c[probe]));
  for (const e of list(c.env)) {
    const fieldRef = rec(rec(rec(e)?.valueFrom)?.fieldRef);
    if (fieldRef) fill(fieldRef, 'apiVersion', 'v1');
  }
}

function defaultVolume(v: Fields): void {
  if (!VOLUME_SOURCES.some((s) => v[s] !== undefined && v[s] !== null)) v.emptyDir = {};
  for (const s of MODE_SOURCES) {
    const src = rec(v[s]);
    if (src) fill(src, 'defaultMode', 420);
  }
}

/** SetDefaults_PodSpec and the container, volume and probe defaults under it. */
export function defaultPodSpec(spec: Fields): void {
  fill(spec, 'dnsPolicy', 'ClusterFirst');
  fill(spec, 'restartPolicy', 'Always');
  fill(spec, 'schedulerName', 'default-scheduler');
  fill(spec, 'terminationGracePeriodSeconds', 30);
  ensure(spec, 'securityContext');
  for (const key of DEFAULTED_CONTAINER_LISTS) for (const c of list(spec[key])) if (rec(c)) defaultContainer(c as Fields);
  for (const v of list(spec.volumes)) if (rec(v)) defaultVolume(v as Fields);
}

/** The pod-level part of a PodTemplateSpec: defaults its spec (metadata needs none). */
export function defaultPodTemplate(template: Fields | undefined): void {
  if (template) defaultPodSpec(ensure(template, 'spec'));
}

function validateVolumes(spec: Fields, path: FieldPath): { causes: FieldCause[]; names: Set<string> } {
  const causes: FieldCause[] = [];
  const names = new Set<string>();
  list(spec.volumes).forEach((raw, i) => {
    const v = rec(raw) ?? {};
    const at = path.child('volumes').index(i);
    if (!v.name) causes.push(required(at.child('name')));
    else if (names.has(v.name)) causes.push(duplicate(at.child('name'), v.name));
    else causes.push(...invalidEach(at.child('name'), v.name, isDNS1123Label(String(v.name))));
    if (v.name) names.add(String(v.name));
  });
  return { causes, names };
}

/** validateContainerPorts: port names are unique within a container. */
function validatePorts(c: Fields, at: FieldPath): FieldCause[] {
  const causes: FieldCause[] = [];
  const names = new Set<string>();
  list(c.ports).forEach((raw, i) => {
    const p = rec(raw) ?? {};
    const pp = at.child('ports').index(i);
    if (p.name !== undefined && p.name !== '') {
      causes.push(...invalidEach(pp.child('name'), p.name, isValidPortName(String(p.name))));
      if (names.has(p.name)) causes.push(duplicate(pp.child('name'), p.name));
      names.add(p.name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) causes.push(required(pp.child('containerPort')));
    else causes.push(...invalidEach(pp.child('containerPort'), p.containerPort, isValidPortNum(Number(p.containerPort))));
    if (p.hostPort !== undefined && p.hostPort !== 0) causes.push(...invalidEach(pp.child('hostPort'), p.hostPort, isValidPortNum(Number(p.hostPort))));
    if (!PROTOCOLS.includes(p.protocol)) causes.push(notSupported(pp.child('protocol'), p.protocol ?? '', PROTOCOLS));
  });
  return causes;
}

function validateEnv(c: Fields, at: FieldPath): FieldCause[] {
  return list(c.env).flatMap((raw, i) => {
    const name = rec(raw)?.name;
    const path = at.child('env').index(i).child('name');
    return name ? invalidEach(path, name, isEnvVarName(String(name))) : [required(path)];
  });
}

/** Mounts name a volume of the pod, at a path no other mount of the container uses. */
function validateMounts(c: Fields, at: FieldPath, volumes: Set<string>): FieldCause[] {
  const causes: FieldCause[] = [];
  const paths = new Set<string>();
  list(c.volumeMounts).forEach((raw, i) => {
    const m = rec(raw) ?? {};
    const mp = at.child('volumeMounts').index(i);
    if (!m.name) causes.push(required(mp.child('name')));
    else if (!volumes.has(m.name)) causes.push(notFound(mp.child('name'), m.name));
    if (!m.mountPath) causes.push(required(mp.child('mountPath')));
    else if (paths.has(m.mountPath)) causes.push(...invalidEach(mp.child('mountPath'), m.mountPath, ['must be unique']));
    if (m.mountPath) paths.add(m.mountPath);
  });
  return causes;
}

/**
 * ValidateResourceRequirements: quantities are non-negative and a request is at most its limit.
 * A value that is not a quantity at all fails decoding in Go (a 400), so it throws here.
 */
function validateResources(c: Fields, at: FieldPath): FieldCause[] {
  const resources = rec(c.resources) ?? {};
  const causes: FieldCause[] = [];
  const amounts = (kind: 'limits' | 'requests') =>
    Object.entries(rec(resources[kind]) ?? {}).map(([name, text]) => {
      const amount = parseQuantity(text);
      if (amount === undefined) throw new TypeError(QUANTITY_FORMAT_ERROR);
      if (amount < 0) causes.push(...invalidEach(at.child('resources').child(kind).key(name), text, ['must be greater than or equal to 0']));
      return { name, text, amount };
    });
  const limits = amounts('limits');
  for (const r of amounts('requests')) {
    const limit = limits.find((l) => l.name === r.name);
    if (limit && r.amount > limit.amount) {
      causes.push(...invalidEach(at.child('resources').child('requests'), r.text, [`must be less than or equal to ${r.name} limit of ${limit.text}`]));
    }
  }
  return causes;
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];

/**
 * validateProbe / validateHandler: a probe names exactly one handler (a YAML indentation slip
 * usually leaves none); liveness and startup probes succeed after one success.
 */
function validateProbes(c: Fields, at: FieldPath): FieldCause[] {
  const causes: FieldCause[] = [];
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const probe = rec(c[kind]);
    if (!probe) continue;
    const path = at.child(kind);
    const handlers = PROBE_HANDLERS.filter((h) => probe[h] !== undefined && probe[h] !== null);
    if (handlers.length === 0) causes.push(required(path, 'must specify a handler type'));
    if (handlers.length > 1) causes.push(forbidden(path.child(handlers[1]), 'may not specify more than 1 handler type'));
    const port = rec(probe.httpGet)?.port ?? rec(probe.tcpSocket)?.port;
    if (typeof port === 'number') causes.push(...invalidEach(path.child(probe.httpGet ? 'httpGet' : 'tcpSocket').child('port'), port, isValidPortNum(port)));
    if (kind !== 'readinessProbe' && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
      causes.push(invalidValue(path.child('successThreshold'), probe.successThreshold, 'must be 1'));
    }
  }
  return causes;
}

/** validateContainerCommon with validateContainerOnlyForPod: what every kind of container is held to. */
export function validateContainerCommon(c: Fields, at: FieldPath, volumes: Set<string>): FieldCause[] {
  const causes: FieldCause[] = [];
  if (!c.image) causes.push(required(at.child('image')));
  if (c.imagePullPolicy !== undefined && !PULL_POLICIES.includes(c.imagePullPolicy)) {
    causes.push(notSupported(at.child('imagePullPolicy'), c.imagePullPolicy, PULL_POLICIES));
  }
  return [
    ...causes,
    ...validatePorts(c, at),
    ...validateEnv(c, at),
    ...validateMounts(c, at, volumes),
    ...validateResources(c, at),
  ];
}

/** One container list (containers or initContainers): names required, DNS labels, unique across both. */
function validateContainerList(spec: Fields, key: string, path: FieldPath, ctx: { volumes: Set<string>; names: Set<string> }): FieldCause[] {
  const causes: FieldCause[] = [];
  list(spec[key]).forEach((raw, i) => {
    const c = rec(raw) ?? {};
    const at = path.child(key).index(i);
    if (!c.name) causes.push(required(at.child('name')));
    else if (ctx.names.has(c.name)) causes.push(duplicate(at.child('name'), c.name));
    else causes.push(...invalidEach(at.child('name'), c.name, isDNS1123Label(String(c.name))));
    if (c.name) ctx.names.add(c.name);
    causes.push(...validateContainerCommon(c, at, ctx.volumes), ...validateProbes(c, at));
  });
  return causes;
}

/** A template's own restart-policy rule (workloads: Always only; Jobs: OnFailure or Never). */
export type RestartPolicyRule = (policy: unknown, path: FieldPath) => FieldCause[];

/** ValidatePodTemplateSpecForReplicaSet and its kin: pods of long-running workloads always restart. */
export const alwaysRestart: RestartPolicyRule = (policy, path) => (policy === 'Always' ? [] : [notSupported(path, policy ?? '', ['Always'])]);

/** ValidatePodSpec for the fields users get wrong. */
export function validatePodSpec(spec: Fields | undefined, path: FieldPath): FieldCause[] {
  if (!spec) return [required(path)];
  const { causes, names: volumes } = validateVolumes(spec, path);
  if (list(spec.containers).length === 0) causes.push(required(path.child('containers')));
  const ctx = { volumes, names: new Set<string>() };
  for (const key of CONTAINER_LISTS) causes.push(...validateContainerList(spec, key, path, ctx));
  if (!RESTART_POLICIES.includes(spec.restartPolicy)) causes.push(notSupported(path.child('restartPolicy'), spec.restartPolicy ?? '', RESTART_POLICIES));
  if (!DNS_POLICIES.includes(spec.dnsPolicy)) causes.push(notSupported(path.child('dnsPolicy'), spec.dnsPolicy ?? '', DNS_POLICIES));
  causes.push(...validateLabels(spec.nodeSelector, path.child('nodeSelector')));
  // The pod's hostname and its subdomain under a headless service are DNS labels.
  for (const f of ['hostname', 'subdomain']) if (spec[f]) causes.push(...invalidEach(path.child(f), spec[f], isDNS1123Label(String(spec[f]))));
  const grace = spec.terminationGracePeriodSeconds;
  if (grace !== undefined && num(grace) === undefined) causes.push(...invalidEach(path.child('terminationGracePeriodSeconds'), grace, ['must be an integer']));
  return causes;
}

/** A template's spec and the owning kind's restart policy rule; the template itself is required. */
export function validatePodTemplate(template: Fields | undefined, path: FieldPath, restartRule: RestartPolicyRule): FieldCause[] {
  if (!template) return [required(path)];
  const spec = rec(template.spec);
  const causes = validatePodSpec(spec, path.child('spec'));
  if (list(spec?.ephemeralContainers).length > 0) causes.push(forbidden(path.child('spec').child('ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  // Checked after, and besides, the pod-level rule: a bad value gets both causes, as in Kubernetes.
  if (spec) causes.push(...restartRule(spec.restartPolicy, path.child('spec').child('restartPolicy')));
  return causes;
}
