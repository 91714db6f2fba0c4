/**
 * Live events, one Redis pub/sub channel per tenant. Every process that changes state publishes;
 * the API fans the events out to GraphQL subscribers of that tenant only.
 *
 * Contract: each event carries the tenant's next sequence number (n, n + 1, n + 2, …; the counter
 * starts at Redis's clock in microseconds, and again should Redis lose it, so it never goes backwards).
 * Delivery is at most once; a client that sees a gap, or reconnects, refetches the current state (the
 * `liveSnapshot` query returns it with the sequence it is current as of) and applies only later events.
 */
export const eventChannelPrefix = 'ai-org.events.';
export const tenantEventChannel = (tenantId: string): string => `${eventChannelPrefix}${tenantId}`;
/** For processes that listen to every tenant (the orchestrator): PSUBSCRIBE pattern. */
export const allTenantEventsPattern = `${eventChannelPrefix}*`;
/** The counter of a tenant's sequence numbers (hash-tagged like the budget). */
export const eventSequenceKey = (tenantId: string): string => `events:{${tenantId}}:seq`;

export type EventKind = 'task' | 'budget' | 'metrics' | 'plan' | 'workspace';

/** A task as it is after the change: enough to update a table row or a graph node. */
export interface TaskChange {
  readonly id: string;
  readonly description: string;
  readonly status: string;
  readonly statusReason: string | null;
  readonly owner: string | null;
  readonly routedBy: string | null;
  readonly businessValue: number;
  readonly tokensPlan: number;
  readonly tokensActual: number;
  readonly purposeRelevance: number;
  readonly dependsOn: readonly string[];
  /**
   * Counts the task's changes, in the order they were written. Events are sequenced in the order they
   * are published, which may differ (a snapshot read before a change, published after it): a client
   * keeps, of two snapshots of a task, the one with the higher version.
   */
  readonly version: number;
  /** Set when the change stored an artifact. */
  readonly artifact?: {
    readonly id: string;
    readonly provider: string;
    readonly model: string;
    readonly offline: boolean;
  };
}

export interface BudgetChange {
  readonly leftUsd: number;
  readonly reservedUsd: number;
  readonly spentUsd: number;
  readonly fundedUsd: number;
  /** Alert thresholds crossed by this change, e.g. [0.5]. */
  readonly thresholdsCrossed: readonly number[];
  /** Money was added (a payment, an operator's top-up): tasks waiting for budget may run now. */
  readonly credited?: boolean;
}

export interface MetricsChange {
  readonly ready: number;
  readonly running: number;
  readonly blocked: number;
  readonly waitingForBudget: number;
  readonly criticalPathTasks: number;
  readonly criticalPathTokens: number;
  readonly progress: number;
  readonly queues: readonly { readonly role: string; readonly waiting: number; readonly active: number }[];
}

export interface PlanChange {
  readonly goalId: string;
  /**
   * `awaiting_approval`: planned above the spend-approval threshold (reason: the planned cost), or an
   * approved plan changed; `approved` / `rejected`: an owner decided (reason: who).
   */
  readonly phase: 'planning' | 'accepted' | 'refused' | 'waiting' | 'awaiting_approval' | 'approved' | 'rejected';
  readonly reason: string | null;
  readonly taskCount: number | null;
}

/** Something happened in a goal's workspace: an agent's step, a test run, a merge, a release. */
export interface WorkspaceChange {
  readonly goalId: string;
  /** Null for a release (the goal's, not a task's). */
  readonly taskId: string | null;
  readonly what: 'step' | 'test_run' | 'gate' | 'merge' | 'release';
  /** One line for a feed: the tools called, the test summary, the merge commit, the release tag. */
  readonly summary: string;
}

export type TenantEventBody =
  | { readonly kind: 'task'; readonly task: TaskChange }
  | { readonly kind: 'budget'; readonly budget: BudgetChange }
  | { readonly kind: 'metrics'; readonly metrics: MetricsChange }
  | { readonly kind: 'plan'; readonly plan: PlanChange }
  | { readonly kind: 'workspace'; readonly workspace: WorkspaceChange };

export type TenantEvent = TenantEventBody & {
  readonly tenantId: string;
  readonly seq: number;
  /** ISO-8601 */
  readonly at: string;
};

/** Parses a message from a tenant channel; anything malformed is dropped (null), never thrown. */
export const parseTenantEvent = (message: string): TenantEvent | null => {
  try {
    const event = JSON.parse(message) as Partial<TenantEvent>;
    return typeof event.tenantId === 'string' && typeof event.seq === 'number' && typeof event.kind === 'string'
      ? (event as TenantEvent)
      : null;
  } catch {
    return null;
  }
};
