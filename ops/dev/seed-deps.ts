import type { Config } from '@ai-org/core';
import { createBudgetService, TaskRepository, TaskService } from '@ai-org/schema';
import type { Redis } from 'ioredis';
import type { Driver } from 'neo4j-driver';
import type { SeedDeps } from './seed';

/** What seeding needs, wired from the config and open connections. */
export const seedDeps = (config: Config, driver: Driver, redis: Redis): SeedDeps => ({
  tasks: new TaskService(new TaskRepository(driver, config.neo4j.database)),
  budget: createBudgetService(config, driver, redis),
  demoBudgetMicroUsd: config.budget.demoBudgetMicroUsd,
});
