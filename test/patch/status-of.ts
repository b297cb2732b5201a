import { isStatusError, type Status } from '../../core/errors.ts';

/** The Status a call throws, or undefined when it does not throw (other errors propagate). */
export function statusOf(fn: () => unknown): Status | undefined {
  try {
    fn();
    return undefined;
  } catch (e) {
    if (!isStatusError(e)) throw e;
    return e.status;
  }
}
