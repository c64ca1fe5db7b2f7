/**
 * How a failed run reaches the host through BullMQ: the error the processor throws carries the run's
 * envelope (as execute() made it, secrets already removed), and its message is that envelope as JSON.
 * BullMQ keeps the message as the job's `failedReason` (and hands it to QueueEvents' `failed` listeners),
 * so a host reads the envelope back with readActionJobError(), from a job or from that string alone.
 */
import { type ActionErrorEnvelope, ERROR_CODES } from '../errors/action-error.js';

/** The error a retryable failure is thrown as: BullMQ retries the job while it has attempts left. */
export class ActionJobError extends Error {
  readonly envelope: ActionErrorEnvelope;

  constructor(envelope: ActionErrorEnvelope) {
    super(JSON.stringify(envelope));
    this.name = 'ActionJobError';
    this.envelope = envelope;
    withoutFrames(this);
  }
}

/**
 * The stack BullMQ stores with a failed job: one line, the code and message. Its frames would only point
 * at the processor's throw, never at what failed (execute() never throws), and repeat paths of the host.
 */
export function withoutFrames(error: Error & { envelope?: ActionErrorEnvelope }): void {
  error.stack = error.envelope
    ? `${error.name}: ${error.envelope.code}: ${error.envelope.message}`
    : `${error.name}: ${error.message}`;
}

/** The envelope an error thrown by the processor carries (the backoff strategy reads it). */
export function envelopeOf(error: unknown): ActionErrorEnvelope | undefined {
  const carried = (error as { envelope?: unknown } | null)?.envelope;
  if (isEnvelope(carried)) return carried;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? readActionJobError(message) : undefined;
}

/**
 * The error envelope of a failed action job: from the job (its `failedReason`) or from the failedReason
 * itself (QueueEvents' `failed` event carries only that). Undefined when BullMQ failed the job for a reason
 * of its own (a job that stalled more often than maxStalledCount allows, say): failedReason says which.
 */
export function readActionJobError(
  failed: { failedReason?: string | null } | string | null | undefined,
): ActionErrorEnvelope | undefined {
  const reason = typeof failed === 'string' ? failed : failed?.failedReason;
  if (typeof reason !== 'string' || !reason.startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(reason);
    return isEnvelope(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function isEnvelope(value: unknown): value is ActionErrorEnvelope {
  const candidate = value as Partial<ActionErrorEnvelope> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    typeof candidate.message === 'string' &&
    typeof candidate.retryable === 'boolean' &&
    (ERROR_CODES as readonly string[]).includes(candidate.code as string)
  );
}
