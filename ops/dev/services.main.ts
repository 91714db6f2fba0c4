import { existsSync } from 'node:fs';
import { loadConfig, stopOnSignals } from '@ai-org/core';
import { createNeo4jDriver, migrate } from '@ai-org/schema';
import { ensureNeo4j } from './neo4j.service';
import { ensureRedis } from './redis.service';

/** `npm run services`: Neo4j and Redis only (started when absent, migrated), until Ctrl-C. */
if (existsSync('.env')) process.loadEnvFile('.env');
const config = loadConfig(process.env);
const started = [await ensureRedis(config.redis.url), await ensureNeo4j(config.neo4j)];
const driver = createNeo4jDriver(config.neo4j);
await migrate(driver, config.neo4j.database).finally(() => driver.close());
console.log(`Neo4j ${config.neo4j.uri} and Redis ${config.redis.url} are up; Ctrl-C stops what this started.`);

stopOnSignals(async () => {
  for (const service of started.reverse().filter((s) => s.startedHere)) await service.stop();
});
