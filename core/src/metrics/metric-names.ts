/**
 * Every Prometheus metric the platform exports, defined once: the processes that export them, the
 * dashboards and alert rules that read them, and the README's metric table all use these. Names are
 * snake_case with a unit suffix; labels are bounded (tenant, role, outcome, state, kind — never task
 * ids or prompt text). Default process metrics (`process_*`, `nodejs_*`) come on top, from prom-client.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram';
/** The process that exports a metric (its Prometheus scrape job has the same name). */
export type MetricSource = 'api' | 'workers' | 'orchestrator';

export interface MetricSpec {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labels: readonly string[];
  readonly source: MetricSource;
  /** Histogram bucket upper bounds. */
  readonly buckets?: readonly number[];
}

const tenant = ['tenant'] as const;

export const metricSpecs = {
  // ── API ────────────────────────────────────────────────────────────────────────────────────────
  graphqlOperationDuration: {
    name: 'ai_org_graphql_operation_duration_seconds',
    type: 'histogram',
    help: 'GraphQL operations over HTTP, from request to response, by operation type and outcome',
    labels: ['operation_type', 'outcome'],
    source: 'api',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  },
  subscriptionConnections: {
    name: 'ai_org_subscription_connections',
    type: 'gauge',
    help: 'Open graphql-ws connections (live subscriptions)',
    labels: [],
    source: 'api',
  },
  // ── Role workers ───────────────────────────────────────────────────────────────────────────────
  taskDuration: {
    name: 'ai_org_task_duration_seconds',
    type: 'histogram',
    help: 'One agent job attempt, from pickup to result, by role and outcome (done, failed, retry)',
    labels: ['role', 'outcome'],
    source: 'workers',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
  },
  llmTokens: {
    name: 'ai_org_llm_tokens_total',
    type: 'counter',
    help: 'Tokens the LLM provider reported, by tenant, role and token type (prompt, completion)',
    labels: ['tenant', 'role', 'type'],
    source: 'workers',
  },
  tenantLimitRefusals: {
    name: 'ai_org_tenant_limit_refusals_total',
    type: 'counter',
    help: 'Jobs put back on their queue (delayed, not failed) by a tenant limit, by kind: running_jobs, tokens_per_minute',
    labels: ['tenant', 'kind'],
    source: 'workers',
  },
  notifications: {
    name: 'ai_org_notifications_total',
    type: 'counter',
    help: 'Webhook notifications by channel (slack, discord), event and outcome (sent, retry, failed)',
    labels: ['channel', 'event', 'outcome'],
    source: 'workers',
  },
  // ── Orchestrator (set every tick per tenant; queue depth read on every scrape) ──────────────────
  readyTasks: {
    name: 'ai_org_ready_tasks',
    type: 'gauge',
    help: 'Tasks whose dependencies are all done, not yet dispatched',
    labels: tenant,
    source: 'orchestrator',
  },
  runningTasks: {
    name: 'ai_org_running_tasks',
    type: 'gauge',
    help: 'Tasks queued or being worked on',
    labels: tenant,
    source: 'orchestrator',
  },
  blockedTasks: {
    name: 'ai_org_blocked_tasks',
    type: 'gauge',
    help: 'Tasks that cannot run because a task they depend on failed',
    labels: tenant,
    source: 'orchestrator',
  },
  failedTasks: {
    name: 'ai_org_failed_tasks',
    type: 'gauge',
    help: 'Tasks that failed (their dependents are blocked)',
    labels: tenant,
    source: 'orchestrator',
  },
  waitingForBudgetTasks: {
    name: 'ai_org_waiting_for_budget_tasks',
    type: 'gauge',
    help: 'Ready tasks the budget cannot pay for',
    labels: tenant,
    source: 'orchestrator',
  },
  criticalPathTasks: {
    name: 'ai_org_critical_path_tasks',
    type: 'gauge',
    help: 'Critical-path length: the longest chain of remaining tasks',
    labels: tenant,
    source: 'orchestrator',
  },
  criticalPathTokens: {
    name: 'ai_org_critical_path_kilotokens',
    type: 'gauge',
    help: 'Most planned kilotokens along one chain of remaining tasks',
    labels: tenant,
    source: 'orchestrator',
  },
  progressRatio: {
    name: 'ai_org_progress_ratio',
    type: 'gauge',
    help: 'Value-weighted progress: business value of done tasks / total business value (0..1)',
    labels: tenant,
    source: 'orchestrator',
  },
  budgetFundedUsd: {
    name: 'ai_org_budget_funded_usd',
    type: 'gauge',
    help: 'Budget funded in the current period, USD',
    labels: tenant,
    source: 'orchestrator',
  },
  budgetLeftUsd: {
    name: 'ai_org_budget_left_usd',
    type: 'gauge',
    help: 'Budget neither reserved nor spent, USD',
    labels: tenant,
    source: 'orchestrator',
  },
  budgetReservedUsd: {
    name: 'ai_org_budget_reserved_usd',
    type: 'gauge',
    help: 'Budget held for queued and running jobs, USD',
    labels: tenant,
    source: 'orchestrator',
  },
  budgetSpentUsd: {
    name: 'ai_org_budget_spent_usd',
    type: 'gauge',
    help: 'Budget spent (settled jobs), USD',
    labels: tenant,
    source: 'orchestrator',
  },
  budgetSpentRatio: {
    name: 'ai_org_budget_spent_ratio',
    type: 'gauge',
    help: 'Budget spent / funded (0..1); alerts fire at the thresholds in budgetAlertThresholds',
    labels: tenant,
    source: 'orchestrator',
  },
  plannedSpendUsd: {
    name: 'ai_org_planned_spend_usd',
    type: 'gauge',
    help: "What the tenant's tasks cost as planned (tokens planned × price), USD",
    labels: tenant,
    source: 'orchestrator',
  },
  queueJobs: {
    name: 'ai_org_queue_jobs',
    type: 'gauge',
    help: 'Jobs on the role queues, by tenant, role and state, read from BullMQ on every scrape',
    labels: ['tenant', 'role', 'state'],
    source: 'orchestrator',
  },
  alertsTotal: {
    name: 'ai_org_alerts_total',
    type: 'counter',
    help: 'Alerts raised, by kind: budget_<percent> thresholds crossed, task_failed, expensive_failure',
    labels: ['tenant', 'kind'],
    source: 'orchestrator',
  },
  dispatchedTotal: {
    name: 'ai_org_dispatched_total',
    type: 'counter',
    help: 'Jobs published through the budget gate',
    labels: tenant,
    source: 'orchestrator',
  },
  dispatchDuration: {
    name: 'ai_org_dispatch_duration_seconds',
    type: 'histogram',
    help: 'One dispatch through the budget gate (claim, reservation, publish, announce), by outcome (dispatched, refused, failed); the API exports it too, for dispatchTask and dispatchReadyTasks',
    labels: ['outcome'],
    source: 'orchestrator',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  },
  tickDuration: {
    name: 'ai_org_tick_duration_seconds',
    type: 'histogram',
    help: "One orchestrator tick of one tenant (planning, recovery, routing, admission, the graph's inspection, alerts), by outcome (ok, failed)",
    labels: ['tenant', 'outcome'],
    source: 'orchestrator',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  },
} as const satisfies Record<string, MetricSpec>;

export type MetricKey = keyof typeof metricSpecs;

/** The metric names alone, by key. */
export const metricNames = Object.fromEntries(Object.entries(metricSpecs).map(([key, spec]) => [key, spec.name])) as {
  readonly [K in MetricKey]: (typeof metricSpecs)[K]['name'];
};

/** Queue states the queue-depth gauge reports (BullMQ's job counts; a paused queue keeps its jobs waiting). */
export const queueStates = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;

/** Outcomes of one agent job attempt. */
export const taskOutcomes = ['done', 'failed', 'retry'] as const;

/** Outcomes of one dispatch: its job published, refused by the budget, or failed (conflict, store down…). */
export const dispatchOutcomes = ['dispatched', 'refused', 'failed'] as const;
export type DispatchOutcome = (typeof dispatchOutcomes)[number];

/** Outcomes of one orchestrator tick: it ran to the end (ok, even when a step failed alone) or it failed. */
export const tickOutcomes = ['ok', 'failed'] as const;
export type TickOutcome = (typeof tickOutcomes)[number];

/** The tenant limits a job can be held back by (the `kind` of `ai_org_tenant_limit_refusals_total`). */
export const tenantLimitKinds = ['running_jobs', 'tokens_per_minute'] as const;

/** Budget thresholds (fraction of the funded budget spent) that raise an alert, each once per period. */
export const budgetAlertThresholds = [0.5, 0.8, 0.95, 1] as const;
