import { randomBytes } from 'node:crypto';
import { loadConfig } from '@ai-org/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNeo4jDriver } from '../neo4j-driver';
import { dispatchCandidates } from './dispatch-candidates';
import { TaskRepository } from './task.repository';
import type { TaskStatus } from './task.types';
import { TaskRunRepository } from './task-run.repository';

describe("the tick's read of a tenant's tasks", () => {
  const driver = createNeo4jDriver(loadConfig(process.env).neo4j);
  const tasks = new TaskRepository(driver);
  const runs = new TaskRunRepository(driver);
  const tenant = `test-states-${randomBytes(4).toString('hex')}`;
  let ids: Record<string, string> = {};

  beforeAll(async () => {
    const task = { businessValue: 3, tokensPlan: 2, purposeRelevance: 0.5, status: 'todo' as const, owner: 'dev' };
    const created = await tasks.createPlan(tenant, {
      tasks: [
        { ...task, key: 'done', description: 'Done' },
        { ...task, key: 'failed', description: 'Failed for good' },
        { ...task, key: 'ready', description: 'Ready' },
        { ...task, key: 'waiting', description: 'Waiting for budget' },
        { ...task, key: 'blocked', description: 'Blocked, its dependency done' },
        { ...task, key: 'behind', description: 'Behind a running task' },
        { ...task, key: 'running', description: 'Running' },
        { ...task, key: 'person', description: 'A person', owner: 'alice' },
        { ...task, key: 'unowned', description: 'Not routed yet', owner: null },
        { ...task, key: 'untokened', description: 'No planned tokens', tokensPlan: 0 },
      ],
      dependencies: [
        { from: 'ready', to: 'done' },
        { from: 'blocked', to: 'done' },
        { from: 'behind', to: 'running' },
        { from: 'behind', to: 'done' },
      ],
    });
    ids = { ...created?.ids };
    const statuses: Record<string, TaskStatus> = {
      done: 'done',
      failed: 'failed',
      waiting: 'waiting_budget',
      blocked: 'blocked',
      running: 'doing',
    };
    for (const [key, status] of Object.entries(statuses)) {
      await driver.executeQuery("MATCH (t:Task {id: $id}) SET t.status = $status, t.statusReason = 'why not'", {
        id: ids[key],
        status,
      });
    }
  });
  afterAll(async () => {
    await driver.executeQuery('MATCH (n) WHERE n.tenantId = $t OR (n:Tenant AND n.id = $t) DETACH DELETE n', {
      t: tenant,
    });
    await driver.close();
  });

  it("has each task's fields as the graph read has them, and the description of failed tasks only", async () => {
    const [states, graph] = await Promise.all([tasks.states(tenant), tasks.graph(tenant)]);
    expect(states).toHaveLength(graph.nodes.length);
    for (const node of graph.nodes) {
      const state = states.find((s) => s.id === node.id);
      expect({ ...state, dependsOn: [...(state?.dependsOn ?? [])].sort() }).toEqual({
        id: node.id,
        status: node.status,
        statusReason: node.statusReason,
        owner: node.owner,
        businessValue: node.businessValue,
        purposeRelevance: node.purposeRelevance,
        tokensPlan: node.tokensPlan,
        dispatchCount: node.dispatchCount,
        description: node.status === 'failed' ? node.description : null,
        dependsOn: node.dependsOn,
        runningForMs: state?.runningForMs,
      });
      if (node.status !== 'doing') expect(state?.runningForMs).toBeNull();
    }
  });

  it('says how long a task has been running, by the database clock', async () => {
    await driver.executeQuery('MATCH (t:Task {id: $id}) SET t.startedAt = datetime() - duration({seconds: 90})', {
      id: ids.running,
    });
    const running = (await tasks.states(tenant)).find((task) => task.id === ids.running);
    expect(running?.runningForMs).toBeGreaterThanOrEqual(90_000);
    expect(running?.runningForMs).toBeLessThan(600_000);
  });

  it('names as dispatch candidates exactly the tasks the ready-task query returns (no plan held)', async () => {
    const candidates = dispatchCandidates(await tasks.states(tenant)).map((task) => task.id);
    const ready = (await runs.readyTasks(tenant, 1_000)).map((task) => task.id);
    expect(candidates.sort()).toEqual(ready.sort());
    expect(ready.sort()).toEqual([ids.ready, ids.waiting, ids.blocked].sort());
  });
});
