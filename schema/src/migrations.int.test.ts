import { loadConfig } from '@ai-org/core';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from './migrations';
import { createNeo4jDriver } from './neo4j-driver';

describe('migrate', () => {
  const driver = createNeo4jDriver(loadConfig(process.env).neo4j);
  afterAll(() => driver.close());

  it('creates the constraints and indexes, and running it again changes nothing', async () => {
    await migrate(driver);
    const names = async () => {
      const constraints = await driver.executeQuery('SHOW CONSTRAINTS YIELD name RETURN name');
      const indexes = await driver.executeQuery('SHOW INDEXES YIELD name RETURN name');
      return [...constraints.records, ...indexes.records].map((record) => record.get('name') as string).sort();
    };
    const first = await names();
    expect(first).toEqual(
      expect.arrayContaining(['tenant_id', 'task_id', 'artifact_id', 'task_tenant_status', 'artifact_tenant']),
    );
    await migrate(driver);
    expect(await names()).toEqual(first);
  });

  it("finds a tenant's tasks through an index, not by scanning every tenant's tasks", async () => {
    await migrate(driver);
    const operators = async (cypher: string) => {
      const { summary } = await driver.executeQuery(`EXPLAIN ${cypher}`, { tenantId: 'test-migrate' });
      const walk = (plan: { operatorType: string; children: unknown[] }): string[] => [
        plan.operatorType,
        ...plan.children.flatMap((child) => walk(child as typeof plan)),
      ];
      return walk(summary.plan as never);
    };
    for (const cypher of [
      'MATCH (t:Task {tenantId: $tenantId}) RETURN t.id',
      'MATCH (t:Task {tenantId: $tenantId}) WHERE t.owner IS NOT NULL RETURN count(t)',
    ]) {
      const plan = await operators(cypher);
      expect(plan.some((operator) => operator.startsWith('NodeIndexSeek'))).toBe(true);
      expect(plan.some((operator) => operator.startsWith('NodeByLabelScan'))).toBe(false);
    }
  });

  it('refuses a second task with the same id', async () => {
    const id = `dup${Date.now().toString(36).slice(-5)}`;
    try {
      await driver.executeQuery("CREATE (:Task {id: $id, tenantId: 'test-migrate'})", { id });
      await expect(driver.executeQuery("CREATE (:Task {id: $id, tenantId: 'test-migrate'})", { id })).rejects.toThrow(
        /already exists/,
      );
    } finally {
      await driver.executeQuery('MATCH (t:Task {id: $id}) DELETE t', { id });
    }
  });
});
