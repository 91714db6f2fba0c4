import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@ai-org/core';
import { createNeo4jDriver, migrate } from '@ai-org/schema';
import type { RunningService } from './local-service';
import { ensureNeo4j } from './neo4j.service';
import { ensureRedis } from './redis.service';

/** Vitest global setup of the integration tests: the real Neo4j and Redis, started when absent. */
export default async function setup(): Promise<() => Promise<void>> {
  const config = loadConfig(process.env);
  // A Redis started for the tests keeps its append-only file in a temporary folder, not in .data/redis.
  const redisDataDir = mkdtempSync(join(tmpdir(), 'ai-org-test-redis-'));
  const started: RunningService[] = [
    await ensureRedis(config.redis.url, redisDataDir),
    await ensureNeo4j(config.neo4j),
  ];
  const driver = createNeo4jDriver(config.neo4j);
  try {
    await migrate(driver, config.neo4j.database);
  } finally {
    await driver.close();
  }
  return async () => {
    for (const service of started.reverse()) await service.stop();
    rmSync(redisDataDir, { recursive: true, force: true });
  };
}
