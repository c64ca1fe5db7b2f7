/**
 * okta-actions/redis: a RateLimitStore on Redis, so that every worker of a fleet spends each Okta org's
 * budget together (the host option `rateLimitStore`). Built on node-redis (the `redis` package, an optional
 * peer dependency loaded only here) and two small Lua scripts (rate-limit-scripts.ts), not a generic rate
 * limiter: Okta announces its own budget on every answer (X-Rate-Limit-*), and the store must follow those
 * readings, not count against a limit of its own.
 *
 * A store that cannot be reached never hangs a run: the client fails at once while disconnected (no
 * offline queue), the governor gives each call `timeoutMs`, and then paces that process alone with
 * `localShare` of the budget until Redis answers again (src/transport/shared-budget.ts).
 */
import { createHash } from 'node:crypto';
import type {
  RateLimitStore,
  Reservation,
  ReserveRequest,
  Settlement,
} from '../transport/rate-limit-store.js';
import { RESERVE, SETTLE } from './rate-limit-scripts.js';

/** What the store needs of a node-redis (v5) client; a host may pass its own. */
export interface RedisScriptClient {
  evalSha(sha: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

export interface RedisRateLimitStoreOptions {
  /** redis://[user:password@]host:port: the store makes its own client (closed by close()). */
  url?: string;
  /** Or a node-redis client the host made and connects; the host closes it. */
  client?: RedisScriptClient;
  /** Prefix of every key (default "okta-actions:rate:"). */
  keyPrefix?: string;
  /**
   * The share of each budget one process may use alone while Redis cannot be reached: about 1 / the number
   * of workers (default 0.25, for four).
   */
  localShare?: number;
  /**
   * Longest wait for Redis before a request falls back to the local share (default 1000 ms). A Redis that
   * is down fails at once (no offline queue); this bounds one that is up but slow. Shorter, and a busy
   * worker's own event loop can make a healthy Redis look slow (250 ms did, in bench/fleet.mjs).
   */
  timeoutMs?: number;
}

export interface RedisRateLimitStore extends RateLimitStore {
  /** Closes the client the store made from `url` (a host's own client is left to the host). */
  close(): Promise<void>;
}

/** Okta's reset is in whole seconds; a window counts as over one second after it (as the governor does). */
const MARGIN_MS = 1000;

export async function redisRateLimitStore(options: RedisRateLimitStoreOptions): Promise<RedisRateLimitStore> {
  const localShare = options.localShare ?? 0.25;
  const timeoutMs = options.timeoutMs ?? 1000;
  if (!(localShare > 0 && localShare <= 1))
    throw new RangeError('localShare must be more than 0 and at most 1.');
  if (!(timeoutMs > 0)) throw new RangeError('timeoutMs must be more than 0.');
  if ((options.url === undefined) === (options.client === undefined))
    throw new TypeError('Give the store either a url or a client.');
  const own = options.url !== undefined ? await connectedClient(options.url) : undefined;
  const client = own?.client ?? (options.client as RedisScriptClient);
  const prefix = options.keyPrefix ?? 'okta-actions:rate:';
  const keysOf = (org: string, family: string) => {
    // The org in braces: a Redis Cluster keeps all of one org's keys in one slot, as the scripts need.
    const base = `${prefix}{${org}}`;
    return [`${base}:bucket:${family}`, `${base}:leases`, `${base}:pending:${family}`];
  };
  const run = script(client);
  return {
    localShare,
    timeoutMs,
    async reserve(request: ReserveRequest): Promise<Reservation> {
      const [granted, waitMs, reason] = (await run(RESERVE, keysOf(request.org, request.family), [
        request.lease,
        String(request.leaseMs),
        String(request.maxConcurrency),
        String(request.maxApiCapacity),
        String(MARGIN_MS),
      ])) as [number, number, string];
      if (granted === 1) return { granted: true };
      return {
        granted: false,
        waitMs: Number(waitMs),
        reason: reason as 'budget' | 'blocked' | 'concurrency',
      };
    },
    async settle(settlement: Settlement): Promise<void> {
      const { reading } = settlement;
      await run(SETTLE, keysOf(settlement.org, settlement.family), [
        settlement.lease,
        reading ? '1' : '0',
        String(reading?.limit ?? 0),
        String(reading?.remaining ?? 0),
        String(Math.round(reading?.resetInMs ?? 0)),
        settlement.exhausted ? '1' : '0',
        String(MARGIN_MS),
      ]);
    },
    close: async () => {
      await own?.close();
    },
  };
}

/** Runs a script by its SHA1, loading it (EVAL) the first time Redis does not know it. */
function script(client: RedisScriptClient) {
  const shas = new Map<string, string>();
  return async (source: string, keys: string[], args: string[]): Promise<unknown> => {
    let sha = shas.get(source);
    if (!sha) {
      sha = createHash('sha1').update(source).digest('hex');
      shas.set(source, sha);
    }
    try {
      return await client.evalSha(sha, { keys, arguments: args });
    } catch (error) {
      if (!String((error as Error)?.message ?? '').startsWith('NOSCRIPT')) throw error;
      return client.eval(source, { keys, arguments: args });
    }
  };
}

/** A node-redis client that fails at once while disconnected and keeps reconnecting in the background. */
async function connectedClient(url: string) {
  const { createClient } = await import('redis');
  const client = createClient({
    url,
    // A command while Redis is away must fail now (the governor falls back), not queue for later.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 1000,
      reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 1000),
    },
  });
  // Errors surface through the commands that fail; an 'error' event without a listener would crash the host.
  client.on('error', () => {});
  // Awaited a moment only: a store made while Redis is down must still be usable (it falls back until
  // Redis is up, and the client keeps reconnecting).
  const connecting = client.connect().catch(() => {});
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([connecting, new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
  clearTimeout(timer);
  // Loaded ahead, so that the first request does not pay a second round trip (NOSCRIPT, then EVAL).
  if (client.isReady)
    await Promise.all([RESERVE, SETTLE].map((source) => client.scriptLoad(source))).catch(() => {});
  return {
    client: client as unknown as RedisScriptClient,
    close: async () => {
      // A client still trying to reach Redis has nothing to say goodbye to.
      if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
    },
  };
}
