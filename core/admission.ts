// Admission: what kube-apiserver does to an object between decoding a write and storing it —
// defaulting (SetDefaults_* and the mutating plugins), then validation (ValidateObjectMeta and the
// kind's ValidateX / ValidateXUpdate). `admit` is the store's StoreOptions.admit hook: it gets the
// object a create, update or patch would store and returns the defaulted copy, or throws
// 422 Invalid with one cause per problem, e.g.
//   Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value
// The input is never modified. Per-kind rules live in core/kinds/<kind>.ts; a kind without rules
// gets the generic metadata checks only.

import { admissionForbidden, badRequest, invalid, isStatusError } from './errors.ts';
import type { FieldCause } from './field-errors.ts';
import { cronJobRules } from './kinds/cronjob.ts';
import { configMapRules } from './kinds/configmap.ts';
import { daemonSetRules } from './kinds/daemonset.ts';
import { deploymentRules } from './kinds/deployment.ts';
import { endpointsRules } from './kinds/endpoints.ts';
import { eventRules } from './kinds/event.ts';
import { horizontalPodAutoscalerRules } from './kinds/horizontalpodautoscaler.ts';
import { ingressRules } from './kinds/ingress.ts';
import { jobRules } from './kinds/job.ts';
import { jsonTypeError } from './kinds/json-types.ts';
import { limitRangeRules } from './kinds/limitrange.ts';
import { validateObjectMeta, validateObjectMetaUpdate } from './kinds/meta.ts';
import { namespaceRules } from './kinds/namespace.ts';
import { networkPolicyRules } from './kinds/networkpolicy.ts';
import { nodeRules } from './kinds/node.ts';
import { persistentVolumeRules } from './kinds/persistentvolume.ts';
import { persistentVolumeClaimRules } from './kinds/persistentvolumeclaim.ts';
import { podEphemeralContainersRules, podRules } from './kinds/pod.ts';
import { podDisruptionBudgetRules } from './kinds/poddisruptionbudget.ts';
import { priorityClassRules } from './kinds/priorityclass.ts';
import { clusterRoleBindingRules, clusterRoleRules, roleBindingRules, roleRules } from './kinds/rbac.ts';
import { replicaSetRules } from './kinds/replicaset.ts';
import { LIMIT_RANGES, limitRangeRefusal, withLimitRangeDefaults } from './limit-ranger.ts';
import { PRIORITY_CLASSES, withPriority } from './priority.ts';
import { admitQuota } from './quota.ts';
import { admitServiceAddresses } from './service-alloc.ts';
import { replicationControllerRules } from './kinds/replicationcontroller.ts';
import { secretRules } from './kinds/secret.ts';
import { serviceRules } from './kinds/service.ts';
import { statefulSetRules } from './kinds/statefulset.ts';
import { storageClassRules } from './kinds/storageclass.ts';
import { rec, type AdmitContext, type KindRules } from './kinds/types.ts';
import { clone, type KObject } from './object.ts';
import { parseApiVersion, refOf, resourceOf, storageApiVersion, type ResourceInfo } from './registry.ts';

/** The rules of each storage key, and of a subresource with a strategy of its own ("<key>/<subresource>"). */
const RULES: Record<string, KindRules> = {
  'v1/pods': podRules,
  'v1/pods/ephemeralcontainers': podEphemeralContainersRules,
  'v1/services': serviceRules,
  'v1/namespaces': namespaceRules,
  'v1/configmaps': configMapRules,
  'v1/secrets': secretRules,
  'v1/nodes': nodeRules,
  'v1/replicationcontrollers': replicationControllerRules,
  'v1/persistentvolumes': persistentVolumeRules,
  'v1/persistentvolumeclaims': persistentVolumeClaimRules,
  'v1/events': eventRules,
  'apps/v1/deployments': deploymentRules,
  'apps/v1/replicasets': replicaSetRules,
  'apps/v1/daemonsets': daemonSetRules,
  'apps/v1/statefulsets': statefulSetRules,
  'batch/v1/jobs': jobRules,
  'batch/v1/cronjobs': cronJobRules,
  'autoscaling/v2/horizontalpodautoscalers': horizontalPodAutoscalerRules,
  'networking.k8s.io/v1/ingresses': ingressRules,
  'networking.k8s.io/v1/networkpolicies': networkPolicyRules,
  'policy/v1/poddisruptionbudgets': podDisruptionBudgetRules,
  'v1/endpoints': endpointsRules,
  'v1/limitranges': limitRangeRules,
  'rbac.authorization.k8s.io/v1/roles': roleRules,
  'rbac.authorization.k8s.io/v1/clusterroles': clusterRoleRules,
  'rbac.authorization.k8s.io/v1/rolebindings': roleBindingRules,
  'rbac.authorization.k8s.io/v1/clusterrolebindings': clusterRoleBindingRules,
  'storage.k8s.io/v1/storageclasses': storageClassRules,
  'scheduling.k8s.io/v1/priorityclasses': priorityClassRules,
};

export interface AdmissionRequest extends AdmitContext {
  object: KObject;
}

/**
 * apiVersion and kind must be the resource's storage form (the API converts served versions first);
 * missing ones are filled in, as the API server does from the URL.
 */
function checkTypeMeta(obj: KObject, res: string, info: ResourceInfo | undefined): void {
  if (!rec(obj.metadata)) obj.metadata = {};
  if (!info) return;
  const apiVersion = storageApiVersion(res);
  obj.apiVersion ||= apiVersion;
  obj.kind ||= info.kind;
  if (obj.apiVersion !== apiVersion) {
    throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${apiVersion})`);
  }
  if (obj.kind !== info.kind) throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${info.kind})`);
}

function causesOf(obj: KObject, req: AdmissionRequest, rules: KindRules): FieldCause[] {
  const causes = [...validateObjectMeta(obj, req.res), ...(rules.validate?.(obj, req) ?? [])];
  if (req.op === 'update' && req.old) causes.push(...validateObjectMetaUpdate(obj, req.old), ...(rules.validateUpdate?.(obj, req.old) ?? []));
  return causes;
}

function admitCopy(obj: KObject, req: AdmissionRequest, info: ResourceInfo | undefined): KObject {
  checkTypeMeta(obj, req.res, info);
  // rest.BeforeUpdate: an update that leaves out the uid keeps the stored one.
  if (req.op === 'update' && req.old && !obj.metadata.uid) obj.metadata.uid = req.old.metadata.uid;
  const typeError = jsonTypeError(obj);
  if (typeError) throw new TypeError(typeError);
  const rules = (req.subresource && RULES[`${req.res}/${req.subresource}`]) || RULES[req.res] || {};
  rules.defaults?.(obj, req);
  const causes = causesOf(obj, req, rules);
  if (causes.length > 0) throw invalid(info?.kind ?? obj.kind, info?.group ?? '', obj.metadata.name ?? '', causes);
  return obj;
}

/**
 * Default and validate the object a write would store (the store's admit hook). Services also get
 * their cluster IP and node ports here, when the store passes `peers` — as kube-apiserver's service
 * registry allocates them in the write, so the create response already carries them.
 */
export function admit(req: AdmissionRequest): KObject {
  const admitted = req.res === 'v1/services' ? admitService(req) : admitOne(mutatedPod(req));
  // The validating plugins judge the defaulted object, in kube-apiserver's order: LimitRanger (pods
  // on create, claims on create and update), then ResourceQuota (on create).
  checkLimitRanges(req, admitted);
  if (req.op === 'create') admitQuota({ res: req.res, object: admitted, peers: req.peers });
  return admitted;
}

function checkLimitRanges(req: AdmissionRequest, object: KObject): void {
  const ns = object.metadata.namespace;
  const res = req.res;
  if (!ns || !req.peers || (res !== 'v1/persistentvolumeclaims' && (res !== 'v1/pods' || req.op !== 'create'))) return;
  const why = limitRangeRefusal(res, object, req.peers(LIMIT_RANGES, ns));
  if (why) throw admissionForbidden(refOf(res), object.metadata.name ?? '', why);
}

/** A pod being created passes the mutating plugins first: Priority, and LimitRanger's defaults. */
function mutatedPod(req: AdmissionRequest): AdmissionRequest {
  const ns = req.object.metadata?.namespace;
  if (req.res !== 'v1/pods' || req.op !== 'create' || !req.peers) return req;
  const prioritized = withPriority(req.object, req.peers(PRIORITY_CLASSES));
  return { ...req, object: ns ? withLimitRangeDefaults(prioritized, req.peers(LIMIT_RANGES, ns)) : prioritized };
}

function admitService(req: AdmissionRequest): KObject {
  const services = req.peers?.('v1/services');
  return admitServiceAddresses(req.object, req.op === 'update' ? req.old : undefined, (object) => admitOne({ ...req, object }), services);
}

function admitOne(req: AdmissionRequest): KObject {
  const info = resourceOf(req.res);
  try {
    return admitCopy(clone(req.object), req, info);
  } catch (e) {
    if (isStatusError(e)) throw e;
    // A shape no rule expected (a string where an object belongs…) is a decoding error, as in Go.
    const kind = info?.kind ?? String(req.object?.kind);
    const version = parseApiVersion(String(req.object?.apiVersion ?? '')).version;
    throw badRequest(`${kind} in version "${version}" cannot be handled as a ${kind}: ${(e as Error).message}`);
  }
}
