import { BudgetStore, type Config, noEvents, type TenantEventSink } from '@ai-org/core';
import type { LedgerRepository } from '@ai-org/schema';
import { BudgetService, type SpendCaps } from './budget.service';

/** The budget service every process wires the same way: Redis store, Neo4j ledger, configured policy. */
export const createBudgetService = (
  config: Config,
  ledger: LedgerRepository,
  redis: ConstructorParameters<typeof BudgetStore>[0],
  events: TenantEventSink = noEvents,
  caps?: SpendCaps,
): BudgetService =>
  new BudgetService(
    new BudgetStore(redis),
    ledger,
    { microUsdPer1kTokens: config.budget.microUsdPer1kTokens, minimumLeftMicroUsd: config.budget.minimumLeftMicroUsd },
    events,
    caps,
  );
