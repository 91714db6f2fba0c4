/**
 * Prometheus metric names, defined once: the processes that export them and the dashboards that
 * read them use these. snake_case with a unit suffix; labels are bounded (tenant, role, kind).
 */
export const metricNames = {
  readyTasks: 'ai_org_ready_tasks',
  runningTasks: 'ai_org_running_tasks',
  blockedTasks: 'ai_org_blocked_tasks',
  waitingForBudgetTasks: 'ai_org_waiting_for_budget_tasks',
  criticalPathTasks: 'ai_org_critical_path_tasks',
  criticalPathTokens: 'ai_org_critical_path_kilotokens',
  progressRatio: 'ai_org_progress_ratio',
  budgetLeftUsd: 'ai_org_budget_left_usd',
  budgetSpentRatio: 'ai_org_budget_spent_ratio',
  alertsTotal: 'ai_org_alerts_total',
  dispatchedTotal: 'ai_org_dispatched_total',
} as const;

/** Budget thresholds (fraction of the funded budget spent) that raise an alert, each once per period. */
export const budgetAlertThresholds = [0.5, 0.8, 0.95, 1] as const;
