/**
 * Action jobs on a real Redis (test/helpers/redis-server.ts) for the workers adapter's tests: a node-redis
 * client, a queue with a worker of okta-actions/bullmq, a wait for a job to finish, and every key and value
 * Redis holds (to prove no secret went there). Never a mock.
 */
import { type Job, Queue, type Worker } from 'bullmq';
import { createClient } from 'redis';
import type { ActionJobData, ActionJobResult, ActionWorkerOptions } from '../../src/workers/index.js';
import { createActionWorker } from '../../src/workers/index.js';

export type RedisClient = ReturnType<typeof createClient>;

/** A connected client; its errors (a stopped server) are the test's to see through its commands. */
export async function redisClient(url: string): Promise<RedisClient> {
  const client = createClient({ url });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

let queues = 0;

export interface JobBench {
  queue: Queue<ActionJobData, ActionJobResult>;
  worker: Worker<ActionJobData, ActionJobResult>;
  close(): Promise<void>;
}

/**
 * A queue and a worker of okta-actions/bullmq on it, each on its own client: a fresh queue of its own, or
 * the one named (to take over the jobs of another worker).
 */
export async function jobBench(
  url: string,
  options: Omit<ActionWorkerOptions, 'connection'>,
  name = `actions-${process.pid}-${++queues}`,
): Promise<JobBench> {
  const clients = [await redisClient(url), await redisClient(url)];
  const queue = new Queue<ActionJobData, ActionJobResult>(name, { connection: clients[0]! });
  const worker = await createActionWorker(name, {
    ...options,
    connection: clients[1]!,
    workerOptions: { drainDelay: 1, ...options.workerOptions },
  });
  worker.on('error', () => undefined);
  await worker.waitUntilReady();
  return {
    queue,
    worker,
    close: async () => {
      await worker.close();
      await queue.close();
      for (const client of clients) await client.quit().catch(() => undefined);
    },
  };
}

/** A job as it finished, and in which state (read while the queue's client was open). */
export type FinishedJob = Job<ActionJobData, ActionJobResult> & { state: 'completed' | 'failed' };

/** The job once it is completed or failed (re-read from Redis), or an error after `timeoutMs`. */
export async function finished(
  queue: Queue<ActionJobData, ActionJobResult>,
  id: string | undefined,
  timeoutMs = 15_000,
): Promise<FinishedJob> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const state = await queue.getJobState(id!);
    // Read after the state: a job read first might have finished between the two reads.
    const job = await queue.getJob(id!);
    if (job && (state === 'completed' || state === 'failed')) return Object.assign(job, { state });
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`job ${id} did not finish within ${timeoutMs} ms`);
}

/** Every key Redis holds and every value under it, as one text (keys and values of every data type). */
export async function everythingInRedis(client: RedisClient): Promise<string> {
  const parts: string[] = [];
  for await (const keys of client.scanIterator({ COUNT: 500 })) {
    for (const key of [keys].flat()) {
      parts.push(key);
      const type = await client.type(key);
      if (type === 'string') parts.push(String(await client.get(key)));
      else if (type === 'hash') parts.push(JSON.stringify(await client.hGetAll(key)));
      else if (type === 'list') parts.push(...(await client.lRange(key, 0, -1)));
      else if (type === 'set') parts.push(...(await client.sMembers(key)));
      else if (type === 'zset') parts.push(...(await client.zRange(key, 0, -1)));
      else if (type === 'stream') parts.push(JSON.stringify(await client.xRange(key, '-', '+')));
      else parts.push(`<${type}>`);
    }
  }
  return parts.join('\n');
}
