/** What execute() and stream() take and answer: the host-facing types of a run. */

import type { ActionErrorEnvelope } from '../errors/action-error.js';
import type { ActionKey, ActionTypes } from '../generated/action-types.js';
import type { RateLimitReading } from '../http/rate-limit.js';
import type { ConnectionUpdate } from '../oauth/authorizer.js';
import type { BudgetReport } from '../transport/call-scope.js';

export interface ExecuteRequest<Input = unknown> {
  /** A connection object as described by `manifest.connections` (e.g. `{ type: 'api_token', ... }`). */
  connection: unknown;
  /**
   * The action's input, as described by its input schema; typed from the action key for the manifest's
   * keys (`InputOf`), so a misspelled field fails to compile. It is checked at run time all the same.
   */
  input?: Input;
  /** Cancels the run: requests in flight are aborted and the result is CANCELLED. */
  signal?: AbortSignal;
  /**
   * Read what the action needs and change nothing: the output is the plan
   * `{ dryRun: true, wouldChange, plan: [{ step, method, path }], current }`. Read-only actions ignore it.
   */
  dryRun?: boolean;
}

/** What a dry run answers instead of the action's output (manifest.dryRunOutput describes it). */
export interface DryRunOutput {
  dryRun: true;
  /** True when a real run would change Okta. */
  wouldChange: boolean;
  /** The requests a real run would send, in order. */
  plan: Array<{ step: string; method: string; path: string }>;
  /** What the dry run read from Okta, by path: the state the plan starts from. */
  current: Record<string, unknown>;
}

export interface ResultMeta {
  action: string;
  durationMs: number;
  /** HTTP requests sent to Okta during the run, retries included. */
  requests: number;
  /** The last rate-limit reading Okta sent, when it sent one. */
  rateLimit?: RateLimitReading;
  /**
   * oauth_access_token: the tokens after a refresh during the run. The host must store them in place of
   * the connection's (the old refresh token may no longer work: Okta rotates it).
   */
  connectionUpdate?: ConnectionUpdate;
  /**
   * With a rateLimitStore: whether the run's requests were paced through it (shared) or, because it could
   * not be reached, by a local share of the budget (local-share, with the reason).
   */
  rateLimitBudget?: BudgetReport;
}

export type ActionResult<Output = unknown> =
  | { ok: true; output: Output; meta: ResultMeta }
  | { ok: false; error: ActionErrorEnvelope; meta: ResultMeta };

/** The output type of an action key: known for the manifest's keys, unknown for any other string. */
export type OutputOf<Key extends string> = Key extends ActionKey ? ActionTypes[Key]['output'] : unknown;

/** The input type of an action key: known for the manifest's keys, unknown for any other string. */
export type InputOf<Key extends string> = Key extends ActionKey ? ActionTypes[Key]['input'] : unknown;
