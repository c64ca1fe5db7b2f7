/**
 * `okta-actions worker`: one process of a fleet that runs action jobs from a BullMQ queue (the processor of
 * okta-actions/bullmq). Start as many as the work needs, on one or more machines, all on the same Redis
 * and queue; a producer adds jobs `{ action, connectionRef, input }`.
 *
 * The connections are a JSON file mapping each reference to a connection (`{"acme": {"type": "api_token",
 * ...}}`), read again at every job, so that tokens one worker refreshed (written back into the file) are
 * the next job's everywhere; or, with --sandbox, a local sandbox org named "sandbox". Each finished
 * attempt is one JSON line on stdout; nothing printed holds a token (nor Redis's password).
 */

import { hostname } from 'node:os';
import { CONNECTION_NAME, CONNECTION_NAME_RULE } from '../mcp/connection-name.js';
import type { ConnectionUpdate } from '../oauth/authorizer.js';
import type { CliIo } from './cli-io.js';
import { parseJsonObject, readTextFile } from './json-input.js';
import { UsageError } from './usage-error.js';

export interface WorkerCommand {
  redis: string;
  queue: string;
  concurrency: number;
  /** How long a job stays with a worker that stopped answering before another takes it over. */
  lockDurationMs: number;
  /** The connections file; undefined with --sandbox. */
  connectionsFile: string | undefined;
  allowLoopback: boolean;
  /** How many workers share the budget: while Redis is out of reach each uses 1/fleetSize of it alone. */
  fleetSize: number;
}

type Connections = Record<string, Record<string, unknown>>;

/** A started worker's loose ends, closed in this order when it stops. */
interface Running {
  close(): Promise<void>;
}

export async function serveWorker(command: WorkerCommand, io: CliIo): Promise<number> {
  const file = command.connectionsFile;
  // Checked before anything starts: a wrong file is a wrong command line.
  const initial = file ? await readConnections(file, io) : undefined;
  const modules = await loadQueueModules();
  let sandbox: { url: string; token: string; close(): Promise<void> } | undefined;
  let connections = initial;
  if (!connections) {
    const { startSandbox } = await import('../sandbox/index.js');
    sandbox = await startSandbox();
    connections = { sandbox: { type: 'api_token', apiAddress: sandbox.url, apiToken: sandbox.token } };
    io.stderr(`Using a local sandbox org at ${sandbox.url}: its connection is named "sandbox".\n`);
  }
  const fixed = connections;
  const client = redisClientFor(modules.redis.createClient, command.redis);
  reportRedisErrors(client, io);
  try {
    await client.connect();
  } catch (error) {
    io.stderr(`${(error as Error).message}\n`);
    await sandbox?.close();
    return 1;
  }
  // One rate budget per org for the whole fleet, on the queue's own Redis (a client of its own: BullMQ's
  // may be blocked waiting for jobs).
  const { redisRateLimitStore } = await import('../workers/redis.js');
  const rateLimitStore = await redisRateLimitStore({ url: command.redis, localShare: 1 / command.fleetSize });
  const setup = { client, fixed, file, sandbox: sandbox !== undefined, rateLimitStore };
  const running = await startWorker(command, setup, io);
  io.stderr(
    `okta-actions worker: queue "${command.queue}" on ${withoutPassword(command.redis)}, ${command.concurrency} jobs at once; connections: ${Object.keys(fixed).join(', ')}. Stop with Ctrl-C (running jobs finish first).\n`,
  );
  await io.untilStopped();
  io.stderr('Stopping: running jobs finish first.\n');
  await running.close();
  await rateLimitStore.close();
  await client.quit().catch(() => undefined);
  await sandbox?.close();
  return 0;
}

interface WorkerSetup {
  client: ReturnType<typeof redisClientFor>;
  fixed: Connections;
  file: string | undefined;
  sandbox: boolean;
  rateLimitStore: import('../workers/redis.js').RateLimitStore;
}

async function startWorker(command: WorkerCommand, setup: WorkerSetup, io: CliIo): Promise<Running> {
  const { createActionWorker } = await import('../workers/index.js');
  const { file, fixed } = setup;
  let writes: Promise<void> = Promise.resolve();
  const worker = await createActionWorker(command.queue, {
    connection: setup.client,
    concurrency: command.concurrency,
    // The file is read at every job: tokens another worker refreshed are in it by then.
    resolveConnection: async (ref) => (file ? (await readConnections(file, io))[ref] : fixed[ref]),
    onConnectionUpdate: (ref, update) => {
      if (!file) return;
      // One write at a time: two jobs of this process may refresh at once.
      writes = writes.then(() => keepTokens(file, ref, update, io));
      return writes;
    },
    hostOptions: {
      allowLoopback: command.allowLoopback || setup.sandbox,
      rateLimitStore: setup.rateLimitStore,
    },
    workerOptions: {
      lockDuration: command.lockDurationMs,
      stalledInterval: command.lockDurationMs,
      // BullMQ writes it into each job it runs (processedBy): which process of the fleet ran a job.
      name: `${hostname()}:${process.pid}`,
    },
  });
  worker.on('error', (error) => io.stderr(`Worker: ${error.message}\n`));
  worker.on('completed', (job, result) => {
    const { durationMs, requests, attempt, rateLimitBudget } = result.meta;
    // budget: shared (through Redis) or local-share (Redis was out of reach: this worker paced itself alone).
    const line = { job: job.id, action: result.action, state: 'completed', attempt, durationMs, requests };
    io.stdout(`${JSON.stringify({ ...line, budget: rateLimitBudget?.mode })}\n`);
  });
  worker.on('failed', async (job, error) => {
    if (!job) return;
    const { readActionJobError } = await import('../workers/index.js');
    const envelope = readActionJobError(error.message);
    // Not finished: BullMQ runs it again (a retryable failure with attempts left).
    const state = job.finishedOn ? 'failed' : 'retrying';
    const code = envelope?.code ?? error.name;
    io.stdout(
      `${JSON.stringify({ job: job.id, action: job.data?.action, state, attempt: job.attemptsMade, code })}\n`,
    );
  });
  await worker.waitUntilReady();
  return { close: () => worker.close() };
}

/** The connections file: a JSON object of named connections, each a JSON object. */
async function readConnections(file: string, io: CliIo): Promise<Connections> {
  const where = `the connections file ${file}`;
  const all = parseJsonObject(await readTextFile(file, io.readFile), { what: 'the connections', where });
  const names = Object.keys(all);
  if (names.length === 0)
    throw new UsageError(
      `${where} names no connection; it maps names to connections: {"acme": {"type": ...}}.`,
    );
  for (const name of names) {
    if (!CONNECTION_NAME.test(name))
      throw new UsageError(
        `The connection name "${name}" in ${where} is not usable: ${CONNECTION_NAME_RULE}.`,
      );
    const connection = all[name];
    if (connection === null || typeof connection !== 'object' || Array.isArray(connection))
      throw new UsageError(`The connection "${name}" in ${where} must be a JSON object ({"type": ...}).`);
  }
  return all as Connections;
}

/** Refreshed tokens into the file, under their connection's name; never printed. */
async function keepTokens(file: string, ref: string, update: ConnectionUpdate, io: CliIo): Promise<void> {
  const all = await readConnections(file, io);
  all[ref] = { ...all[ref], ...update };
  await io.writeFile(file, `${JSON.stringify(all, null, 2)}\n`);
  io.stderr(`The tokens of connection "${ref}" were refreshed; ${file} now holds the new ones.\n`);
}

async function loadQueueModules() {
  try {
    await import('bullmq');
    return { redis: await import('redis') };
  } catch (error) {
    throw new UsageError(
      `okta-actions worker needs the bullmq and redis packages (npm install bullmq redis): ${(error as Error).message}`,
    );
  }
}

/** Redis's errors, each distinct one once until the connection is back: a down server is not a flood. */
function reportRedisErrors(client: WorkerSetup['client'], io: CliIo): void {
  let last: string | undefined;
  client.on('error', (error: Error) => {
    if (error.message === last) return;
    last = error.message;
    io.stderr(`Redis: ${error.message}\n`);
  });
  client.on('ready', () => {
    last = undefined;
  });
}

/**
 * A client that gives up when Redis cannot be reached at start (a wrong URL is said at once, in about
 * 1.5 s), and once connected reconnects for as long as it takes, backing off up to 5 s.
 */
function redisClientFor(createClient: typeof import('redis').createClient, url: string) {
  let connected = false;
  const client = createClient({
    url,
    socket: {
      reconnectStrategy: (retries: number, cause: Error) =>
        !connected && retries >= 4
          ? new Error(`Cannot reach Redis at ${withoutPassword(url)} (${cause.message}); is it running?`)
          : Math.min(100 * 2 ** retries, 5_000),
    },
  });
  client.on('ready', () => {
    connected = true;
  });
  return client;
}

/** A Redis URL fit to print: its password (and user) replaced. */
export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password || parsed.username) {
      parsed.username = parsed.username ? '***' : '';
      parsed.password = parsed.password ? '***' : '';
    }
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'the given Redis URL';
  }
}
