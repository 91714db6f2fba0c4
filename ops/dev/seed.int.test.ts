import { createRedisClient, loadConfig } from '@ai-org/core';
import { createNeo4jDriver } from '@ai-org/schema';
import { afterAll, describe, expect, it } from 'vitest';
import { seedDemo } from './seed';
import { seedDeps } from './seed-deps';

describe('demo seed', () => {
  const config = loadConfig(process.env);
  const driver = createNeo4jDriver(config.neo4j);
  const redis = createRedisClient(config.redis.url, 'worker', 'test-seed');
  const deps = seedDeps(config, driver, redis);
  const { tasks, budget } = deps;
  const tenant = `test-seed-${Date.now().toString(36)}`;

  afterAll(async () => {
    await driver.executeQuery(
      'MATCH (n) WHERE (n:Task AND n.tenantId = $tenant) OR (n:Tenant AND n.id = $tenant) DETACH DELETE n',
      { tenant },
    );
    await driver.executeQuery('MATCH (e:LedgerEntry {tenantId: $tenant}) DETACH DELETE e', { tenant });
    await redis.del(`budget:{${tenant}}`, `budget:{${tenant}}:reservations`, `budget:{${tenant}}:settled`);
    await driver.close();
    redis.disconnect();
  });

  it('creates a sample DAG of at least 12 tasks, 4 roles and a chain 4 deep, and a rerun changes nothing', async () => {
    expect(await seedDemo(deps, tenant)).toBe('seeded');
    const { records } = await driver.executeQuery(
      `MATCH (t:Task {tenantId: $tenant})
       WITH count(t) AS tasks, count(DISTINCT t.owner) AS roles
       OPTIONAL MATCH p = (:Task {tenantId: $tenant})-[:DEPENDS_ON*]->(:Task {tenantId: $tenant})
       RETURN tasks, roles, max(length(p)) + 1 AS deepestChain`,
      { tenant },
    );
    const stats = {
      tasks: records[0]?.get('tasks'),
      roles: records[0]?.get('roles'),
      chain: records[0]?.get('deepestChain'),
    };
    expect(stats.tasks).toBeGreaterThanOrEqual(12);
    expect(stats.roles).toBeGreaterThanOrEqual(4);
    expect(stats.chain).toBeGreaterThanOrEqual(4);

    const before = await tasks.graph(tenant);
    const funded = await budget.read(tenant);
    expect(funded.funded).toBe(config.budget.demoBudgetMicroUsd);
    expect(await seedDemo(deps, tenant)).toBe('already-seeded');
    expect(await tasks.graph(tenant)).toEqual(before);
    expect(await budget.read(tenant)).toEqual(funded);
  });
});
