/**
 * Where a tenant's limits live in Redis. Every key carries the tenant as a hash tag (`{tenant}`), like
 * the budget's, so one Lua script can touch them in a Redis Cluster.
 */
export const limitKeys = (tenantId: string) => ({
  /** Sorted set: job → lease expiry (Redis clock, ms). Its size is the tenant's running jobs. */
  running: `limits:{${tenantId}}:running`,
  /** Hash: `window` (the current window's number) and `used` (tokens taken in it). */
  tokens: `limits:{${tenantId}}:tokens`,
});
