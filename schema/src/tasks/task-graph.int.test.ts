import { randomBytes } from 'node:crypto';
import { loadConfig } from '@ai-org/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createNeo4jDriver } from '../neo4j-driver';
import { TaskRepository } from './task.repository';

describe("a tenant's task graph", () => {
  const driver = createNeo4jDriver(loadConfig(process.env).neo4j);
  const tasks = new TaskRepository(driver);
  const tenant = `test-graph-${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    await driver.executeQuery('MATCH (n) WHERE n.tenantId = $t OR (n:Tenant AND n.id = $t) DETACH DELETE n', {
      t: tenant,
    });
    await driver.close();
  });

  it('reads every task as a single read of it does, field for field, dependencies sorted', async () => {
    const task = { businessValue: 3, tokensPlan: 2, purposeRelevance: 0.5, status: 'todo' as const };
    const created = await tasks.createPlan(tenant, {
      tasks: [
        { ...task, key: 'a', description: 'First', owner: 'dev', routedBy: 'keywords' },
        { ...task, key: 'b', description: 'Second', owner: null },
        { ...task, key: 'c', description: 'Third', owner: 'qa', status: 'blocked' },
      ],
      dependencies: [
        { from: 'c', to: 'b' },
        { from: 'c', to: 'a' },
      ],
    });
    const ids = created?.ids ?? {};
    await driver.executeQuery("MATCH (t:Task {id: $id}) SET t.statusReason = 'waits for b'", { id: ids.c });

    const graph = await tasks.graph(tenant);

    const one = await Promise.all(graph.nodes.map((node) => tasks.get(tenant, node.id)));
    expect(graph.nodes).toEqual(one);
    // One plan is created at one instant: its tasks come in id order.
    expect(graph.nodes.map((node) => node.id)).toEqual([ids.a, ids.b, ids.c].sort());
    expect(graph.nodes.find((node) => node.id === ids.c)?.dependsOn).toEqual([ids.a, ids.b].sort());
    expect(graph.edges).toHaveLength(2);
  });
});
