import { AgentQueues, BudgetStore, createRedisClient, loadConfig } from '@ai-org/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codesOf, deleteTenants, startTestApp, type TestApp, uniqueTenant } from './test-app';

const adminToken = 'test-admin-token';

describe('budget and dispatch over GraphQL', () => {
  let t: TestApp;
  const tenant = uniqueTenant('bud');
  const other = uniqueTenant('oth');
  const redis = createRedisClient(loadConfig(process.env).redis.url, 'worker', 'test-budget-dispatch');
  const store = new BudgetStore(redis);
  const queues = new AgentQueues(redis, { attempts: 1, backoffMs: 0 });

  const admin = (query: string) => t.gql<Record<string, unknown>>(query, {}, tenant, { 'x-admin-token': adminToken });
  const createTask = async (input: Record<string, unknown>, as = tenant) => {
    const res = await t.gql<{ createTask: { id: string } }>(
      'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }',
      { input },
      as,
    );
    return res.data?.createTask.id as string;
  };

  beforeAll(async () => {
    t = await startTestApp({ ADMIN_TOKEN: adminToken, BUDGET_MIN_LEFT_USD: '0' });
  });
  afterAll(async () => {
    for (const role of ['dev', 'qa'] as const) await queues.queue(tenant, role).obliterate({ force: true });
    await queues.close();
    await store.delete(tenant);
    await store.delete(other);
    await t.bolt.executeQuery('MATCH (e:LedgerEntry) WHERE e.tenantId IN $t DETACH DELETE e', { t: [tenant, other] });
    await deleteTenants(t.bolt, tenant, other);
    await t.stop();
    redis.disconnect();
  });

  it('lets only an admin set or top up a budget', async () => {
    const refused = await t.gql('mutation { setBudget(amountUsd: 5) { leftUsd } }', {}, tenant);
    expect(codesOf(refused)).toEqual(['FORBIDDEN']);
    const set = await admin('mutation { setBudget(amountUsd: 0.02) { leftUsd } }');
    expect(set.data).toEqual({ setBudget: { leftUsd: 0.02 } });
    const topped = await admin(
      'mutation { topUpBudget(amountUsd: 0.01) { leftUsd reservedUsd spentUsd fundedUsd pricePer1kTokensUsd } }',
    );
    expect(topped.data).toEqual({
      topUpBudget: { leftUsd: 0.03, reservedUsd: 0, spentUsd: 0, fundedUsd: 0.03, pricePer1kTokensUsd: 0.0005 },
    });
    const bad = await admin('mutation { topUpBudget(amountUsd: -1) { leftUsd } }');
    expect(codesOf(bad)).toEqual(['BAD_USER_INPUT']);
    const health = (await (await fetch(`${t.url}/`, { headers: { 'x-tenant-id': tenant } })).json()) as {
      budget_left: number;
    };
    expect(health.budget_left).toBe(0.03);
  });

  it('dispatches a ready task onto its tenant and role queue, holding its planned tokens', async () => {
    const id = await createTask({ description: 'Dispatch me', owner: 'dev', tokensPlan: 10 });
    const res = await t.gql<{ dispatchTask: Record<string, unknown> }>(
      'mutation($id: ID!) { dispatchTask(id: $id) { taskId jobId queue reservedUsd } }',
      { id },
      tenant,
    );
    expect(res.data?.dispatchTask).toEqual({
      taskId: id,
      jobId: `${id}.1`,
      queue: `${tenant}.dev`,
      reservedUsd: 0.005,
    });
    expect((await queues.queue(tenant, 'dev').getJob(`${id}.1`))?.data).toMatchObject({
      taskId: id,
      reservedTokens: 10_000,
    });
    const again = await t.gql('mutation($id: ID!) { dispatchTask(id: $id) { taskId } }', { id }, tenant);
    expect(codesOf(again)).toEqual(['CONFLICT']);
    const budget = await t.gql<{ budget: Record<string, number> }>('{ budget { leftUsd reservedUsd } }', {}, tenant);
    expect(budget.data?.budget).toEqual({ leftUsd: 0.025, reservedUsd: 0.005 });
  });

  it('dispatches a task once however many ask for it at the same time', async () => {
    const id = await createTask({ description: 'Popular', owner: 'qa', tokensPlan: 1 });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => t.gql('mutation($id: ID!) { dispatchTask(id: $id) { jobId } }', { id }, tenant)),
    );
    expect(results.filter((r) => r.errors === undefined)).toHaveLength(1);
    expect(results.flatMap(codesOf).every((code) => code === 'CONFLICT')).toBe(true);
    expect(await queues.queue(tenant, 'qa').getJobCounts('waiting')).toEqual({ waiting: 1 });
    const budget = await t.gql<{ budget: { reservedUsd: number } }>('{ budget { reservedUsd } }', {}, tenant);
    expect(budget.data?.budget.reservedUsd).toBeCloseTo(0.0055, 10);
  });

  it('answers BUDGET_EXCEEDED, publishes nothing and marks the task waiting for budget', async () => {
    const id = await createTask({ description: 'Too expensive', owner: 'qa', tokensPlan: 1_000 });
    const queued = await queues.queue(tenant, 'qa').getJobCounts('waiting', 'delayed', 'active');
    const res = await t.gql('mutation($id: ID!) { dispatchTask(id: $id) { taskId } }', { id }, tenant);
    expect(codesOf(res)).toEqual(['BUDGET_EXCEEDED']);
    const task = await t.gql<{ tasks: { status: string; statusReason: string }[] }>(
      'query($id: ID!) { tasks(where: { id: { eq: $id } }) { status statusReason } }',
      { id },
      tenant,
    );
    expect(task.data?.tasks[0]).toEqual({ status: 'waiting_budget', statusReason: 'needs 0.5 USD, 0.0245 USD left' });
    expect(await queues.queue(tenant, 'qa').getJobCounts('waiting', 'delayed', 'active')).toEqual(queued);
  });

  it("refuses tasks that are not ready, not an agent's, or someone else's", async () => {
    const first = await createTask({ description: 'first', owner: 'dev', tokensPlan: 1 });
    const second = await createTask({ description: 'second', owner: 'dev', tokensPlan: 1, dependsOn: [first] });
    const person = await createTask({ description: 'for a human', owner: 'alice', tokensPlan: 1 });
    const foreign = await createTask({ description: 'not yours', owner: 'dev', tokensPlan: 1 }, other);
    const dispatch = (id: string) => t.gql('mutation($id: ID!) { dispatchTask(id: $id) { taskId } }', { id }, tenant);
    expect(codesOf(await dispatch(second))).toEqual(['CONFLICT']);
    expect(codesOf(await dispatch(person))).toEqual(['BAD_USER_INPUT']);
    expect(codesOf(await dispatch(foreign))).toEqual(['NOT_FOUND']);
    const statuses = await t.gql<{ tasks: { id: string; status: string }[] }>(
      'query($ids: [ID!]) { tasks(where: { id: { in: $ids } }) { id status } }',
      { ids: [second, person] },
      tenant,
    );
    expect(statuses.data?.tasks.map((task) => task.status)).toEqual(['todo', 'todo']);
    // Refused before the claim: a person's task is not counted as dispatched, however often it is asked.
    const { records } = await t.bolt.executeQuery('MATCH (t:Task {id: $id}) RETURN coalesce(t.dispatchCount, 0) AS n', {
      id: person,
    });
    expect(records[0]?.get('n')).toBe(0);
  });
});
