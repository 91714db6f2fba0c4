import { randomBytes } from 'node:crypto';
import { BudgetStore, createRedisClient, loadConfig } from '@ai-org/core';
import {
  type ChargeDetails,
  createNeo4jDriver,
  LedgerRepository,
  newTaskId,
  type UsageGroup,
  UsageRepository,
  usageGroups,
} from '@ai-org/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetService } from './budget.service';
import { UsageService } from './usage.service';

/** Every grouping a statement can be asked for: each subset of the groups, in each order. */
const groupings = (groups: readonly UsageGroup[]): UsageGroup[][] => [
  [],
  ...groups.flatMap((group) => groupings(groups.filter((other) => other !== group)).map((rest) => [group, ...rest])),
];

describe('usage statements from the ledger in Neo4j', () => {
  const config = loadConfig(process.env);
  const driver = createNeo4jDriver(config.neo4j);
  const redis = createRedisClient(config.redis.url, 'worker', 'test-usage-service');
  const store = new BudgetStore(redis);
  const ledger = new LedgerRepository(driver);
  const budget = new BudgetService(store, ledger, { microUsdPer1kTokens: 500, minimumLeftMicroUsd: 0 });
  const usage = new UsageService(new UsageRepository(driver));
  const tenant = `test-usage-${randomBytes(4).toString('hex')}`;
  const other = `test-usage-${randomBytes(4).toString('hex')}`;
  const [devTask, qaTask, handTask, goalOne, goalTwo] = [
    newTaskId(),
    newTaskId(),
    newTaskId(),
    newTaskId(),
    newTaskId(),
  ];
  const period = { from: '2025-03-01', to: '2025-03-03' };

  /** A settlement through the budget (with what it was for), at the time given. */
  const charge = async (jobId: string, microUsd: number, at: string, details?: ChargeDetails) => {
    await budget.reserve(tenant, jobId, microUsd);
    await budget.settle(tenant, jobId, microUsd, details);
    await dated(tenant, 'settle', jobId, at);
  };
  /** A settle entry as recorded before charges kept what they were for. */
  const legacyCharge = async (jobId: string, microUsd: number, at: string) => {
    await ledger.record(tenant, { kind: 'settle', jobId, amountMicroUsd: microUsd });
    await dated(tenant, 'settle', jobId, at);
  };
  const dated = (tenantId: string, kind: string, jobId: string, at: string) =>
    driver.executeQuery('MATCH (e:LedgerEntry {id: $id}) SET e.createdAt = datetime($at)', {
      id: `${tenantId}/${kind}/${jobId}`,
      at,
    });

  /** Σ amountMicroUsd of the tenant's settle entries in [from, to), read straight from Neo4j. */
  const ledgerSum = async (from: string, to: string): Promise<bigint> => {
    const { records } = await driver.executeQuery(
      `MATCH (e:LedgerEntry {tenantId: $tenant, kind: 'settle'})
       WHERE e.createdAt >= datetime($from) AND e.createdAt < datetime($to)
       RETURN toString(sum(toInteger(e.amountMicroUsd))) AS total`,
      { tenant, from, to },
    );
    return BigInt(records[0]?.get('total') as string);
  };

  beforeAll(async () => {
    await driver.executeQuery(
      `CREATE (:Task {tenantId: $tenant, id: $devTask, owner: 'dev', goalId: $goalOne, description: 'dev'}),
              (:Task {tenantId: $tenant, id: $qaTask, owner: 'qa', goalId: $goalTwo, description: 'qa'}),
              (:Task {tenantId: $tenant, id: $handTask, owner: 'ux_ui', description: 'by hand'}),
              (:Goal {tenantId: $tenant, id: $goalOne, text: 'goal one'}),
              (:Goal {tenantId: $tenant, id: $goalTwo, text: 'goal two'})`,
      { tenant, devTask, qaTask, handTask, goalOne, goalTwo },
    );
    await budget.topUp(tenant, 1_000_000);
    // Day one: 2025-03-01 (UTC).
    await charge(`${devTask}.1.step0`, 500, '2025-03-01T10:00:00Z', { tokens: 1000, taskId: devTask, role: 'dev' });
    await legacyCharge(`${qaTask}.1`, 700, '2025-03-01T23:59:59.999Z');
    await charge(`goal.${goalTwo}`, 300, '2025-03-01T05:00:00Z', { tokens: 600, goalId: goalTwo, role: 'planning' });
    await budget.reserve(tenant, `${devTask}.2`, 4_000);
    await budget.release(tenant, `${devTask}.2`); // a settle of 0: no charge
    await dated(tenant, 'settle', `${devTask}.2`, '2025-03-01T11:00:00Z');
    // Day two: 2025-03-02.
    await charge(`${devTask}.1.step1`, 1_000, '2025-03-02T00:00:00Z', { tokens: 2000, taskId: devTask, role: 'dev' });
    await legacyCharge(`goal.${goalOne}`, 300, '2025-03-02T12:00:00Z');
    await charge(`${handTask}.route`, 50, '2025-03-02T13:00:00Z', { tokens: 100, taskId: handTask, role: 'routing' });
    await legacyCharge('mystery-job', 11, '2025-03-02T14:00:00Z');
    // Outside the period, on both sides; an open reservation; another tenant's charge.
    await charge(`${devTask}.1.step2`, 999, '2025-03-03T00:00:00Z', { tokens: 5, taskId: devTask, role: 'dev' });
    await legacyCharge(`${qaTask}.2`, 888, '2025-02-28T23:59:59.999Z');
    await budget.reserve(tenant, `${qaTask}.3`, 5_000);
    await ledger.record(other, { kind: 'settle', jobId: `${devTask}.1.step0`, amountMicroUsd: 77_777 });
    await dated(other, 'settle', `${devTask}.1.step0`, '2025-03-01T10:00:00Z');
  });

  afterAll(async () => {
    await store.delete(tenant);
    await driver.executeQuery('MATCH (n) WHERE n.tenantId IN $t DETACH DELETE n', { t: [tenant, other] });
    await driver.close();
    redis.disconnect();
  });

  it('keeps what a charge was for on its settle entry', async () => {
    const { records } = await driver.executeQuery(
      'MATCH (e:LedgerEntry {id: $id}) RETURN e.tokens AS tokens, e.taskId AS taskId, e.role AS role, e.goalId AS goalId',
      { id: `${tenant}/settle/${devTask}.1.step0` },
    );
    expect(records[0]?.toObject()).toEqual({ tokens: 1000, taskId: devTask, role: 'dev', goalId: null });
  });

  it('groups by day, role and goal, attributing older entries by their job id and task', async () => {
    const byDay = await usage.statement(tenant, { ...period, groupBy: ['day'] });
    expect(byDay.rows.map(({ day, jobs, tokens, microUsd }) => ({ day, jobs, tokens, microUsd }))).toEqual([
      { day: '2025-03-01', jobs: 3, tokens: 1600n, microUsd: 1_500n },
      { day: '2025-03-02', jobs: 4, tokens: 2100n, microUsd: 1_361n },
    ]);
    const byRole = await usage.statement(tenant, { ...period, groupBy: ['role'] });
    expect(byRole.rows.map(({ role, jobs, microUsd }) => ({ role, jobs, microUsd }))).toEqual([
      { role: 'dev', jobs: 2, microUsd: 1_500n },
      { role: 'planning', jobs: 2, microUsd: 600n },
      { role: 'qa', jobs: 1, microUsd: 700n }, // `<task>.1`, recorded without details: the task's owner
      { role: 'routing', jobs: 1, microUsd: 50n },
      { role: 'unattributed', jobs: 1, microUsd: 11n },
    ]);
    const byGoal = await usage.statement(tenant, { ...period, groupBy: ['goal'] });
    const [first, second] = [goalOne, goalTwo].sort();
    const text = (id: string | undefined) => (id === goalOne ? 'goal one' : 'goal two');
    const amount = (id: string | undefined) => (id === goalOne ? 1_800n : 1_000n);
    expect(byGoal.rows.map(({ goalId, goalText, microUsd }) => ({ goalId, goalText, microUsd }))).toEqual([
      { goalId: first, goalText: text(first), microUsd: amount(first) },
      { goalId: second, goalText: text(second), microUsd: amount(second) },
      { goalId: null, goalText: null, microUsd: 61n }, // routing a hand-made task, and the unknown job
    ]);
    expect(byGoal.rows.every((row) => row.day === null && row.role === null)).toBe(true);
  });

  it('totals exactly: jobs, tokens and micro-USD of the period, without the fund, the open reservation or other tenants', async () => {
    const statement = await usage.statement(tenant, { ...period, groupBy: [] });
    expect(statement.rows).toHaveLength(1);
    expect(statement.total).toEqual({ jobs: 7, tokens: 3700n, microUsd: 2_861n });
    expect(statement.ledger).toEqual(statement.total);
    expect(statement.balanced).toBe(true);
    expect(statement).toMatchObject({ from: '2025-03-01T00:00:00.000Z', to: '2025-03-03T00:00:00.000Z' });
  });

  it('equals the ledger to the micro-USD for every grouping, each group once', async () => {
    const all = groupings(usageGroups);
    expect(all).toHaveLength(16);
    const expected = await ledgerSum('2025-03-01T00:00:00Z', '2025-03-03T00:00:00Z');
    expect(expected).toBe(2_861n);
    for (const groupBy of all) {
      const statement = await usage.statement(tenant, { ...period, groupBy });
      expect(
        statement.rows.reduce((sum, row) => sum + row.microUsd, 0n),
        groupBy.join(),
      ).toBe(expected);
      expect(statement.balanced, groupBy.join()).toBe(true);
      const keys = statement.rows.map((row) => JSON.stringify([row.day, row.role, row.goalId]));
      expect(new Set(keys).size, groupBy.join()).toBe(keys.length);
    }
  });

  it('covers [from, to): a charge at `from` is in, one at `to` is out, offsets included', async () => {
    const dayTwo = await usage.statement(tenant, { from: '2025-03-02T01:00:00+01:00', to: '2025-03-03', groupBy: [] });
    expect(dayTwo.total.microUsd).toBe(1_361n); // the step at 00:00:00Z in, the one at 2025-03-03T00:00Z out
    expect(dayTwo.total.microUsd).toBe(await ledgerSum('2025-03-02T00:00:00Z', '2025-03-03T00:00:00Z'));
    const beforeMidnight = await usage.statement(tenant, {
      from: '2025-03-01',
      to: '2025-03-01T23:59:59.999Z',
      groupBy: ['day'],
    });
    expect(beforeMidnight.total.microUsd).toBe(800n); // the qa job at 23:59:59.999 is out
    const quiet = await usage.statement(tenant, { from: '2024-01-01', to: '2024-02-01', groupBy: ['day', 'role'] });
    expect(quiet).toMatchObject({ rows: [], total: { jobs: 0, tokens: 0n, microUsd: 0n }, balanced: true });
  });

  it('refuses bad periods and groupings with BAD_USER_INPUT', async () => {
    for (const request of [
      { from: '2025-03-03', to: '2025-03-01', groupBy: [] },
      { from: '2024-01-01', to: '2025-03-01', groupBy: [] },
      { ...period, groupBy: ['role', 'role'] },
      { from: '2025-03-01T10:00:00', to: '2025-03-03', groupBy: [] },
    ]) {
      await expect(usage.statement(tenant, request)).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    }
  });
});
