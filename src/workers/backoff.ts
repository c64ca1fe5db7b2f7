/**
 * When BullMQ retries a failed action job. A failure that says when to try again (Okta's rate limit:
 * `retryAfterMs`) is retried then; any other retryable failure (a timeout, a 5xx, a dropped connection)
 * after an exponential wait with jitter, so a fleet's retries spread out instead of arriving together.
 *
 * BullMQ asks a worker's backoffStrategy (WorkerOptions.settings) only for jobs whose `backoff.type` is
 * not one of its own: a job takes `backoff: { type: 'okta-actions' }` (actionJobOptions() sets it), and
 * createActionWorker() gives the worker this strategy.
 */
import type { BackoffOptions, BackoffStrategy, JobsOptions } from 'bullmq';
import { envelopeOf } from './job-errors.js';

export const ACTION_BACKOFF_TYPE = 'okta-actions';

/** The first retry's wait when the job's backoff gives no delay; each next one doubles it. */
const DEFAULT_DELAY_MS = 1_000;
/** No wait is longer than this (Okta's rate-limit windows are a minute). */
const LONGEST_WAIT_MS = 5 * 60_000;

/**
 * The wait before BullMQ runs a failed job again: the envelope's retryAfterMs when it has one (plus up to
 * a second of jitter), else the job's backoff delay doubled for each attempt made, with jitter.
 */
export const actionBackoffStrategy: BackoffStrategy = (attemptsMade, _type, error, job) => {
  const envelope = envelopeOf(error);
  if (envelope?.retryAfterMs !== undefined)
    return Math.min(LONGEST_WAIT_MS, envelope.retryAfterMs + Math.round(Math.random() * 1_000));
  const backoff = job?.opts?.backoff;
  const base =
    typeof backoff === 'number'
      ? backoff
      : ((backoff as BackoffOptions | undefined)?.delay ?? DEFAULT_DELAY_MS);
  const full = Math.min(LONGEST_WAIT_MS, base * 2 ** Math.max(0, attemptsMade - 1));
  // Between half and all of it: retries of jobs that failed together do not come back together.
  return Math.round(full / 2 + (Math.random() * full) / 2);
};

/**
 * Options for queue.add() of an action job: 5 attempts, retried by actionBackoffStrategy. Anything given
 * here overrides them (`{ attempts: 3 }`, `{ jobId: 'onboard-4711' }`, `{ removeOnComplete: 1000 }`).
 */
export function actionJobOptions(options: JobsOptions = {}): JobsOptions {
  return { attempts: 5, backoff: { type: ACTION_BACKOFF_TYPE, delay: DEFAULT_DELAY_MS }, ...options };
}
