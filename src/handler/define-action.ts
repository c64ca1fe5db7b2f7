/** The shape of an action handler: validated input in, output out. The contract lives in action.json. */

import type { StepRecord } from '../errors/action-error.js';
import type { OktaContext } from './okta-context.js';

/** One change an action makes in Okta: the request it sends (for the step list and a dry run's plan). */
export interface ChangeRequest {
  method: 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  path: string;
}

/** What a fresh read found after a change whose answer was lost (see src/domain/create-once.ts). */
export type LostAnswerOutcome = 'done' | 'not-done' | 'unknown';

/**
 * What a handler returns when a dry run skipped the change whose answer the output is built from
 * (create-user has no new user to describe). The runtime answers a dry run with the plan instead.
 */
export const PLANNED: unique symbol = Symbol('okta-actions: change planned, not made (dry run)');

export interface HandlerContext<Input> {
  /** The input, validated against the action's input schema, with schema defaults filled in. */
  input: Input;
  okta: OktaContext;
  /** The caller's cancel signal; requests already honour it, long loops should check it too. */
  signal: AbortSignal | undefined;
  /** True in a dry run: read what is needed, change nothing (change() records instead of sending). */
  dryRun: boolean;
  /**
   * Set when this run repeats work an earlier run may have done in part (a host's queue running a job
   * again): when that earlier run started, in epoch ms. createOnce() first looks for an object created
   * since then, so the repeat does not create a second one.
   */
  resumesFrom?: number;
  /**
   * Makes one change in Okta, named for the step list. Every write goes through here: in a dry run it is
   * recorded in the plan and not sent (resolving to undefined); otherwise it is sent and its outcome
   * recorded, so a failure halfway says what was already done.
   */
  change<T>(step: string, request: ChangeRequest, send: () => Promise<T>): Promise<T | undefined>;
  /**
   * Like change(), but a failure does not stop the action: it is recorded with its reason (code and
   * message) and `{ ok: false }` is returned, for actions of independent steps (offboard-user).
   */
  attempt<T>(
    step: string,
    request: ChangeRequest,
    send: () => Promise<T>,
  ): Promise<{ ok: true; value: T | undefined } | { ok: false }>;
  /**
   * Runs one independent part of an action: a failure inside it (a read included) is recorded against
   * the part and does not stop the action; a part the run can no longer start (cancelled, past its
   * deadline) is recorded as never tried. Steps recorded inside carry the part's name.
   */
  part(name: string, run: () => Promise<void>): Promise<void>;
  /** Records a step that cannot be done (found before sending anything), with the reason, and goes on. */
  fail(step: string, error: unknown): void;
  /** Notes a step that was not needed because Okta already was as asked, or not possible; says why. */
  skip(step: string, reason?: string): void;
  /**
   * After the last change failed ambiguously (its answer lost): records what a fresh read showed, that it
   * was carried out (done), was not (not-done), or cannot be told because the read failed (unknown).
   */
  settleLastChange(outcome: LostAnswerOutcome): void;
  /** The steps so far, with their outcomes. */
  steps(): readonly StepRecord[];
}

export type ActionHandler<Input = unknown, Output = unknown> = (
  context: HandlerContext<Input>,
) => Promise<Output | typeof PLANNED>;

export function defineAction<Input, Output>(
  handler: ActionHandler<Input, Output>,
): ActionHandler<Input, Output> {
  return handler;
}
