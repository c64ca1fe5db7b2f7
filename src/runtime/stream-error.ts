/**
 * The error a stream throws. Apart from stream.ts so the package's entry can export it without loading the
 * runtime (hosts test `instanceof StreamError` before their first stream).
 */
import type { ActionErrorEnvelope } from '../errors/action-error.js';
import type { ResultMeta } from './results.js';

/** A stream's failure: `envelope` is what execute() would have answered (code, message, retryable, ...). */
export class StreamError extends Error {
  override readonly name = 'StreamError';
  constructor(
    readonly envelope: ActionErrorEnvelope,
    readonly meta: ResultMeta,
  ) {
    super(envelope.message);
  }
}
