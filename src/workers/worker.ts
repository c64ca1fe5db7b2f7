/**
 * A BullMQ Worker for action jobs in one call: the processor, and the backoff strategy that retries a job
 * after its envelope's retryAfterMs. Everything else is BullMQ's own (the worker is returned as is: close
 * it, listen to its events, cancel a job with worker.cancelJob(id)).
 */
import type { ConnectionOptions, Worker, WorkerOptions } from 'bullmq';
import { actionBackoffStrategy } from './backoff.js';
import { loadBullMq } from './bullmq-module.js';
import type { ActionJobData } from './job-data.js';
import { type ActionJobResult, type ActionProcessorOptions, createActionProcessor } from './processor.js';
import { loadActionRuntime } from './warm-up.js';

export interface ActionWorkerOptions extends ActionProcessorOptions {
  /**
   * Redis, as BullMQ's `connection` takes it: a node-redis client (`createClient({ url })` from 'redis';
   * BullMQ connects it) or an ioredis one. The host keeps it, and quits it after worker.close().
   */
  connection: ConnectionOptions;
  /** Jobs this worker runs at once. Default 10 (runs mostly wait on Okta). */
  concurrency?: number;
  /**
   * Any other BullMQ worker option: lockDuration and stalledInterval (how soon another worker takes over
   * the jobs of one that died), maxStalledCount, removeOnComplete... A settings.backoffStrategy given here
   * replaces actionBackoffStrategy (it is then asked for the `okta-actions` backoff type too).
   */
  workerOptions?: Omit<WorkerOptions, 'connection' | 'concurrency'>;
}

/**
 * The worker, once the runtime and the Okta SDK are loaded (see warm-up.ts): it starts taking jobs at once
 * (BullMQ's autorun), so nothing heavy is left to load while it holds their locks.
 */
export async function createActionWorker(
  queueName: string,
  options: ActionWorkerOptions,
): Promise<Worker<ActionJobData, ActionJobResult>> {
  const { connection, concurrency = 10, workerOptions = {}, ...processorOptions } = options;
  const processor = createActionProcessor(processorOptions);
  const [{ Worker }] = await Promise.all([loadBullMq(), loadActionRuntime()]);
  return new Worker<ActionJobData, ActionJobResult>(queueName, processor, {
    ...workerOptions,
    connection,
    concurrency,
    settings: { backoffStrategy: actionBackoffStrategy, ...workerOptions.settings },
  });
}
