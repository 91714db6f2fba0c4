import { randomBytes } from 'node:crypto';
import { AgentQueues, agentRoles, BudgetStore, createRedisClient, loadConfig } from '@ai-org/core';
import { createNeo4jDriver, LedgerRepository, TaskRepository, TaskRunRepository } from '@ai-org/schema';
import { BudgetService } from './budget/budget.service';
import { TaskService } from './tasks/task.service';

/** The price the test bed's budget gate charges: 500 µUSD per 1k tokens, no minimum left. */
export const testBudgetPolicy = { microUsdPer1kTokens: 500, minimumLeftMicroUsd: 0 } as const;

/**
 * What the domain's integration tests share (not part of the package's API): the real Neo4j and Redis,
 * the repositories and services over them (tasks announce nothing), and tenants of the test's own,
 * deleted with their queues and budgets by `close`. Call `connect` in `beforeAll`, `close` in `afterAll`.
 */
export const createTestBed = (name: string) => {
  const config = loadConfig(process.env);
  const driver = createNeo4jDriver(config.neo4j);
  const redis = createRedisClient(config.redis.url, 'producer', `test-${name}`);
  const store = new BudgetStore(redis);
  const queues = new AgentQueues(redis, { attempts: 1, backoffMs: 0 });
  const ledger = new LedgerRepository(driver);
  const tenants: string[] = [];
  return {
    config,
    driver,
    redis,
    store,
    queues,
    ledger,
    runs: new TaskRunRepository(driver),
    tasks: new TaskService(new TaskRepository(driver), { announce: async () => {} }),
    budget: new BudgetService(store, ledger, testBudgetPolicy),
    /** A new tenant id (`test-<name>-<random>`), deleted by `close`. */
    newTenant(): string {
      const tenant = `test-${name}-${randomBytes(4).toString('hex')}`;
      tenants.push(tenant);
      return tenant;
    },
    connect: (): Promise<void> => redis.connect(),
    async close(): Promise<void> {
      for (const tenant of tenants) {
        for (const role of agentRoles) await queues.queue(tenant, role).obliterate({ force: true });
        await store.delete(tenant);
      }
      await queues.close();
      await driver.executeQuery('MATCH (n) WHERE n.tenantId IN $t OR (n:Tenant AND n.id IN $t) DETACH DELETE n', {
        t: tenants,
      });
      await driver.close();
      redis.disconnect();
    },
  };
};
