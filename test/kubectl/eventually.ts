// Waiting for controllers in end-to-end tests: run a kubectl command until its result satisfies a
// predicate (endpoints follow pods, mounted files follow ConfigMaps after the sync delay). It waits
// on the cluster's state, never asserts on timing: the last result is returned either way and the
// test asserts on it.

import { setTimeout as sleep } from 'node:timers/promises';
import type { Result } from './harness.ts';

export async function eventually(run: () => Promise<Result>, done: (r: Result) => boolean, tries = 60, everyMs = 500): Promise<Result> {
  let r = await run();
  for (let i = 1; i < tries && !done(r); i++) {
    await sleep(everyMs);
    r = await run();
  }
  return r;
}
