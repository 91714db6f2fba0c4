import { existsSync } from 'node:fs';
import { loadConfig } from '@ai-org/core';
import { createNeo4jDriver, migrate, migrations } from '@ai-org/schema';

if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig(process.env);
const driver = createNeo4jDriver(config.neo4j);
try {
  await migrate(driver, config.neo4j.database);
  console.log(`applied ${migrations.length} constraint and index statements (idempotent)`);
} finally {
  await driver.close();
}
