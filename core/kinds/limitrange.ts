// LimitRange admission (core v1): SetDefaults_LimitRangeItem. For a Container item, a resource with a
// max but no default gets the max as its default limit, and one with a default limit (or else a min)
// but no default request gets that as its default request — so {type: Container, max: {cpu: "2"}}
// is stored as {max: {cpu: "2"}, default: {cpu: "2"}, defaultRequest: {cpu: "2"}}.

import type { KObject } from '../object.ts';
import { list, rec, type Fields, type KindRules } from './types.ts';

function defaults(obj: KObject): void {
  for (const raw of list(rec(obj.spec)?.limits)) {
    const item = rec(raw);
    if (item?.type !== 'Container') continue;
    item.default = { ...rec(item.max), ...rec(item.default) };
    item.defaultRequest = { ...rec(item.min), ...rec(item.default), ...rec(item.defaultRequest) };
    dropEmpty(item, 'default');
    dropEmpty(item, 'defaultRequest');
  }
}

/** Go leaves an empty ResourceList out of the JSON (omitempty). */
function dropEmpty(item: Fields, key: string): void {
  if (Object.keys(item[key]).length === 0) delete item[key];
}

export const limitRangeRules: KindRules = { defaults };
