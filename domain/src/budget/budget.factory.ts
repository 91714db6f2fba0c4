import { BudgetStore, type Config, noEvents, type TenantEventSink } from '@ai-org/core';
import type { Driver } from 'neo4j-driver';
import { BudgetService } from './budget.service';
import { LedgerRepository } from './ledger.repository';

/** The budget service every process wires the same way: Redis store, Neo4j ledger, configured policy. */
export const createBudgetService = (
  config: Config,
  driver: Driver,
  redis: ConstructorParameters<typeof BudgetStore>[0],
  events: TenantEventSink = noEvents,
): BudgetService =>
  new BudgetService(
    new BudgetStore(redis),
    new LedgerRepository(driver, config.neo4j.database),
    { microUsdPer1kTokens: config.budget.microUsdPer1kTokens, minimumLeftMicroUsd: config.budget.minimumLeftMicroUsd },
    events,
  );
