/**
 * Where a tenant's budget lives in Redis. Every key carries the tenant as a hash tag (`{tenant}`),
 * so all of one tenant's keys land in the same Redis Cluster slot and one Lua script can touch them.
 */
export const budgetKeys = (tenantId: string) => ({
  /** Hash: left, reserved, spent and funded, in integer micro-USD. */
  balance: `budget:{${tenantId}}`,
  /** Hash: job id → micro-USD held for that job. */
  reservations: `budget:{${tenantId}}:reservations`,
  /** Hash: job id → micro-USD charged; a job in here is never charged again. */
  settled: `budget:{${tenantId}}:settled`,
  /** Hash: credit id (e.g. a Stripe checkout session) → micro-USD added (negative: taken back); applied once. */
  credits: `budget:{${tenantId}}:credits`,
  /** Hash: month (`YYYY-MM`, UTC) → micro-USD reserved or charged in it, for the monthly spend cap. */
  months: `budget:{${tenantId}}:months`,
});

/** The month a reservation or charge counts towards (UTC). */
export const monthOf = (date: Date): string => date.toISOString().slice(0, 7);

/** Fields of the balance hash. left + reserved + spent = funded, always, to the unit. */
export const balanceFields = {
  left: 'left_micro_usd',
  reserved: 'reserved_micro_usd',
  spent: 'spent_micro_usd',
  funded: 'funded_micro_usd',
  /** The tenant's monthly spend cap; absent = none. */
  monthlyCap: 'monthly_cap_micro_usd',
} as const;

export const microUsdPerUsd = 1_000_000;

export const toUsd = (microUsd: number): number => microUsd / microUsdPerUsd;
