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
