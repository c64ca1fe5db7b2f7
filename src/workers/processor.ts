/**
 * The BullMQ processor of action jobs: one job, one run of execute(), and BullMQ told what became of it.
 *
 * - The connection comes from the host's resolveConnection(connectionRef, job) at each attempt; only the
 *   reference is in Redis. Tokens a run refreshes go to onConnectionUpdate(), never into the job.
 * - Success: the job's return value is { action, output, meta } (no secret: runs that would return one
 *   are refused, see job-data.ts).
 * - Okta's rate limit (RATE_LIMITED with retryAfterMs): the job is moved back to delayed until then and
 *   does not use up an attempt (BullMQ's moveToDelayed + DelayedError), up to maxRateLimitDelays times.
 * - Any other retryable failure: thrown as ActionJobError, retried by BullMQ while attempts last, after
 *   actionBackoffStrategy's wait. Not retryable (and cancelled): UnrecoverableError, failed at once. Either
 *   way the job's failedReason is the run's envelope as JSON (readActionJobError reads it back).
 * - Cancellation: BullMQ's signal (worker.cancelJob(id)) is the run's signal; requests in flight stop.
 * - Creates stay single across attempts: the first attempt of a job that may change Okta records when it
 *   started (data.firstAttemptAt, written before anything is sent); a later attempt (the worker died
 *   mid-request, or a later step failed) runs with that time, and its creates first look for an object
 *   created since then, by the same unique name or login, and answer with it (src/domain/create-once.ts).
 */
import type { Job } from 'bullmq';
import { ActionError, type ActionErrorEnvelope } from '../errors/action-error.js';
import type { ConnectionUpdate } from '../oauth/authorizer.js';
import type { HostOptions } from '../runtime/host-call.js';
import type { ActionResult, ResultMeta } from '../runtime/results.js';
import { loadBullMq } from './bullmq-module.js';
import { type ActionJobData, type CheckedJob, checkJobData } from './job-data.js';
import { ActionJobError, withoutFrames } from './job-errors.js';

/** Objects Okta dates up to this long before the job's first attempt still count as that attempt's. */
const CLOCK_TOLERANCE_MS = 60_000;

export interface ActionProcessorOptions {
  /**
   * The connection a job's connectionRef names, from the host's own store (a connection object as
   * execute() takes it). Undefined or null: there is none, and the job fails without retry. A throw (the
   * store is down) fails this attempt; BullMQ retries it. Called at every attempt, so a connection
   * updated in the store meanwhile is used.
   */
  resolveConnection: (connectionRef: string, job: Job<ActionJobData>) => unknown;
  /**
   * The tokens an oauth_access_token connection refreshed during a run: store them in place of the
   * connection's (Okta rotates refresh tokens; the old one stops working). Without it, or when it throws,
   * they are lost and the job's meta says `tokensRefreshed: 'not-stored'`.
   */
  onConnectionUpdate?: (connectionRef: string, update: ConnectionUpdate, job: Job<ActionJobData>) => unknown;
  /** execute()'s host options for every run (README, Host options), e.g. { maxWaitMs: 10000 }. */
  hostOptions?: HostOptions;
  /** How often a job may be moved back for a rate limit without using an attempt. Default 10. */
  maxRateLimitDelays?: number;
}

/** A completed job's return value. */
export interface ActionJobResult<Output = unknown> {
  action: string;
  /** The action's output; for a dry run the plan `{ dryRun: true, wouldChange, plan, current }`. */
  output: Output;
  meta: ActionJobMeta;
}

export interface ActionJobMeta extends Omit<ResultMeta, 'action' | 'connectionUpdate'> {
  /** The attempt that completed, as BullMQ counts them (1 for the first; waits for a rate limit not counted). */
  attempt: number;
  /** True when an earlier attempt had started: creates looked for what it made before sending anything. */
  resumed?: true;
  /** The run refreshed the connection's OAuth tokens: stored by onConnectionUpdate, or not. */
  tokensRefreshed?: 'stored' | 'not-stored';
}

/** BullMQ's processor signature; it declares its third parameter, so BullMQ hands it the cancel signal. */
export type ActionProcessor = (
  job: Job<ActionJobData, ActionJobResult>,
  token?: string,
  signal?: AbortSignal,
) => Promise<ActionJobResult>;

/**
 * The processor for a BullMQ Worker: `new Worker(queue, createActionProcessor({ resolveConnection }), {
 * connection, settings: { backoffStrategy: actionBackoffStrategy } })`, or createActionWorker().
 */
export function createActionProcessor(options: ActionProcessorOptions): ActionProcessor {
  if (typeof options?.resolveConnection !== 'function')
    throw new TypeError('createActionProcessor needs resolveConnection(connectionRef, job).');
  // Three declared parameters: BullMQ passes the AbortSignal only to a processor whose length is 3.
  return (job, token, signal) => processActionJob(job, token, signal, options);
}

async function processActionJob(
  job: Job<ActionJobData, ActionJobResult>,
  token: string | undefined,
  signal: AbortSignal | undefined,
  options: ActionProcessorOptions,
): Promise<ActionJobResult> {
  const bullmq = await loadBullMq();
  let checked: CheckedJob;
  let connection: unknown;
  try {
    checked = checkJobData(job.data);
    connection = await resolveConnection(checked, job, options);
  } catch (error) {
    if (!(error instanceof ActionError)) throw error;
    throw error.envelope.retryable
      ? new ActionJobError(error.envelope)
      : unrecoverable(bullmq, error.envelope);
  }
  const resumesFrom = await startAttempt(job, checked);
  const { executeResumed } = await import('../runtime/resumed-run.js');
  const result = await executeResumed(
    checked.contract.key,
    { connection, input: checked.input, dryRun: checked.dryRun, ...(signal ? { signal } : {}) },
    options.hostOptions,
    resumesFrom,
  );
  const tokensRefreshed = await passOnTokens(result, checked.connectionRef, job, options);
  if (result.ok) return jobResult(job, result, resumesFrom, tokensRefreshed);
  throw await failure(result.error, job, token, options);
}

/**
 * The host's connection. None: INVALID_CONNECTION, not retried. A throw (the host's store is down, say):
 * INVALID_CONNECTION too, but retryable, so BullMQ tries again while the job has attempts left.
 */
async function resolveConnection(
  checked: CheckedJob,
  job: Job<ActionJobData>,
  options: ActionProcessorOptions,
): Promise<unknown> {
  let connection: unknown;
  try {
    connection = await options.resolveConnection(checked.connectionRef, job);
  } catch (error) {
    // Not the thrown message: a store's error may quote what it holds, and this goes to Redis.
    throw new ActionError(
      'INVALID_CONNECTION',
      `The host could not look up connection "${checked.connectionRef}": resolveConnection threw ${(error as Error)?.name ?? typeof error} (its message is not kept: it may quote what the store holds). The job is tried again while it has attempts left. Nothing was sent to Okta.`,
      { retryable: true },
    );
  }
  if (connection === undefined || connection === null) {
    throw new ActionError(
      'INVALID_CONNECTION',
      `The host has no connection "${checked.connectionRef}" (resolveConnection found none). Nothing was sent to Okta.`,
      { retryable: false },
    );
  }
  return connection;
}

/**
 * When an earlier attempt of this job started, for a job that may change Okta; a first attempt writes
 * its own start into the job, before anything is sent, and gets undefined. A time from before the job was
 * added (data copied from an older job) is not this job's and is replaced.
 */
async function startAttempt(job: Job<ActionJobData>, checked: CheckedJob): Promise<number | undefined> {
  if (checked.contract.annotations.readOnly || checked.dryRun) return undefined;
  const earlier = checked.firstAttemptAt;
  if (earlier !== undefined && earlier >= job.timestamp - CLOCK_TOLERANCE_MS) return earlier;
  await job.updateData({ ...job.data, firstAttemptAt: Date.now() });
  return undefined;
}

async function passOnTokens(
  result: ActionResult,
  connectionRef: string,
  job: Job<ActionJobData>,
  options: ActionProcessorOptions,
): Promise<ActionJobMeta['tokensRefreshed']> {
  const update = result.meta.connectionUpdate;
  if (!update) return undefined;
  if (!options.onConnectionUpdate) return 'not-stored';
  try {
    await options.onConnectionUpdate(connectionRef, update, job);
    return 'stored';
  } catch {
    // The run's change is made: failing the job now would only run it again.
    return 'not-stored';
  }
}

function jobResult(
  job: Job<ActionJobData>,
  result: Extract<ActionResult, { ok: true }>,
  resumesFrom: number | undefined,
  tokensRefreshed: ActionJobMeta['tokensRefreshed'],
): ActionJobResult {
  const { action, connectionUpdate: _toTheHostOnly, ...meta } = result.meta;
  return {
    action,
    output: result.output,
    meta: {
      ...meta,
      attempt: job.attemptsMade + 1,
      ...(resumesFrom !== undefined ? { resumed: true as const } : {}),
      ...(tokensRefreshed ? { tokensRefreshed } : {}),
    },
  };
}

/** What the processor throws for a failed run: a delay, a retry or the end (see the file's comment). */
async function failure(
  envelope: ActionErrorEnvelope,
  job: Job<ActionJobData>,
  token: string | undefined,
  options: ActionProcessorOptions,
): Promise<Error> {
  const bullmq = await loadBullMq();
  if (
    envelope.code === 'RATE_LIMITED' &&
    envelope.retryAfterMs !== undefined &&
    token !== undefined &&
    rateLimitDelays(job) < (options.maxRateLimitDelays ?? 10)
  ) {
    // A second of jitter: jobs that met the same limit do not all come back at its reset.
    await job.moveToDelayed(Date.now() + envelope.retryAfterMs + Math.round(Math.random() * 1_000), token);
    return new bullmq.DelayedError();
  }
  if (!envelope.retryable) return unrecoverable(bullmq, envelope);
  return new ActionJobError(envelope);
}

/**
 * How often this job was moved back to wait out a rate limit: starts that ended neither in a failure
 * (attemptsMade) nor in a stall (stalledCounter), this one aside.
 */
function rateLimitDelays(job: Job): number {
  return Math.max(0, job.attemptsStarted - 1 - job.attemptsMade - job.stalledCounter);
}

function unrecoverable(bullmq: typeof import('bullmq'), envelope: ActionErrorEnvelope): Error {
  const error = Object.assign(new bullmq.UnrecoverableError(JSON.stringify(envelope)), { envelope });
  withoutFrames(error);
  return error;
}
