import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig, parseInput } from '@ai-org/core';
import { createNeo4jDriver, migrate, TaskRepository, TaskService, tenantIdSchema } from '@ai-org/schema';
import { seedDemo } from './seed';

const { values } = parseArgs({ options: { tenant: { type: 'string', default: 'demo' } } });
const tenantId = parseInput(tenantIdSchema, values.tenant, '--tenant');
if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig(process.env);
const driver = createNeo4jDriver(config.neo4j);
try {
  await migrate(driver, config.neo4j.database);
  const outcome = await seedDemo(new TaskService(new TaskRepository(driver, config.neo4j.database)), tenantId);
  console.log(
    outcome === 'seeded' ? `seeded tenant "${tenantId}"` : `tenant "${tenantId}" already has tasks; nothing changed`,
  );
} finally {
  await driver.close();
}
