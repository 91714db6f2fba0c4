import { type BudgetService, demoPlan, type TaskService } from '@ai-org/domain';

export interface SeedDeps {
  readonly tasks: TaskService;
  readonly budget: BudgetService;
  /** Budget the demo tenant starts with, in micro-USD. */
  readonly demoBudgetMicroUsd: number;
}

/**
 * Creates the demo DAG for `tenantId` and funds its budget, unless the tenant already has tasks
 * (so a rerun changes nothing).
 */
export const seedDemo = async (deps: SeedDeps, tenantId: string): Promise<'seeded' | 'already-seeded'> => {
  const created = await deps.tasks.createPlan(tenantId, demoPlan, { onlyIfEmpty: true });
  if (!created) return 'already-seeded';
  // A new tenant's budget is what its ledger says, not what a Redis that outlived an older database holds.
  await deps.budget.resetFromLedger(tenantId);
  if (deps.demoBudgetMicroUsd > 0) await deps.budget.topUp(tenantId, deps.demoBudgetMicroUsd);
  return 'seeded';
};
