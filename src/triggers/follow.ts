/**
 * A host's polling loop as an async iterator: each batch of a trigger's events with the cursor after it
 * (store the cursor once the batch is handled: after a crash, the loop resumes there and repeats nothing
 * already stored). Between polls it waits `intervalMs`; a retryable failure (rate limit, timeout, network)
 * waits its `retryAfterMs` and polls again; any other failure ends the loop with a TriggerError.
 */
import type { ActionErrorEnvelope } from '../errors/action-error.js';
import type { HostOptions } from '../runtime/execute.js';
import { type PollOutput, type PollRequest, poll } from './poll.js';

export interface FollowRequest extends PollRequest {
  /** The pause between polls that found nothing new. Default 10 s; at least 1 s. */
  intervalMs?: number;
}

/** Ends a follow loop: the poll's error envelope. */
export class TriggerError extends Error {
  constructor(readonly envelope: ActionErrorEnvelope) {
    super(envelope.message);
    this.name = 'TriggerError';
  }
}

const DEFAULT_INTERVAL_MS = 10_000;
const MIN_INTERVAL_MS = 1_000;

export async function* followTrigger(
  request: FollowRequest,
  options?: HostOptions,
): AsyncGenerator<Pick<PollOutput, 'events' | 'cursor' | 'rejected'>> {
  const intervalMs = Math.max(MIN_INTERVAL_MS, request.intervalMs ?? DEFAULT_INTERVAL_MS);
  let cursor = request.cursor;
  while (!request.signal?.aborted) {
    const result = await poll({ ...request, ...(cursor ? { cursor } : {}) }, options);
    if (!result.ok) {
      if (result.error.code === 'CANCELLED' || request.signal?.aborted) return;
      if (!result.error.retryable) throw new TriggerError(result.error);
      await pause(result.error.retryAfterMs ?? intervalMs, request.signal);
      continue;
    }
    cursor = result.output.cursor;
    const { events, rejected } = result.output;
    if (events.length > 0 || rejected.length > 0) yield { events, cursor, rejected };
    if (result.output.caughtUp) await pause(intervalMs, request.signal);
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
