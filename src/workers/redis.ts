/**
 * okta-actions/redis: one org's rate budget shared by every worker of a fleet, through Redis.
 *
 *   import { redisRateLimitStore } from 'okta-actions/redis';
 *   const rateLimitStore = await redisRateLimitStore({ url: 'redis://127.0.0.1:6379' });
 *   await execute('create-user', { connection, input }, { rateLimitStore });
 *
 * Needs the `redis` package (node-redis 5), an optional peer dependency of okta-actions.
 */
export type { RateLimitStore } from '../transport/rate-limit-store.js';
export {
  type RedisRateLimitStore,
  type RedisRateLimitStoreOptions,
  type RedisScriptClient,
  redisRateLimitStore,
} from './redis-rate-limit-store.js';
