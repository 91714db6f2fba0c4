import { randomBytes } from 'node:crypto';
import { BudgetStore, createRedisClient, loadConfig } from '@ai-org/core';
import { createNeo4jDriver, LedgerRepository } from '@ai-org/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { BudgetService } from './budget.service';

describe('BudgetService with the ledger in Neo4j', () => {
  const config = loadConfig(process.env);
  const driver = createNeo4jDriver(config.neo4j);
  const redis = createRedisClient(config.redis.url, 'worker', 'test-budget-service');
  const store = new BudgetStore(redis);
  const budget = new BudgetService(store, new LedgerRepository(driver), {
    microUsdPer1kTokens: 500,
    minimumLeftMicroUsd: 0,
  });
  const tenants: string[] = [];
  const newTenant = () => {
    const tenant = `test-ledger-${randomBytes(4).toString('hex')}`;
    tenants.push(tenant);
    return tenant;
  };

  afterAll(async () => {
    for (const tenant of tenants) await store.delete(tenant);
    await driver.executeQuery(
      'MATCH (n) WHERE (n:LedgerEntry AND n.tenantId IN $t) OR (n:Tenant AND n.id IN $t) DETACH DELETE n',
      {
        t: tenants,
      },
    );
    await driver.close();
    redis.disconnect();
  });

  it('rebuilds a budget Redis lost from the ledger: same balance, open reservations, settled jobs', async () => {
    const tenant = newTenant();
    await budget.topUp(tenant, 50_000);
    await budget.set(tenant, 40_000);
    await budget.reserve(tenant, 'done-job', 10_000);
    await budget.settle(tenant, 'done-job', 7_000);
    await budget.reserve(tenant, 'open-job', 5_000);
    const before = await store.read(tenant);
    expect(before).toEqual({ left: 28_000, reserved: 5_000, spent: 7_000, funded: 40_000 });

    await store.delete(tenant); // Redis restarted without persistence
    expect(await budget.read(tenant)).toMatchObject(before ?? {});
    expect(await budget.settle(tenant, 'done-job', 9_999)).toBe(7_000); // still charged once
    expect(await budget.settle(tenant, 'open-job', 1_000)).toBe(1_000);
    expect(await store.read(tenant)).toEqual({ left: 32_000, reserved: 0, spent: 8_000, funded: 40_000 });
  });

  it('runs what a settlement is given to run once Redis has settled and before the ledger records it', async () => {
    const tenant = newTenant();
    const ledger = new LedgerRepository(driver);
    await budget.topUp(tenant, 50_000);
    await budget.reserve(tenant, 'job', 10_000);
    let seen: unknown;
    const charged = await budget.settle(tenant, 'job', 4_000, undefined, async () => {
      // A worker announces its task here: the money it did not use is free already, and a crash
      // now leaves the reservation open in the ledger for whoever finishes the settlement.
      seen = { redis: await store.read(tenant), ledgerOpen: (await ledger.snapshot(tenant)).reservations.has('job') };
    });
    expect(charged).toBe(4_000);
    expect(seen).toEqual({ redis: { left: 46_000, reserved: 0, spent: 4_000, funded: 50_000 }, ledgerOpen: true });
    expect((await ledger.snapshot(tenant)).reservations.has('job')).toBe(false);
  });

  it('never treats a missing budget as unlimited: a tenant never funded has nothing to reserve', async () => {
    const tenant = newTenant();
    expect(await budget.reserve(tenant, 'job', 1)).toEqual({ status: 'insufficient', left: 0 });
  });

  it('sets what is left without touching what is reserved, and never below zero', async () => {
    const tenant = newTenant();
    await budget.topUp(tenant, 10_000);
    await budget.reserve(tenant, 'job', 8_000);
    expect(await budget.set(tenant, 0)).toMatchObject({ left: 0, reserved: 8_000, spent: 0, funded: 8_000 });
    await expect(budget.set(tenant, -1)).rejects.toMatchObject({ code: 'CONFLICT' });
    await expect(budget.topUp(tenant, 0)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('credits a payment once: a replay changes nothing, also after Redis lost the budget', async () => {
    const tenant = newTenant();
    await budget.topUp(tenant, 1_000);
    expect(await budget.credit(tenant, 'stripe:cs_once', 20_000, 'evt_1')).toEqual({
      status: 'credited',
      left: 21_000,
    });
    expect(await budget.credit(tenant, 'stripe:cs_once', 20_000, 'evt_1')).toEqual({
      status: 'replayed',
      left: 21_000,
    });

    await store.delete(tenant); // Redis restarted without persistence: rebuilt from the ledger, id included
    expect(await budget.credit(tenant, 'stripe:cs_once', 20_000, 'evt_1')).toEqual({
      status: 'replayed',
      left: 21_000,
    });
    expect(await store.read(tenant)).toEqual({ left: 21_000, reserved: 0, spent: 0, funded: 21_000 });
  });

  it('finishes a credit whose process died between the ledger and Redis when the payment is reported again', async () => {
    const tenant = newTenant();
    await budget.topUp(tenant, 1_000);
    // The crash: the ledger has the credit, Redis never applied it.
    const ledger = new LedgerRepository(driver);
    await ledger.record(tenant, { kind: 'fund', jobId: 'stripe:cs_crash', amountMicroUsd: 5_000, source: 'evt_2' });
    expect(await store.read(tenant)).toMatchObject({ left: 1_000, funded: 1_000 });

    expect(await budget.credit(tenant, 'stripe:cs_crash', 5_000, 'evt_2')).toEqual({
      status: 'completed',
      left: 6_000,
    });
    expect(await budget.credit(tenant, 'stripe:cs_crash', 5_000, 'evt_2')).toEqual({ status: 'replayed', left: 6_000 });
    expect((await ledger.snapshot(tenant)).funded).toBe(6_000);
  });

  it('takes a refund back once, even when it leaves less than nothing', async () => {
    const tenant = newTenant();
    await budget.credit(tenant, 'stripe:cs_r', 5_000);
    await budget.reserve(tenant, 'job', 4_000);
    await budget.settle(tenant, 'job', 4_000);
    expect(await budget.credit(tenant, 'stripe:refund:re_1', -5_000)).toEqual({ status: 'credited', left: -4_000 });
    expect(await budget.credit(tenant, 'stripe:refund:re_1', -5_000)).toMatchObject({ status: 'replayed' });
    expect(await budget.reserve(tenant, 'next', 1)).toMatchObject({ status: 'below_minimum' });
    await store.delete(tenant);
    expect(await budget.read(tenant)).toMatchObject({ left: -4_000, spent: 4_000, funded: 0 });
  });

  it('keeps the monthly spend cap and what the month used when Redis lost the budget', async () => {
    const tenant = newTenant();
    const capped = new BudgetService(
      store,
      new LedgerRepository(driver),
      { microUsdPer1kTokens: 500, minimumLeftMicroUsd: 0 },
      undefined,
      { monthlyCapOf: async () => 10_000 },
    );
    await capped.topUp(tenant, 100_000);
    await capped.applyMonthlyCap(tenant, 10_000);
    await capped.reserve(tenant, 'a', 4_000);
    await capped.settle(tenant, 'a', 3_000);
    await capped.reserve(tenant, 'b', 5_000);
    expect(await capped.monthly(tenant)).toEqual({ cap: 10_000, used: 8_000 });

    await store.delete(tenant); // Redis restarted without persistence: the ledger and the cap's owner tell
    expect(await capped.monthly(tenant)).toEqual({ cap: 10_000, used: 8_000 });
    expect(await capped.reserve(tenant, 'c', 3_000)).toEqual({ status: 'monthly_cap', used: 8_000, cap: 10_000 });
    expect(await capped.reserve(tenant, 'd', 2_000)).toMatchObject({ status: 'ok' });
  });
});
