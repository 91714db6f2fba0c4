import { randomBytes } from 'node:crypto';
import { loadConfig } from '@ai-org/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createNeo4jDriver } from '../neo4j-driver';
import { TaskRepository } from '../tasks/task.repository';
import { GoalRepository } from './goal.repository';

describe("a tenant's planning outlook", () => {
  const driver = createNeo4jDriver(loadConfig(process.env).neo4j);
  const goals = new GoalRepository(driver);
  const tasks = new TaskRepository(driver);
  const tenants: string[] = [];
  const newTenant = () => {
    const tenant = `test-outlook-${randomBytes(4).toString('hex')}`;
    tenants.push(tenant);
    return tenant;
  };
  const setGoal = (id: string, set: string) => driver.executeQuery(`MATCH (g:Goal {id: $id}) SET ${set}`, { id });
  const addTask = (tenant: string, status: 'todo' | 'done') =>
    tasks.createPlan(tenant, {
      tasks: [
        { key: 'a', description: 'A', businessValue: 1, tokensPlan: 1, purposeRelevance: 1, owner: 'dev', status },
      ],
      dependencies: [],
    });
  const staleMs = 60_000;
  afterAll(async () => {
    await driver.executeQuery(
      'MATCH (n) WHERE n.tenantId IN $tenants OR (n:Tenant AND n.id IN $tenants) DETACH DELETE n',
      { tenants },
    );
    await driver.close();
  });

  it('shows nothing to do for a tenant without goals, and claims nothing', async () => {
    const tenant = newTenant();
    await addTask(tenant, 'todo');
    expect(await goals.planningOutlook(tenant, staleMs)).toEqual({
      claimable: false,
      pending: false,
      approvedPlans: false,
    });
    expect(await goals.claimForPlanning(tenant, staleMs)).toBeNull();
  });

  it('shows a pending goal as claimable only once no task is open, as the claim has it', async () => {
    const tenant = newTenant();
    const goal = await goals.create(tenant, 'Ship it');
    await addTask(tenant, 'todo');
    expect(await goals.planningOutlook(tenant, staleMs)).toMatchObject({ claimable: false, pending: true });
    expect(await goals.claimForPlanning(tenant, staleMs)).toBeNull();
    await driver.executeQuery("MATCH (t:Task {tenantId: $tenant}) SET t.status = 'done'", { tenant });
    expect(await goals.planningOutlook(tenant, staleMs)).toMatchObject({ claimable: true, pending: true });
    expect((await goals.claimForPlanning(tenant, staleMs))?.id).toBe(goal.id);
  });

  it('shows a claim older than the stale limit as claimable, a fresh one not', async () => {
    const tenant = newTenant();
    const goal = await goals.create(tenant, 'Ship it');
    await setGoal(goal.id, "g.status = 'planning', g.planningSince = datetime()");
    expect(await goals.planningOutlook(tenant, staleMs)).toEqual({
      claimable: false,
      pending: false,
      approvedPlans: false,
    });
    await setGoal(goal.id, 'g.planningSince = datetime() - duration({minutes: 5})');
    expect((await goals.planningOutlook(tenant, staleMs)).claimable).toBe(true);
  });

  it('shows approved plans, which may have changed since their approval', async () => {
    const tenant = newTenant();
    const goal = await goals.create(tenant, 'Ship it');
    await setGoal(goal.id, "g.status = 'planned', g.approvalRequired = true");
    expect((await goals.planningOutlook(tenant, staleMs)).approvedPlans).toBe(false);
    await setGoal(goal.id, "g.approvedPlan = ['task x']");
    expect((await goals.planningOutlook(tenant, staleMs)).approvedPlans).toBe(true);
  });
});
