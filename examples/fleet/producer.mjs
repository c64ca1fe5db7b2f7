#!/usr/bin/env node
/**
 * A producer for a fleet of `okta-actions worker` processes: adds action jobs to the queue, waits for
 * each to finish (through BullMQ's QueueEvents) and prints what became of it, the way a host would.
 *
 *   node examples/fleet/producer.mjs --redis redis://127.0.0.1:6379 --connection-ref sandbox [--queue okta-actions]
 *                                    [--count 20] [--prefix "Fleet demo"]
 *
 * For each of --count groups, two jobs: create-group "<prefix> <n>", then, once its group exists,
 * add-user-to-group putting jane.doe@example.com (a user of the sandbox) in it. Run from a checkout after
 * `npm run build` (it imports okta-actions/bullmq from this package); README, "Workers: actions as BullMQ
 * jobs", has the whole fleet.
 */
import { parseArgs } from 'node:util';
import { Queue, QueueEvents } from 'bullmq';
import { actionJobOptions, readActionJobError } from 'okta-actions/bullmq';
import { createClient } from 'redis';

const { values } = parseArgs({
  options: {
    redis: { type: 'string' },
    queue: { type: 'string', default: 'okta-actions' },
    'connection-ref': { type: 'string' },
    count: { type: 'string', default: '20' },
    prefix: { type: 'string', default: 'Fleet demo' },
  },
});
if (!values.redis || !values['connection-ref']) {
  console.error('Usage: producer.mjs --redis <url> --connection-ref <name> [--queue <name>] [--count <n>]');
  process.exit(2);
}

const clients = [createClient({ url: values.redis }), createClient({ url: values.redis })];
for (const client of clients) client.on('error', (error) => console.error(`Redis: ${error.message}`));
const queue = new Queue(values.queue, { connection: clients[0] });
// Every job awaited at once listens for the queue's closing: more than Node's default of 10 listeners.
queue.setMaxListeners(0);
const events = new QueueEvents(values.queue, { connection: clients[1] });
await events.waitUntilReady();
const connectionRef = values['connection-ref'];

/** Adds one job and resolves to its result, or to its error envelope (never throws for a failed job). */
async function runJob(action, input) {
  const job = await queue.add(action, { action, connectionRef, input }, actionJobOptions());
  try {
    return { ok: true, ...(await job.waitUntilFinished(events)) };
  } catch (error) {
    // The failedReason is the run's error envelope: { code, message, retryable, ... }.
    return {
      ok: false,
      error: readActionJobError(error.message) ?? { code: 'FAILED', message: error.message },
    };
  }
}

const started = Date.now();
const outcomes = await Promise.all(
  Array.from({ length: Number(values.count) }, async (_, i) => {
    const created = await runJob('create-group', { name: `${values.prefix} ${i + 1}` });
    if (!created.ok) return `create-group ${i + 1}: ${created.error.code} ${created.error.message}`;
    const added = await runJob('add-user-to-group', {
      groupId: created.output.id,
      user: 'jane.doe@example.com',
    });
    return added.ok
      ? `group ${created.output.id} "${created.output.name}": created (attempt ${created.meta.attempt}), member added: ${added.output.changed}`
      : `add-user-to-group ${created.output.id}: ${added.error.code} ${added.error.message}`;
  }),
);
for (const line of outcomes) console.log(line);
console.log(`${outcomes.length * 2} jobs in ${((Date.now() - started) / 1000).toFixed(1)} s`);
await events.close();
await queue.close();
// QueueEvents closes its own (blocking) connection; the other is ours to end.
for (const client of clients) if (client.isOpen) await client.quit();
