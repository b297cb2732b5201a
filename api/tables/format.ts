// Shared pieces of the table printers (kube-apiserver pkg/printers/internalversion/printers.go):
// column definitions, safe field access, and the small formatters several kinds use.

import { selectorToString, type LabelSelector } from '../../core/selectors.ts';
import type { KObject } from '../../core/object.ts';

export interface Column {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

/** A row's cells (numbers are int64 in Go and JSON numbers here) and optional row conditions. */
export interface Printed {
  cells: unknown[];
  conditions?: { type: string; status: string; reason: string; message: string }[];
}

export interface Printer {
  columns: Column[];
  print(obj: KObject, now: number): Printed;
}

export type Json = Record<string, any>;

const NAME_DOC = 'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';
const AGE_DOC = 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** A column; `wide` columns (priority 1) show only with `kubectl get -o wide`. */
export function col(name: string, type: string, description: string, wide = false): Column {
  return { name, type, format: name === 'Name' ? 'name' : '', description, priority: wide ? 1 : 0 };
}

export const NAME = col('Name', 'string', NAME_DOC);
export const AGE = col('Age', 'string', AGE_DOC);
export const CONTAINERS = col('Containers', 'string', 'Names of each container in the template.', true);
export const IMAGES = col('Images', 'string', 'Images referenced by each container in the template.', true);
export const SELECTOR = col('Selector', 'string', 'A label query over pods that should match the replica count. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors', true);

export const spec = (o: KObject): Json => (o.spec as Json | undefined) ?? {};
export const status = (o: KObject): Json => (o.status as Json | undefined) ?? {};
export const int = (v: unknown): number => (typeof v === 'number' ? v : 0);
/** The object elements of a list field (anything else in it is ignored, never crashed on). */
export const list = (v: unknown): Json[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'object' && x !== null) : []);
/** The string elements of a list field. */
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x) => typeof x === 'string') : []);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** layoutContainerCells: container names and images, comma-joined. */
export function containerCells(podSpec: Json | undefined): [string, string] {
  const cs = list(podSpec?.containers);
  return [cs.map((c) => str(c.name)).join(','), cs.map((c) => str(c.image)).join(',')];
}

/** metav1.LabelSelectorAsSelector(sel).String(): "" for a missing or empty selector. */
export function selectorCell(sel: unknown): string {
  const s = selectorToString(sel as LabelSelector | undefined);
  return s === '<none>' ? '' : s;
}

/** labels.FormatLabels: "k=v,k2=v2" sorted by key, "<none>" when empty. */
export function formatLabels(m: unknown): string {
  const entries = Object.entries((m ?? {}) as Record<string, string>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return entries.length === 0 ? '<none>' : entries.map(([k, v]) => `${k}=${v}`).join(',');
}

/** listWithMoreString: the first `max` items, then " + N more..." for the rest; "<unset>" when empty. */
export function listWithMore(items: string[], max = 3): string {
  const ret = items.slice(0, max).join(',');
  if (items.length > max) return `${ret} + ${items.length - max} more...`;
  return ret === '' ? '<unset>' : ret;
}

/** The cells of the Containers, Images and Selector wide columns of a workload. */
export function templateCells(template: Json | undefined, selector: unknown): string[] {
  return [...containerCells(template?.spec), selectorCell(selector)];
}
