import { randomBytes } from 'node:crypto';
import {
  AgentQueues,
  agentRoles,
  BudgetStore,
  createRedisClient,
  loadConfig,
  type TenantEventBody,
  type TenantEventSink,
} from '@ai-org/core';
import { createNeo4jDriver, LedgerRepository, TaskAnnouncer, TaskRepository, TaskRunRepository } from '@ai-org/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BudgetService } from '../budget/budget.service';
import { TaskService } from '../tasks/task.service';
import { DispatchService } from './dispatch.service';

/** The live event of a dispatch: the task as its claim left it, published before its job exists. */
describe('the announcement of a dispatch', () => {
  const config = loadConfig(process.env);
  const driver = createNeo4jDriver(config.neo4j);
  const redis = createRedisClient(config.redis.url, 'producer', 'test-dispatch-announce');
  const queues = new AgentQueues(redis, { attempts: 1, backoffMs: 0 });
  const store = new BudgetStore(redis);
  const budget = new BudgetService(store, new LedgerRepository(driver), {
    microUsdPer1kTokens: 500,
    minimumLeftMicroUsd: 0,
  });
  const tasks = new TaskService(new TaskRepository(driver), { announce: async () => {} });
  const tenant = `test-dispatch-announce-${randomBytes(4).toString('hex')}`;

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

  it('announces the task queued, with its claim’s fields, before its job is on the queue', async () => {
    await budget.topUp(tenant, 10_000);
    const created = await tasks.createPlan(tenant, {
      tasks: [{ key: 'only', description: 'Announce me once', owner: 'dev', tokensPlan: 2, businessValue: 5 }],
    });
    const taskId = created?.ids.only as string;
    const heard: { event: TenantEventBody; jobExisted: boolean }[] = [];
    const sink: TenantEventSink = {
      publish: async (_tenant, event) => {
        const jobExisted = (await queues.queue(tenant, 'dev').getJob(`${taskId}.1`)) !== undefined;
        heard.push({ event, jobExisted });
      },
    };
    const dispatch = new DispatchService(
      new TaskRunRepository(driver),
      budget,
      queues,
      new TaskAnnouncer(driver, sink),
    );

    await dispatch.dispatch(tenant, taskId);

    expect(heard).toHaveLength(1);
    expect(heard[0]?.jobExisted).toBe(false);
    expect(heard[0]?.event).toEqual({
      kind: 'task',
      task: expect.objectContaining({
        id: taskId,
        description: 'Announce me once',
        status: 'queued',
        statusReason: null,
        owner: 'dev',
        businessValue: 5,
        tokensPlan: 2,
        dependsOn: [],
      }),
    });
    expect(await queues.queue(tenant, 'dev').getJob(`${taskId}.1`)).toBeDefined();
  });
});
