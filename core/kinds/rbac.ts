// RBAC admission (rbac.authorization.k8s.io/v1, pkg/apis/rbac/validation): a rule names its verbs
// and, for resources, its API groups; only cluster roles may cover non-resource URLs; a binding's
// roleRef names a Role or ClusterRole (only a ClusterRole for a ClusterRoleBinding), its subjects
// are users, groups or service accounts, and the roleRef cannot change once set.

import { FieldPath, invalidValue, notSupported, required, type FieldCause } from '../field-errors.ts';
import { deepEqual } from '../metadata.ts';
import type { KObject } from '../object.ts';
import { list, rec, type KindRules } from './types.ts';

const SUBJECT_KINDS = ['ServiceAccount', 'User', 'Group'];

function validateRules(obj: KObject, namespaced: boolean): FieldCause[] {
  const causes: FieldCause[] = [];
  list(obj.rules).forEach((raw, i) => {
    const rule = rec(raw) ?? {};
    const at = FieldPath.root('rules').index(i);
    if (list(rule.verbs).length === 0) causes.push(required(at.child('verbs'), 'verbs must contain at least one value'));
    const urls = list(rule.nonResourceURLs);
    if (urls.length > 0 && namespaced) causes.push(invalidValue(at.child('nonResourceURLs'), urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (urls.length > 0 && (list(rule.resources).length > 0 || list(rule.apiGroups).length > 0)) {
      causes.push(invalidValue(at.child('nonResourceURLs'), urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    if (urls.length === 0 && list(rule.apiGroups).length === 0) causes.push(required(at.child('apiGroups'), 'resource rules must supply at least one api group'));
    if (urls.length === 0 && list(rule.resources).length === 0) causes.push(required(at.child('resources'), 'resource rules must supply at least one resource'));
  });
  return causes;
}

function validateBinding(obj: KObject, roleKinds: string[]): FieldCause[] {
  const causes: FieldCause[] = [];
  const ref = rec(obj.roleRef) ?? {};
  const at = FieldPath.root('roleRef');
  if (ref.apiGroup !== 'rbac.authorization.k8s.io') causes.push(notSupported(at.child('apiGroup'), ref.apiGroup ?? '', ['rbac.authorization.k8s.io']));
  if (!roleKinds.includes(ref.kind)) causes.push(notSupported(at.child('kind'), ref.kind ?? '', roleKinds));
  if (!ref.name) causes.push(required(at.child('name')));
  list(obj.subjects).forEach((raw, i) => {
    const s = rec(raw) ?? {};
    const sp = FieldPath.root('subjects').index(i);
    if (!SUBJECT_KINDS.includes(s.kind)) causes.push(notSupported(sp.child('kind'), s.kind ?? '', SUBJECT_KINDS));
    if (!s.name) causes.push(required(sp.child('name')));
    if (s.kind === 'ServiceAccount' && s.apiGroup) causes.push(notSupported(sp.child('apiGroup'), s.apiGroup, ['']));
  });
  return causes;
}

const roleRefFixed = (obj: KObject, old: KObject): FieldCause[] =>
  deepEqual(obj.roleRef, old.roleRef) ? [] : [invalidValue(FieldPath.root('roleRef'), obj.roleRef ?? null, 'cannot change roleRef')];

export const roleRules: KindRules = { validate: (obj) => validateRules(obj, true) };
export const clusterRoleRules: KindRules = { validate: (obj) => validateRules(obj, false) };
export const roleBindingRules: KindRules = { validate: (obj) => validateBinding(obj, ['Role', 'ClusterRole']), validateUpdate: roleRefFixed };
export const clusterRoleBindingRules: KindRules = { validate: (obj) => validateBinding(obj, ['ClusterRole']), validateUpdate: roleRefFixed };
