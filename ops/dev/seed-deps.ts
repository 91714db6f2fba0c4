import { type Config, createLogger, type RedisClient } from '@ai-org/core';
import { createDomain } from '@ai-org/domain';
import type { Driver } from 'neo4j-driver';
import type { SeedDeps } from './seed';

/** What seeding needs, wired from the config and open connections by the same factory as every process. */
export const seedDeps = (config: Config, driver: Driver, redis: RedisClient): SeedDeps => {
  const domain = createDomain(config, { driver, redis, logger: createLogger(config.log, 'seed') });
  return { tasks: domain.tasks, budget: domain.budget, demoBudgetMicroUsd: config.budget.demoBudgetMicroUsd };
};
