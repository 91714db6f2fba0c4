import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createRedisClient, loadConfig, parseInput } from '@ai-org/core';
import { tenantIdSchema } from '@ai-org/domain';
import { createNeo4jDriver, migrate } from '@ai-org/schema';
import { seedDemo } from './seed';
import { seedDeps } from './seed-deps';

const { values } = parseArgs({ options: { tenant: { type: 'string', default: 'demo' } } });
const tenantId = parseInput(tenantIdSchema, values.tenant, '--tenant');
if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig(process.env);
const driver = createNeo4jDriver(config.neo4j);
const redis = createRedisClient(config.redis, 'worker', 'ai-org-seed');
try {
  await redis.connect();
  await migrate(driver, config.neo4j.database);
  const outcome = await seedDemo(seedDeps(config, driver, redis), tenantId);
  console.log(
    outcome === 'seeded' ? `seeded tenant "${tenantId}"` : `tenant "${tenantId}" already has tasks; nothing changed`,
  );
} finally {
  redis.disconnect();
  await driver.close();
}
