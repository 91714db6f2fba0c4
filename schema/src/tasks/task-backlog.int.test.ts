import { randomBytes } from 'node:crypto';
import { loadConfig } from '@ai-org/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createNeo4jDriver } from '../neo4j-driver';
import { TaskRepository } from './task.repository';

describe("a tenant's backlog", () => {
  const driver = createNeo4jDriver(loadConfig(process.env).neo4j);
  const tasks = new TaskRepository(driver);
  const tenant = `test-backlog-${randomBytes(4).toString('hex')}`;
  afterAll(async () => {
    await driver.executeQuery('MATCH (n) WHERE n.tenantId = $t OR (n:Tenant AND n.id = $t) DETACH DELETE n', {
      t: tenant,
    });
    await driver.close();
  });

  it('reads each todo task as a single read of it does, field for field, highest value × relevance first', async () => {
    const task = { tokensPlan: 2, purposeRelevance: 0.5, status: 'todo' as const, owner: 'dev' };
    const created = await tasks.createPlan(tenant, {
      tasks: [
        { ...task, key: 'a', description: 'Low', businessValue: 1 },
        { ...task, key: 'b', description: 'High', businessValue: 9, routedBy: 'llm' },
        { ...task, key: 'c', description: 'Middle', businessValue: 5 },
        { ...task, key: 'd', description: 'Done', businessValue: 10, status: 'done' },
      ],
      dependencies: [
        { from: 'b', to: 'c' },
        { from: 'b', to: 'a' },
        { from: 'b', to: 'd' },
      ],
    });
    const ids = created?.ids ?? {};

    const backlog = await tasks.backlog(tenant, 2);

    expect(backlog.map((row) => row.id)).toEqual([ids.b, ids.c]);
    expect(backlog).toEqual(await Promise.all(backlog.map((row) => tasks.get(tenant, row.id))));
    expect(backlog[0]?.dependsOn).toEqual([ids.a, ids.c, ids.d].sort());
  });
});
