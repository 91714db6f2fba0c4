/**
 * The budget's Lua scripts. Each runs atomically in Redis, so no interleaving of reservations,
 * settlements and top-ups can overspend a tenant or charge a job twice.
 * KEYS: [1] balance hash, [2] reservations hash, [3] settled hash, [4] credits hash, [5] months hash
 * (see budget-keys.ts).
 *
 * Every amount that reaches HINCRBY/HSET or the reply goes through `int`, which renders it as a
 * plain integer string: Lua numbers are doubles, and handing one to redis.call directly sends `-0`
 * for a negated zero (HINCRBY refuses it) and exponent notation for large values, while Lua's
 * tostring keeps only 14 digits. `int` refuses anything that is not a safe integer (|n| < 2^53).
 */

const fields = `
local LEFT, RESERVED, SPENT, FUNDED = 'left_micro_usd', 'reserved_micro_usd', 'spent_micro_usd', 'funded_micro_usd'
local CAP = 'monthly_cap_micro_usd'
local MAX = 9007199254740991
local function safe(n)
  if type(n) ~= 'number' or n ~= n or n % 1 ~= 0 or n > MAX or n < -MAX then
    error({err = 'ERR budget amount is not a safe integer: ' .. tostring(n)})
  end
  return n
end
local function int(n) return string.format('%d', safe(n)) end
local function arg(i) return safe(tonumber(ARGV[i])) end
local function cost(i)
  local n = arg(i)
  if n < 0 then error({err = 'ERR budget cost is negative: ' .. int(n)}) end
  return n
end
local function num(key, field) return safe(tonumber(redis.call('HGET', key, field) or '0')) end
`;

/**
 * One reservation, as a Lua function both reserve scripts share: job id, cost, minimum left, month
 * (YYYY-MM) → {status, amount[, cap]}; status ok|duplicate|settled|insufficient|below_minimum|
 * monthly_cap (monthly_cap: amount = what the month has used, cap = the cap).
 */
const reserveOne = `
local function reserve(job, amount, minimum, month)
  local held = redis.call('HGET', KEYS[2], job)
  if held then return {'duplicate', held} end
  local charged = redis.call('HGET', KEYS[3], job)
  if charged then return {'settled', charged} end
  local left = num(KEYS[1], LEFT)
  if left < minimum then return {'below_minimum', int(left)} end
  if left < amount then return {'insufficient', int(left)} end
  local cap = redis.call('HGET', KEYS[1], CAP)
  local used = num(KEYS[5], month)
  if cap and used + amount > safe(tonumber(cap)) then return {'monthly_cap', int(used), cap} end
  redis.call('HINCRBY', KEYS[1], LEFT, int(-amount))
  redis.call('HINCRBY', KEYS[1], RESERVED, int(amount))
  redis.call('HSET', KEYS[2], job, int(amount))
  redis.call('HSET', KEYS[5], month, int(used + amount))
  return {'ok', int(amount)}
end
`;

/** ARGV: job id, cost, minimum left, month (YYYY-MM). → {status, amount[, cap]} (see `reserveOne`), or {'unknown', '0'}. */
export const reserveScript = `${fields}${reserveOne}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', '0'} end
return reserve(ARGV[1], cost(2), arg(3), ARGV[4])
`;

/**
 * Reservations in order, all in one step: ARGV: minimum left, month, then job id and cost per job.
 * Stops after the first that is not ok or duplicate, so nothing ranked below a refused job holds money.
 * → {'unknown'} or, per job tried, status, amount and cap ('' when none): a flat list of triples.
 */
export const reserveManyScript = `${fields}${reserveOne}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown'} end
local minimum, reply = arg(1), {}
for i = 3, #ARGV, 2 do
  local outcome = reserve(ARGV[i], cost(i + 1), minimum, ARGV[2])
  table.insert(reply, outcome[1])
  table.insert(reply, outcome[2])
  table.insert(reply, outcome[3] or '')
  if outcome[1] ~= 'ok' and outcome[1] ~= 'duplicate' then break end
end
return reply
`;

/**
 * ARGV: job id, actual cost, month (YYYY-MM). Charges the actual cost (from the reservation first, any
 * excess from what is left, never below zero), releases the rest of the reservation, and remembers the
 * job so a second settle changes nothing. The month's use moves by the charge less what was held
 * (never below zero: a job reserved last month and settled in this one). → {status, charged, released};
 * status ok|duplicate|unknown
 */
export const settleScript = `${fields}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', '0', '0'} end
local charged = redis.call('HGET', KEYS[3], ARGV[1])
if charged then return {'duplicate', charged, '0'} end
local held, left, actual = num(KEYS[2], ARGV[1]), num(KEYS[1], LEFT), cost(2)
-- What is left may be negative after a refund or dispute took money back: never charge from that.
local charge = math.min(actual, held + math.max(left, 0))
redis.call('HINCRBY', KEYS[1], RESERVED, int(-held))
redis.call('HINCRBY', KEYS[1], LEFT, int(held - charge))
redis.call('HINCRBY', KEYS[1], SPENT, int(charge))
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], ARGV[1], int(charge))
redis.call('HSET', KEYS[5], ARGV[3], int(math.max(num(KEYS[5], ARGV[3]) + charge - held, 0)))
return {'ok', int(charge), int(held - charge)}
`;

/**
 * ARGV: delta (may be negative, but never below what is left, and never so large that the funded
 * total leaves the safe-integer range). → {status, left}; status ok|insufficient|out_of_range|unknown
 */
export const fundScript = `${fields}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', '0'} end
local delta, left, funded = arg(1), num(KEYS[1], LEFT), num(KEYS[1], FUNDED)
if left + delta < 0 then return {'insufficient', int(left)} end
if funded + delta > MAX then return {'out_of_range', int(left)} end
redis.call('HINCRBY', KEYS[1], LEFT, int(delta))
redis.call('HINCRBY', KEYS[1], FUNDED, int(delta))
return {'ok', int(left + delta)}
`;

/**
 * ARGV: credit id, delta (negative for a refund or dispute). Applies each credit id once: a replay
 * (the same payment reported again) changes nothing. A debit may leave `left` below zero — the money
 * is gone either way — and then nothing is reserved until credits cover it.
 * → {status, left}; status ok|duplicate|out_of_range|unknown
 */
export const creditScript = `${fields}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown', '0'} end
local left, funded = num(KEYS[1], LEFT), num(KEYS[1], FUNDED)
if redis.call('HEXISTS', KEYS[4], ARGV[1]) == 1 then return {'duplicate', int(left)} end
local delta = arg(2)
if funded + delta > MAX or left + delta < -MAX then return {'out_of_range', int(left)} end
redis.call('HSET', KEYS[4], ARGV[1], int(delta))
redis.call('HINCRBY', KEYS[1], LEFT, int(delta))
redis.call('HINCRBY', KEYS[1], FUNDED, int(delta))
return {'ok', int(left + delta)}
`;

/**
 * ARGV: cap (or -1 for none), month, the month's use as the ledger tells it (or -1 to keep what Redis
 * has). → {status}; status ok|unknown
 */
export const monthlyCapScript = `${fields}
if redis.call('EXISTS', KEYS[1]) == 0 then return {'unknown'} end
local cap, used = arg(1), arg(3)
if cap < 0 then redis.call('HDEL', KEYS[1], CAP) else redis.call('HSET', KEYS[1], CAP, int(cap)) end
if used >= 0 then redis.call('HSET', KEYS[5], ARGV[2], int(used)) end
return {'ok'}
`;

/**
 * Creates the budget from a rebuilt state, only if it does not exist (concurrent rebuilds agree).
 * ARGV: left, reserved, spent, funded, monthly cap (-1: none), month, the month's use, count of
 * reservations, count of credits, then job/amount pairs of reservations, then id/amount pairs of
 * credits, then job/amount pairs of settlements. → {status}; status ok|exists
 */
export const initScript = `${fields}
if redis.call('EXISTS', KEYS[1]) == 1 then return {'exists'} end
local n, c = arg(8), arg(9)
for i = 1, 5 do arg(i) end
arg(7)
for i = 11, #ARGV, 2 do arg(i) end -- every amount is checked before anything is written
redis.call('HSET', KEYS[1], LEFT, int(arg(1)), RESERVED, int(arg(2)), SPENT, int(arg(3)), FUNDED, int(arg(4)))
if arg(5) >= 0 then redis.call('HSET', KEYS[1], CAP, int(arg(5))) end
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4], KEYS[5])
redis.call('HSET', KEYS[5], ARGV[6], int(arg(7)))
local first_credit, first_settlement = 10 + 2 * n, 10 + 2 * (n + c)
for i = 10, first_credit - 1, 2 do redis.call('HSET', KEYS[2], ARGV[i], int(arg(i + 1))) end
for i = first_credit, first_settlement - 1, 2 do redis.call('HSET', KEYS[4], ARGV[i], int(arg(i + 1))) end
for i = first_settlement, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[i], int(arg(i + 1))) end
return {'ok'}
`;
