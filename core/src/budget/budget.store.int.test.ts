import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { type Balance, BudgetStore } from './budget.store';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const emptySnapshot = { left: 0, reserved: 0, spent: 0, funded: 0, reservations: new Map(), settlements: new Map() };
const sum = (balance: Balance | null) => (balance ? balance.left + balance.reserved + balance.spent : Number.NaN);

describe('BudgetStore against the real Redis', () => {
  // Ten connections, so the reservations really arrive interleaved from several clients.
  const clients = Array.from({ length: 10 }, () => new Redis(redisUrl));
  const stores = clients.map((client) => new BudgetStore(client));
  const store = stores[0] as BudgetStore;
  let tenant: string;

  const fundedTenant = async (amount: number) => {
    await store.init(tenant, emptySnapshot);
    await store.fund(tenant, amount);
  };

  beforeEach(() => {
    tenant = `test-budget-${randomBytes(4).toString('hex')}`;
  });
  afterAll(async () => {
    for (const client of clients) client.disconnect();
  });

  it('lets exactly N of 1,000 concurrent reservations through when the budget covers N, and balances to the unit', async () => {
    const cost = 1_234;
    const n = 337;
    await fundedTenant(cost * n + cost - 1); // one unit short of N + 1
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 1_000 }, (_, i) =>
          (stores[i % stores.length] as BudgetStore).reserve(tenant, `job-${i}`, cost, 0),
        ),
      );
      const granted = outcomes.flatMap((outcome, i) => (outcome.status === 'ok' ? [`job-${i}`] : []));
      expect(granted).toHaveLength(n);
      expect(outcomes.filter((outcome) => outcome.status === 'insufficient')).toHaveLength(1_000 - n);
      expect(await store.read(tenant)).toEqual({
        left: cost - 1,
        reserved: cost * n,
        spent: 0,
        funded: cost * n + cost - 1,
      });

      // Half settle at various actual costs, the rest are released; all of it concurrently.
      await Promise.all(
        granted.map((job, i) =>
          i % 2 === 0
            ? store.settle(tenant, job, (i * 7) % (cost + 1))
            : (stores[i % 10] as BudgetStore).release(tenant, job),
        ),
      );
      const after = await store.read(tenant);
      expect(after?.reserved).toBe(0);
      expect(sum(after)).toBe(cost * n + cost - 1);
      expect(after?.left).toBeGreaterThanOrEqual(0);
    } finally {
      await store.delete(tenant);
    }
  });

  it('charges a job once however often it is settled', async () => {
    await fundedTenant(100_000);
    try {
      await store.reserve(tenant, 'job', 10_000, 0);
      const results = await Promise.all([1, 2, 3].map(() => store.settle(tenant, 'job', 6_000)));
      expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'duplicate', 'ok']);
      expect(await store.settle(tenant, 'job', 9_999)).toEqual({ status: 'duplicate', charged: 6_000 });
      expect(await store.read(tenant)).toEqual({ left: 94_000, reserved: 0, spent: 6_000, funded: 100_000 });
      expect((await store.reserve(tenant, 'job', 10_000, 0)).status).toBe('settled');
    } finally {
      await store.delete(tenant);
    }
  });

  it('refuses a reservation below the minimum left, and never lets a settlement overspend', async () => {
    await fundedTenant(5_000);
    try {
      expect(await store.reserve(tenant, 'a', 100, 10_000)).toEqual({ status: 'below_minimum', left: 5_000 });
      expect(await store.reserve(tenant, 'b', 4_000, 0)).toEqual({ status: 'ok', amount: 4_000 });
      // The job used more than it reserved: the excess comes from what is left, never below zero.
      expect(await store.settle(tenant, 'b', 99_000)).toEqual({ status: 'ok', charged: 5_000 });
      expect(await store.read(tenant)).toEqual({ left: 0, reserved: 0, spent: 5_000, funded: 5_000 });
      expect((await store.fund(tenant, -1)).status).toBe('insufficient');
    } finally {
      await store.delete(tenant);
    }
  });

  it('treats a missing budget as unknown, never as unlimited', async () => {
    expect(await store.read(tenant)).toBeNull();
    expect(await store.reserve(tenant, 'job', 1, 0)).toEqual({ status: 'unknown' });
    expect(await store.settle(tenant, 'job', 1)).toEqual({ status: 'unknown' });
    expect(await store.fund(tenant, 1)).toEqual({ status: 'unknown' });
  });

  it('is rebuilt from a snapshot only when missing', async () => {
    const snapshot = {
      left: 10,
      reserved: 5,
      spent: 3,
      funded: 18,
      reservations: new Map([['r', 5]]),
      settlements: new Map([['s', 3]]),
    };
    try {
      expect(await store.init(tenant, snapshot)).toBe(true);
      expect(await store.init(tenant, emptySnapshot)).toBe(false);
      expect(await store.read(tenant)).toEqual({ left: 10, reserved: 5, spent: 3, funded: 18 });
      expect(await store.settle(tenant, 's', 100)).toEqual({ status: 'duplicate', charged: 3 });
      expect(await store.settle(tenant, 'r', 2)).toEqual({ status: 'ok', charged: 2 });
    } finally {
      await store.delete(tenant);
    }
  });
});
