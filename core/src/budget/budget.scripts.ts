/**
 * The budget's Lua scripts. Each runs atomically in Redis, so no interleaving of reservations,
 * settlements and top-ups can overspend a tenant or charge a job twice.
 * KEYS: [1] balance hash, [2] reservations hash, [3] settled hash (see budget-keys.ts).
 */

const fields = `
local LEFT, RESERVED, SPENT, FUNDED = 'left_micro_usd', 'reserved_micro_usd', 'spent_micro_usd', 'funded_micro_usd'
local function num(key, field) return tonumber(redis.call('HGET', key, field) or '0') end
`;

/** ARGV: job id, cost, minimum left. → {status, amount}; status ok|duplicate|settled|insufficient|below_minimum|unknown */
export const reserveScript = `${fields}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', '0'} end
local held = redis.call('HGET', KEYS[2], ARGV[1])
if held then return {'duplicate', held} end
local charged = redis.call('HGET', KEYS[3], ARGV[1])
if charged then return {'settled', charged} end
local left, cost, minimum = num(KEYS[1], LEFT), tonumber(ARGV[2]), tonumber(ARGV[3])
if left < minimum then return {'below_minimum', tostring(left)} end
if left < cost then return {'insufficient', tostring(left)} end
redis.call('HINCRBY', KEYS[1], LEFT, -cost)
redis.call('HINCRBY', KEYS[1], RESERVED, cost)
redis.call('HSET', KEYS[2], ARGV[1], cost)
return {'ok', tostring(cost)}
`;

/**
 * ARGV: job id, actual cost. Charges the actual cost (from the reservation first, any excess from
 * what is left, never below zero), releases the rest of the reservation, and remembers the job so a
 * second settle changes nothing. → {status, charged, released}; status ok|duplicate|unknown
 */
export const settleScript = `${fields}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', '0', '0'} end
local charged = redis.call('HGET', KEYS[3], ARGV[1])
if charged then return {'duplicate', charged, '0'} end
local held, left, actual = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0'), num(KEYS[1], LEFT), tonumber(ARGV[2])
local charge = math.min(actual, held + left)
redis.call('HINCRBY', KEYS[1], RESERVED, -held)
redis.call('HINCRBY', KEYS[1], LEFT, held - charge)
redis.call('HINCRBY', KEYS[1], SPENT, charge)
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], charge)
return {'ok', tostring(charge), tostring(held - charge)}
`;

/** ARGV: delta (may be negative, but never below what is left). → {status, left}; status ok|insufficient|unknown */
export const fundScript = `${fields}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', '0'} end
local delta, left = tonumber(ARGV[1]), num(KEYS[1], LEFT)
if left + delta < 0 then return {'insufficient', tostring(left)} end
redis.call('HINCRBY', KEYS[1], LEFT, delta)
redis.call('HINCRBY', KEYS[1], FUNDED, delta)
return {'ok', tostring(left + delta)}
`;

/**
 * Creates the budget from a rebuilt state, only if it does not exist (concurrent rebuilds agree).
 * ARGV: left, reserved, spent, funded, count of reservations, then job/amount pairs of reservations,
 * then job/amount pairs of settlements. → {status}; status ok|exists
 */
export const initScript = `${fields}
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists'} end
redis.call('HSET', KEYS[1], LEFT, ARGV[1], RESERVED, ARGV[2], SPENT, ARGV[3], FUNDED, ARGV[4])
redis.call('DEL', KEYS[2], KEYS[3])
local n = tonumber(ARGV[5])
for i = 6, 5 + 2 * n, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
for i = 6 + 2 * n, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
return {'ok'}
`;
