/**
 * execute() for a run that repeats an earlier attempt of the same work: a host's queue running a job again
 * after its worker died mid-request, or after a later step failed. The same run, told when the earlier
 * attempt started, so that a create finds the object that attempt made instead of making a second one
 * (RunInternals.resumesFrom, src/domain/create-once.ts). The workers adapter (src/workers/) calls it.
 */
import { runAction } from './action-run.js';
import type { HostOptions } from './host-call.js';
import type { ActionResult, ExecuteRequest } from './results.js';

/** Never throws, like execute(). `resumesFrom` undefined: a first attempt, exactly execute(). */
export function executeResumed(
  actionKey: string,
  request: ExecuteRequest,
  options: HostOptions | undefined,
  resumesFrom: number | undefined,
): Promise<ActionResult> {
  return runAction(actionKey, request, options, resumesFrom === undefined ? {} : { resumesFrom });
}
