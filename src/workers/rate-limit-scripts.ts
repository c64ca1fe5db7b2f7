/**
 * The shared rate budget's two Lua scripts. Each runs atomically in Redis (no two workers can spend the
 * same last request) and on Redis's own clock (TIME), so that workers whose clocks differ still agree on
 * when a window resets. Per org and endpoint family, one hash holds Okta's last reading (limit, remaining,
 * resetAt) and a 429's block (blockedUntil), and a sorted set the requests on their way (pending); per org,
 * a sorted set holds the leases of the requests in flight. Every member of a sorted set is scored by when
 * it expires: a worker that dies mid-request leaves a lease that frees itself.
 */

/** Redis's clock in milliseconds. */
const NOW = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS: bucket, org leases, family pending. ARGV: lease, leaseMs, maxConcurrency, maxApiCapacity, marginMs.
 * Answers {1, 0, 'ok'} (reserved), or {0, waitMs, reason}.
 */
export const RESERVE = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local b = redis.call('HMGET', KEYS[1], 'limit', 'remaining', 'resetAt', 'blockedUntil')
local margin = tonumber(ARGV[5])
local blocked = tonumber(b[4])
if blocked and blocked > now then return {0, blocked - now, 'blocked'} end
local limit = tonumber(b[1])
if limit then
  local over = tonumber(b[3]) + margin
  if now < over then
    local reserved = math.floor(limit * (1 - tonumber(ARGV[4]) / 100))
    local left = tonumber(b[2]) - redis.call('ZCARD', KEYS[3])
    if left <= reserved then return {0, over - now, 'budget'} end
  end
end
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then return {0, 0, 'concurrency'} end
local expires = now + tonumber(ARGV[2])
redis.call('ZADD', KEYS[2], expires, ARGV[1])
redis.call('ZADD', KEYS[3], expires, ARGV[1])
redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[2]) * 2)
redis.call('PEXPIRE', KEYS[3], tonumber(ARGV[2]) * 2)
return {1, 0, 'ok'}`;

/**
 * KEYS: bucket, org leases, family pending. ARGV: lease, hasReading (1/0), limit, remaining, resetInMs,
 * exhausted (1/0), marginMs. Frees the lease and takes the reading in: a newer window replaces the old; in
 * the same window the lowest remaining wins (answers arrive out of order); a late answer of an older
 * window is ignored (it must not block the new one). A 429 blocks the family for everyone until its reset.
 */
export const SETTLE = `${NOW}
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
local margin = tonumber(ARGV[7])
local resetAt = now + margin
if ARGV[2] == '1' then
  local limit = tonumber(ARGV[3])
  local remaining = tonumber(ARGV[4])
  resetAt = now + tonumber(ARGV[5])
  local cur = redis.call('HMGET', KEYS[1], 'remaining', 'resetAt')
  local curReset = tonumber(cur[2])
  local take = true
  if curReset and cur[1] then
    if resetAt < curReset - margin then
      take = false
    elseif resetAt <= curReset + margin then
      remaining = math.min(remaining, tonumber(cur[1]))
      resetAt = curReset
    end
  end
  if take then
    redis.call('HSET', KEYS[1], 'limit', limit, 'remaining', remaining, 'resetAt', resetAt)
  end
end
if ARGV[6] == '1' then
  redis.call('HSET', KEYS[1], 'remaining', 0)
  local blocked = tonumber(redis.call('HGET', KEYS[1], 'blockedUntil')) or 0
  if resetAt + margin > blocked then redis.call('HSET', KEYS[1], 'blockedUntil', resetAt + margin) end
end
redis.call('PEXPIRE', KEYS[1], math.max(resetAt - now, 0) + margin + 60000)
return 1`;
