import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { creditScript, fundScript, initScript, reserveScript, settleScript } from './budget.scripts';
import { type Balance, BudgetStore } from './budget.store';
import { budgetKeys } from './budget-keys';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const emptySnapshot = {
  left: 0,
  reserved: 0,
  spent: 0,
  funded: 0,
  reservations: new Map(),
  settlements: new Map(),
  credits: new Map(),
};
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

  it('reserves many jobs in order and stops at the first it refuses, holding nothing for those ranked below', async () => {
    await fundedTenant(5_000);
    try {
      await store.reserve(tenant, 'held-before', 1_000, 0);
      const outcomes = await store.reserveMany(
        tenant,
        [
          { jobId: 'a', cost: 2_000 },
          { jobId: 'held-before', cost: 1_000 },
          { jobId: 'too-big', cost: 3_000 },
          { jobId: 'would-fit', cost: 500 },
        ],
        0,
      );
      expect(outcomes).toEqual([
        { status: 'ok', amount: 2_000 },
        { status: 'duplicate', amount: 1_000 },
        { status: 'insufficient', left: 2_000 },
      ]);
      expect(await store.read(tenant)).toEqual({ left: 2_000, reserved: 3_000, spent: 0, funded: 5_000 });
      // Each reservation is a job's own, as with reserve: it settles and releases alone.
      expect(await store.release(tenant, 'a')).toEqual({ status: 'ok', charged: 0 });
      expect(await store.reserveMany(tenant, [{ jobId: 'would-fit', cost: 500 }], 0)).toEqual([
        { status: 'ok', amount: 500 },
      ]);
    } finally {
      await store.delete(tenant);
    }
  });

  it('treats a missing budget as unknown, never as unlimited', async () => {
    expect(await store.read(tenant)).toBeNull();
    expect(await store.reserveMany(tenant, [{ jobId: 'job', cost: 1 }], 0)).toEqual([{ status: 'unknown' }]);
    expect(await store.reserve(tenant, 'job', 1, 0)).toEqual({ status: 'unknown' });
    expect(await store.settle(tenant, 'job', 1)).toEqual({ status: 'unknown' });
    expect(await store.fund(tenant, 1)).toEqual({ status: 'unknown' });
  });

  it('releases and settles a job that holds no reservation without touching the balance wrongly', async () => {
    await fundedTenant(5_000);
    try {
      // Nothing held: the script must not send Lua's negative zero to HINCRBY.
      expect(await store.release(tenant, 'never-reserved')).toEqual({ status: 'ok', charged: 0 });
      expect(await store.settle(tenant, 'never-reserved-either', 0)).toEqual({ status: 'ok', charged: 0 });
      expect(await store.release(tenant, 'never-reserved')).toEqual({ status: 'duplicate', charged: 0 });
      expect(await store.read(tenant)).toEqual({ left: 5_000, reserved: 0, spent: 0, funded: 5_000 });
      // A job that reserved nothing but cost something is paid from what is left.
      expect(await store.settle(tenant, 'unreserved-but-costly', 1_500)).toEqual({ status: 'ok', charged: 1_500 });
      expect(await store.read(tenant)).toEqual({ left: 3_500, reserved: 0, spent: 1_500, funded: 5_000 });
    } finally {
      await store.delete(tenant);
    }
  });

  it('reserves, settles and releases zero amounts, and funds by zero', async () => {
    await fundedTenant(1_000);
    try {
      expect(await store.reserve(tenant, 'free', 0, 0)).toEqual({ status: 'ok', amount: 0 });
      expect(await store.settle(tenant, 'free', 0)).toEqual({ status: 'ok', charged: 0 });
      expect(await store.reserve(tenant, 'free-released', 0, 0)).toEqual({ status: 'ok', amount: 0 });
      expect(await store.release(tenant, 'free-released')).toEqual({ status: 'ok', charged: 0 });
      expect(await store.reserve(tenant, 'held', 400, 0)).toEqual({ status: 'ok', amount: 400 });
      expect(await store.settle(tenant, 'held', 0)).toEqual({ status: 'ok', charged: 0 });
      expect(await store.fund(tenant, 0)).toEqual({ status: 'ok', left: 1_000 });
      expect(await store.read(tenant)).toEqual({ left: 1_000, reserved: 0, spent: 0, funded: 1_000 });
    } finally {
      await store.delete(tenant);
    }
  });

  it('keeps amounts of more than 14 digits exact', async () => {
    const big = 123_456_789_012_345; // micro-USD: Lua's tostring would print 1.2345678901234e+14
    await fundedTenant(big + 7);
    try {
      expect(await store.reserve(tenant, 'big', big, 0)).toEqual({ status: 'ok', amount: big });
      expect(await store.reserve(tenant, 'big', big, 0)).toEqual({ status: 'duplicate', amount: big });
      expect(await store.settle(tenant, 'big', big)).toEqual({ status: 'ok', charged: big });
      expect(await store.settle(tenant, 'big', big)).toEqual({ status: 'duplicate', charged: big });
      expect(await store.fund(tenant, big)).toEqual({ status: 'ok', left: big + 7 });
      expect(await store.read(tenant)).toEqual({ left: big + 7, reserved: 0, spent: big, funded: 2 * big + 7 });
    } finally {
      await store.delete(tenant);
    }
  });

  it('refuses amounts that are not safe integers, and a top-up that would leave the safe range, changing nothing', async () => {
    await fundedTenant(1_000);
    try {
      for (const bad of [0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) {
        await expect(store.reserve(tenant, 'job', bad, 0)).rejects.toThrow(RangeError);
        await expect(store.settle(tenant, 'job', bad)).rejects.toThrow(RangeError);
        await expect(store.fund(tenant, bad)).rejects.toThrow(RangeError);
      }
      await expect(store.reserve(tenant, 'job', -1, 0)).rejects.toThrow(RangeError);
      await expect(store.settle(tenant, 'job', -1)).rejects.toThrow(RangeError);
      await expect(store.fund(tenant, Number.MAX_SAFE_INTEGER)).rejects.toThrow(RangeError);
      expect(await store.read(tenant)).toEqual({ left: 1_000, reserved: 0, spent: 0, funded: 1_000 });
    } finally {
      await store.delete(tenant);
    }
  });

  it('has the scripts themselves refuse an amount that is not a safe integer, before writing anything', async () => {
    await fundedTenant(1_000);
    const keys = Object.values(budgetKeys(tenant));
    const client = clients[0] as Redis;
    const evaluate = (script: string, ...args: string[]) => client.eval(script, keys.length, ...keys, ...args);
    try {
      for (const bad of ['0.5', 'nan', 'inf', '1e300', '9007199254740993', 'x']) {
        await expect(evaluate(reserveScript, 'job', bad, '0')).rejects.toThrow(/safe integer/);
        await expect(evaluate(settleScript, 'job', bad)).rejects.toThrow(/safe integer/);
        await expect(evaluate(fundScript, bad)).rejects.toThrow(/safe integer/);
        await expect(evaluate(creditScript, 'credit', bad)).rejects.toThrow(/safe integer/);
      }
      await expect(evaluate(reserveScript, 'job', '-5', '0')).rejects.toThrow(/negative/);
      await expect(evaluate(settleScript, 'job', '-5')).rejects.toThrow(/negative/);
      expect(await store.read(tenant)).toEqual({ left: 1_000, reserved: 0, spent: 0, funded: 1_000 });

      const other = `${tenant}-rebuilt`;
      const otherKeys = Object.values(budgetKeys(other));
      await expect(
        client.eval(
          initScript,
          otherKeys.length,
          ...otherKeys,
          '1',
          '0',
          '0',
          '1',
          '-1',
          '2026-01',
          '0',
          '1',
          '0',
          'r',
          '0.5',
          's',
          '2',
        ),
      ).rejects.toThrow(/safe integer/);
      expect(await client.exists(...otherKeys)).toBe(0);
    } finally {
      await store.delete(tenant);
    }
  });

  it('is rebuilt from a snapshot only when missing', async () => {
    const snapshot = {
      left: 10,
      reserved: 5,
      spent: 3,
      funded: 18,
      reservations: new Map([['r', 5]]),
      settlements: new Map([['s', 3]]),
      credits: new Map([['stripe:cs_1', 18]]),
    };
    try {
      expect(await store.init(tenant, snapshot)).toBe(true);
      expect(await store.init(tenant, emptySnapshot)).toBe(false);
      expect(await store.read(tenant)).toEqual({ left: 10, reserved: 5, spent: 3, funded: 18 });
      expect(await store.settle(tenant, 's', 100)).toEqual({ status: 'duplicate', charged: 3 });
      expect(await store.settle(tenant, 'r', 2)).toEqual({ status: 'ok', charged: 2 });
      expect(await store.credit(tenant, 'stripe:cs_1', 18)).toEqual({ status: 'duplicate', left: 13 });
    } finally {
      await store.delete(tenant);
    }
  });

  it('applies a credit once under its id, however often and however concurrently it is replayed', async () => {
    await fundedTenant(1_000);
    try {
      const outcomes = await Promise.all(
        clients.flatMap((client) =>
          Array.from({ length: 10 }, () => new BudgetStore(client).credit(tenant, 'stripe:cs_a', 5_000)),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'ok')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'duplicate')).toHaveLength(outcomes.length - 1);
      expect(await store.read(tenant)).toEqual({ left: 6_000, reserved: 0, spent: 0, funded: 6_000 });
    } finally {
      await store.delete(tenant);
    }
  });

  it('lets a debit take back more than is left, then reserves nothing and charges nothing from the debt', async () => {
    await fundedTenant(1_000);
    try {
      expect(await store.reserve(tenant, 'job', 800, 0)).toEqual({ status: 'ok', amount: 800 });
      expect(await store.credit(tenant, 'stripe:refund:ch_1', -900)).toEqual({ status: 'ok', left: -700 });
      expect(await store.reserve(tenant, 'next', 1, 0)).toEqual({ status: 'below_minimum', left: -700 });
      // The running job is charged from what it held, never from the negative rest.
      expect(await store.settle(tenant, 'job', 1_000)).toEqual({ status: 'ok', charged: 800 });
      expect(await store.read(tenant)).toEqual({ left: -700, reserved: 0, spent: 800, funded: 100 });
      expect(await store.credit(tenant, 'stripe:cs_b', 2_000)).toEqual({ status: 'ok', left: 1_300 });
    } finally {
      await store.delete(tenant);
    }
  });

  it('does not credit a tenant whose budget is unknown (it is rebuilt from the ledger first)', async () => {
    expect(await store.credit(`${tenant}-none`, 'stripe:cs_c', 10)).toEqual({ status: 'unknown' });
  });

  it('holds a monthly spend cap: no reservation passes it, charges count, a new month starts from nothing', async () => {
    await fundedTenant(100_000);
    try {
      await store.setMonthlyCap(tenant, 10_000, '2026-12');
      expect(await store.reserve(tenant, 'a', 6_000, 0, '2026-12')).toEqual({ status: 'ok', amount: 6_000 });
      expect(await store.reserve(tenant, 'b', 6_000, 0, '2026-12')).toEqual({
        status: 'monthly_cap',
        used: 6_000,
        cap: 10_000,
      });
      // The job used less than it held: the month gets the difference back.
      expect(await store.settle(tenant, 'a', 2_000, '2026-12')).toEqual({ status: 'ok', charged: 2_000 });
      expect(await store.monthly(tenant, '2026-12')).toEqual({ used: 2_000, cap: 10_000 });
      expect(await store.reserve(tenant, 'b', 6_000, 0, '2026-12')).toEqual({ status: 'ok', amount: 6_000 });
      expect(await store.reserve(tenant, 'c', 6_000, 0, '2027-01')).toEqual({ status: 'ok', amount: 6_000 });
      // Concurrent reservations never pass the cap together.
      await store.setMonthlyCap(tenant, 20_000, '2027-02');
      const outcomes = await Promise.all(stores.map((s, i) => s.reserve(tenant, `burst-${i}`, 3_000, 0, '2027-02')));
      expect(outcomes.filter((o) => o.status === 'ok')).toHaveLength(6);
      await store.setMonthlyCap(tenant, null, '2027-02');
      expect((await store.reserve(tenant, 'free', 3_000, 0, '2027-02')).status).toBe('ok');
    } finally {
      await store.delete(tenant);
    }
  });
});
