// Server-side tables (meta.k8s.io/v1 Table) for `kubectl get`: kubectl prints the server's columns
// as they come, hides priority-1 columns unless `-o wide`, and reads NAMESPACE, LABELS and `-L`
// columns from each row's `object` (PartialObjectMetadata by default). Columns and cells follow
// kube-apiserver's printers (pkg/printers/internalversion/printers.go); the printers live in
// api/tables/, one file per family of kinds. A kind without a printer gets the apiserver's default
// table: Name and Created At.

import type { KObject } from '../core/object.ts';
import { toStorage } from '../core/conversion.ts';
import { parseApiVersion, resourceOf } from '../core/registry.ts';
import { col, NAME, type Printed, type Printer } from './tables/format.ts';
import * as access from './tables/access.ts';
import * as cluster from './tables/cluster.ts';
import * as network from './tables/network.ts';
import { pods } from './tables/pods.ts';
import * as workloads from './tables/workloads.ts';

const PRINTERS: Record<string, Printer> = { pods, ...workloads, ...network, ...cluster, ...access };

const CREATED_AT = col('Created At', 'date', 'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata');

/** The apiserver's default table convertor: Name and the creation timestamp as RFC 3339. */
const DEFAULT: Printer = {
  columns: [NAME, CREATED_AT],
  print: (o) => ({ cells: [o.metadata.name, o.metadata.creationTimestamp ?? null] }),
};

/** The printer of a storage key ("apps/v1/deployments"), by its plural resource name. */
function printerOf(res: string): Printer {
  const plural = resourceOf(res)?.plural ?? res.split('/').pop() ?? '';
  return Object.hasOwn(PRINTERS, plural) ? PRINTERS[plural] : DEFAULT;
}

export interface TableOptions {
  /** Milliseconds since the epoch, from the server's clock: ages are computed against it. */
  now: number;
  includeObject?: 'None' | 'Metadata' | 'Object';
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

function rowObject(o: KObject, include: TableOptions['includeObject']): object | undefined {
  if (include === 'None') return undefined;
  if (include === 'Object') return o;
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/**
 * Printers read the storage form (kube-apiserver prints from its internal version), so an object
 * served in another version (events.k8s.io Event, autoscaling/v1 HPA) is converted back first.
 */
function storageForm(o: KObject): KObject {
  return toStorage({ ...parseApiVersion(o.apiVersion), kind: o.kind }, o);
}

function row(printer: Printer, o: KObject, opts: TableOptions): object {
  const printed: Printed = printer.print(storageForm(o), opts.now);
  const object = rowObject(o, opts.includeObject);
  return { cells: printed.cells, ...(printed.conditions ? { conditions: printed.conditions } : {}), ...(object ? { object } : {}) };
}

export function toTable(res: string, objects: KObject[], opts: TableOptions): object {
  const printer = printerOf(res);
  const metadata: Record<string, unknown> = { resourceVersion: opts.resourceVersion };
  if (opts.continue) metadata.continue = opts.continue;
  if (opts.remainingItemCount !== undefined) metadata.remainingItemCount = opts.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata,
    columnDefinitions: printer.columns,
    rows: objects.map((o) => row(printer, o, opts)),
  };
}
