/**
 * okta-actions/bullmq: actions as BullMQ jobs, for a fleet of worker processes.
 *
 *   import { createActionWorker, actionJobOptions, readActionJobError } from 'okta-actions/bullmq';
 *
 *   // a worker process
 *   const worker = await createActionWorker('okta', {
 *     connection: createClient({ url: process.env.REDIS_URL }),          // node-redis
 *     resolveConnection: (ref) => store.get(ref),                         // the connection never goes to Redis
 *     onConnectionUpdate: (ref, update) => store.merge(ref, update),      // refreshed OAuth tokens
 *   });
 *   // a producer
 *   await queue.add('create-group', { action: 'create-group', connectionRef: 'acme', input: { name: 'Interns' } },
 *     actionJobOptions());
 *   // a failed job: its error envelope
 *   readActionJobError(await queue.getJob(id));
 *
 * bullmq and redis are optional peer dependencies: importing this module loads neither (nor the runtime);
 * bullmq loads when a job is first processed or a worker created. README, "Workers: actions as BullMQ jobs".
 */
export { ACTION_BACKOFF_TYPE, actionBackoffStrategy, actionJobOptions } from './backoff.js';
export type { ActionJobData } from './job-data.js';
export { ActionJobError, readActionJobError } from './job-errors.js';
export type {
  ActionJobMeta,
  ActionJobResult,
  ActionProcessor,
  ActionProcessorOptions,
} from './processor.js';
export { createActionProcessor } from './processor.js';
export { loadActionRuntime } from './warm-up.js';
export type { ActionWorkerOptions } from './worker.js';
export { createActionWorker } from './worker.js';
