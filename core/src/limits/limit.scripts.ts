/**
 * The tenant limits' Lua scripts. Each runs atomically in Redis, so concurrent workers in any number of
 * processes cannot together exceed a cap. Time is Redis's own clock (`TIME`), the same for every
 * process whatever their clocks say. Replies carry integers as strings (Lua numbers are doubles).
 */

const now = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local function int(n) return string.format('%d', n) end
`;

/**
 * A running slot, leased. KEYS: [1] running set. ARGV: [1] member (the job), [2] cap, [3] lease ms.
 * Expired leases are dropped first; a member that holds a slot already renews it (a redelivered job
 * takes its own slot over). → {'ok', running} or {'full', running, ms until the earliest lease ends}
 */
export const acquireSlotScript = `${now}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local cap, lease = tonumber(ARGV[2]), tonumber(ARGV[3])
local running = redis.call('ZCARD', KEYS[1])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) or running < cap then
  redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], lease * 2)
  return {'ok', int(redis.call('ZCARD', KEYS[1]))}
end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {'full', int(running), int(math.max(0, tonumber(first[2]) - now))}
`;

/** Renews a held lease. KEYS: [1] running set. ARGV: [1] member, [2] lease ms. → 1 renewed, 0 no longer held */
export const renewSlotScript = `${now}
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
local lease = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease * 2)
return 1
`;

/**
 * Takes tokens from the current window. KEYS: [1] tokens hash. ARGV: [1] tokens, [2] cap per window,
 * [3] window ms. A new window starts at zero. → {'ok', window, used} or {'full', window, used, ms until
 * the next window}
 */
export const takeTokensScript = `${now}
local amount, cap, length = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local window = math.floor(now / length)
local used = 0
if tonumber(redis.call('HGET', KEYS[1], 'window') or '-1') == window then
  used = tonumber(redis.call('HGET', KEYS[1], 'used') or '0')
end
if used + amount > cap then
  return {'full', int(window), int(used), int((window + 1) * length - now)}
end
redis.call('HSET', KEYS[1], 'window', int(window), 'used', int(used + amount))
redis.call('PEXPIRE', KEYS[1], length * 2)
return {'ok', int(window), int(used + amount)}
`;

/**
 * Gives unused tokens back to the window they were taken from, if it is still the current one (a
 * later window started at zero anyway); never below zero. KEYS: [1] tokens hash. ARGV: [1] window,
 * [2] tokens. → the window's tokens used after it
 */
export const giveBackTokensScript = `
if redis.call('HGET', KEYS[1], 'window') ~= ARGV[1] then return '0' end
local used = math.max(0, tonumber(redis.call('HGET', KEYS[1], 'used') or '0') - tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'used', string.format('%d', used))
return string.format('%d', used)
`;
