import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNeo4jDriver, migrate } from '@ai-org/schema';
import { freePort } from '@ai-org/testing';
import type { TestProject } from 'vitest/node';
import {
  type FaultServices,
  killPid,
  neo4jOptionsOf,
  readServices,
  startNeo4j,
  startRedis,
  writeServices,
} from './services';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder holding the fault suite's private Redis and Neo4j (see services.ts). */
    faultServicesDir: string;
  }
}

/**
 * Global setup of the fault tests: a private Redis and Neo4j on free loopback ports, data in a
 * temporary folder, Neo4j migrated. Teardown stops whatever instance is current (tests restart them).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'ai-org-faults-'));
  const services: FaultServices = {
    dir,
    redis: { port: await freePort(), dataDir: join(dir, 'redis'), pid: 0 },
    neo4j: { port: await freePort(), homeDir: join(dir, 'neo4j'), pid: 0 },
  };
  writeServices(services);
  const teardown = async () => {
    const current = readServices(dir);
    for (const pid of [current.redis.pid, current.neo4j.pid]) if (pid) await killPid(pid, 'SIGTERM').catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await Promise.all([startRedis(services), startNeo4j(services)]);
    const driver = createNeo4jDriver(neo4jOptionsOf(services));
    try {
      await migrate(driver);
    } finally {
      await driver.close();
    }
  } catch (error) {
    await teardown();
    throw error;
  }
  project.provide('faultServicesDir', dir);
  return teardown;
}
