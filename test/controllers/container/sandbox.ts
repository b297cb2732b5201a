// A sandbox over constructed views, for command, file and log tests.
import type { KObject } from '../../../core/object.ts';
import { sandboxFor, type Sandbox } from '../../../controllers/container/sandbox.ts';
import { viewOf } from '../../../controllers/runtime/testing.ts';
import { T0 } from '../service-fixtures.ts';

/** `objects` are the cluster now; `atStart` (default: the same) the cluster when the container started. */
export function sandbox(pod: KObject, container: string, objects: KObject[], atStart: KObject[] = objects): Sandbox {
  let n = 0;
  const view = viewOf([pod, ...objects]);
  return sandboxFor(pod, container, { envView: viewOf([pod, ...atStart]), filesView: view, view, now: T0 + 3_600_000, nextConnection: () => n++ });
}
