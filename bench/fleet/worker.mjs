/**
 * One worker of bench/fleet.mjs, in a process of its own as a host's worker is: it waits for "go" on
 * stdin, runs its share of add-user-to-group mutations with `--concurrency` at a time through execute()
 * (with a Redis rate-limit store when given one), and prints one JSON line of what happened.
 *
 *   node bench/fleet/worker.mjs <jobs.json> [--redis <url>] [--concurrency 10] [--local-share 0.25]
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const [jobsFile, ...rest] = process.argv.slice(2);
const option = (name, fallback) => {
  const at = rest.indexOf(`--${name}`);
  return at >= 0 ? rest[at + 1] : fallback;
};
const { connection, jobs } = JSON.parse(readFileSync(jobsFile, 'utf8'));
const concurrency = Number(option('concurrency', '10'));
const redisUrl = option('redis', undefined);

const { execute } = await import(pathToFileURL(join(root, 'dist/index.js')).href);
const host = { allowLoopback: true };
let store;
if (redisUrl) {
  const { redisRateLimitStore } = await import(pathToFileURL(join(root, 'dist/redis.js')).href);
  store = await redisRateLimitStore({ url: redisUrl, localShare: Number(option('local-share', '0.25')) });
  host.rateLimitStore = store;
}

// Ready: the parent starts every worker at once.
process.stdout.write('ready\n');
await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));

const outcome = { done: 0, failed: 0, errors: {}, budget: {}, reasons: {}, requests: 0 };
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < jobs.length) {
      const input = jobs[next++];
      const result = await execute('add-user-to-group', { connection, input }, host);
      outcome.requests += result.meta.requests;
      const { mode = 'process', reason } = result.meta.rateLimitBudget ?? {};
      if (reason) outcome.reasons[reason] = (outcome.reasons[reason] ?? 0) + 1;
      outcome.budget[mode] = (outcome.budget[mode] ?? 0) + 1;
      if (result.ok) outcome.done += 1;
      else {
        outcome.failed += 1;
        outcome.errors[result.error.code] = (outcome.errors[result.error.code] ?? 0) + 1;
      }
    }
  }),
);
await store?.close();
process.stdout.write(`${JSON.stringify(outcome)}\n`);
