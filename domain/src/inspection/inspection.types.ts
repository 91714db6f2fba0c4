import type { TaskStatus } from '@ai-org/schema';

/** The fields of one task the inspector needs; a projection of `TaskRecord`, read once per tenant. */
export interface InspectedTask {
  readonly id: string;
  readonly status: TaskStatus;
  readonly businessValue: number;
  /** 0..1 */
  readonly purposeRelevance: number;
  /** Planned tokens, in thousands. */
  readonly tokensPlan: number;
  /** Ids of the tasks this one waits for; ids that are not in the inspected list are ignored. */
  readonly dependsOn: readonly string[];
}

/** The longest chain of remaining tasks by how many tasks it holds; ids run from the first task to do to the last. */
export interface LongestChainByCount {
  readonly tasks: number;
  readonly taskIds: readonly string[];
}

/** The chain of remaining tasks with the most planned tokens (thousands); ids run from first to last. */
export interface LongestChainByTokens {
  readonly tokens: number;
  readonly taskIds: readonly string[];
}

/** Two measures of the critical path; they may name different chains. */
export interface CriticalPath {
  readonly byCount: LongestChainByCount;
  readonly byTokens: LongestChainByTokens;
}

/** What one read of a tenant's task graph says about its state. */
export interface Inspection {
  readonly total: number;
  readonly done: number;
  readonly failed: number;
  /** Admitted and not finished: `queued` plus `doing`. */
  readonly running: number;
  /** Status `blocked`: held back because something it needs failed. */
  readonly blockedByFailure: number;
  /** Status `waiting_budget`. */
  readonly waitingForBudget: number;
  /** `todo`, `waiting_budget` or `blocked` tasks whose every (known) dependency is done. */
  readonly ready: number;
  /** Longest paths through the tasks that are not done (failed ones included: they still have to be redone). */
  readonly criticalPath: CriticalPath;
  /** Σ business value of done tasks ÷ Σ business value of all tasks; 0 when there is no value at all. */
  readonly progress: number;
  /** Σ planned tokens (thousands) of the tasks that are not done; a negative plan counts as 0. */
  readonly remainingTokens: number;
}

/** The money side of the inspection: what finishing costs and where the budget runs out. */
export interface Forecast {
  /** Σ cost of the tasks still to admit: not done, not failed, not already queued or doing. */
  readonly costToFinishMicroUsd: number;
  /** The first task in admission order whose cumulative cost passes the spendable budget; null if all fit. */
  readonly firstUnaffordableTaskId: string | null;
}

export interface ForecastInput {
  readonly tasks: readonly InspectedTask[];
  /** The budget's `left`: reservations for queued and doing tasks are already taken out of it. */
  readonly leftMicroUsd: number;
  /** The floor the tenant keeps untouched; only `leftMicroUsd - minimumLeftMicroUsd` may be spent. */
  readonly minimumLeftMicroUsd: number;
  readonly microUsdPer1kTokens: number;
}
