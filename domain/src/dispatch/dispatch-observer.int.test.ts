import { randomBytes } from 'node:crypto';
import {
  AgentQueues,
  agentRoles,
  BudgetStore,
  createRedisClient,
  type DispatchOutcome,
  loadConfig,
} from '@ai-org/core';
import { createNeo4jDriver, LedgerRepository, TaskRepository, TaskRunRepository } from '@ai-org/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetService } from '../budget/budget.service';
import { TaskService } from '../tasks/task.service';
import { DispatchService } from './dispatch.service';

/** The dispatch-duration histogram's source: every dispatch tells its observer how it ended. */
describe('the dispatch observer', () => {
  const config = loadConfig(process.env);
  const driver = createNeo4jDriver(config.neo4j);
  const redis = createRedisClient(config.redis.url, 'producer', 'test-dispatch-observer');
  const queues = new AgentQueues(redis, { attempts: 1, backoffMs: 0 });
  const tasks = new TaskService(new TaskRepository(driver), { announce: async () => {} });
  const store = new BudgetStore(redis);
  const budget = new BudgetService(store, new LedgerRepository(driver), {
    microUsdPer1kTokens: 500,
    minimumLeftMicroUsd: 0,
  });
  const tenant = `test-dispatch-observer-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    await redis.connect();
  });
  afterAll(async () => {
    for (const role of agentRoles) await queues.queue(tenant, role).obliterate({ force: true });
    await store.delete(tenant);
    await queues.close();
    await driver.executeQuery('MATCH (n) WHERE n.tenantId = $tenant OR (n:Tenant AND n.id = $tenant) DETACH DELETE n', {
      tenant,
    });
    await driver.close();
    redis.disconnect();
  });

  it('is told each dispatch’s outcome (dispatched, refused by the budget, failed) and its duration', async () => {
    // 1,000 µUSD pays for one of the two tasks (2k planned tokens each at 500 µUSD per 1k).
    await budget.topUp(tenant, 1_000);
    const created = await tasks.createPlan(tenant, {
      tasks: [
        { key: 'paid', description: 'The one the budget pays for', owner: 'dev', tokensPlan: 2 },
        { key: 'unpaid', description: 'The one it cannot pay for', owner: 'dev', tokensPlan: 2 },
      ],
    });
    const paid = created?.ids.paid as string;
    const unpaid = created?.ids.unpaid as string;
    const seen: { outcome: DispatchOutcome; seconds: number }[] = [];
    const dispatch = new DispatchService(new TaskRunRepository(driver), budget, queues, undefined, (outcome, seconds) =>
      seen.push({ outcome, seconds }),
    );

    await dispatch.dispatch(tenant, paid);
    await expect(dispatch.dispatch(tenant, unpaid)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    // Queued already: a conflict, not a refusal by the budget.
    await expect(dispatch.dispatch(tenant, paid)).rejects.toMatchObject({ code: 'CONFLICT' });

    expect(seen.map((s) => s.outcome)).toEqual(['dispatched', 'refused', 'failed']);
    for (const { seconds } of seen) expect(seconds).toBeGreaterThan(0);
  });
});
