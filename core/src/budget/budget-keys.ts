/**
 * Where a tenant's budget lives in Redis. The tenant id is hash-tagged (`{tenant}`) so every key of
 * one tenant lands in the same Redis Cluster slot and one Lua script can touch them all.
 */
export const budgetKey = (tenantId: string): string => `budget:{${tenantId}}`;

/** Hash field holding what is left, in integer micro-USD (1 USD = 1,000,000) so arithmetic is exact. */
export const budgetLeftField = 'left_micro_usd';

export const microUsdPerUsd = 1_000_000;
