import { metricNames } from '@ai-org/core';
import { Counter, Gauge, Registry } from 'prom-client';
import type { TickFigures } from './tick-line';

/** The orchestrator's Prometheus metrics: per-tenant gauges set every tick, and counters. */
export class OrchestratorMetrics {
  readonly registry = new Registry();
  private readonly gauge = (name: string, help: string) =>
    new Gauge({ name, help, labelNames: ['tenant'], registers: [this.registry] });

  private readonly ready = this.gauge(
    metricNames.readyTasks,
    'Tasks whose dependencies are all done, not yet dispatched',
  );
  private readonly running = this.gauge(metricNames.runningTasks, 'Tasks queued or being worked on');
  private readonly blocked = this.gauge(metricNames.blockedTasks, 'Tasks waiting on a failed task');
  private readonly waiting = this.gauge(metricNames.waitingForBudgetTasks, 'Tasks waiting for budget');
  private readonly pathTasks = this.gauge(metricNames.criticalPathTasks, 'Longest chain of remaining tasks');
  private readonly pathTokens = this.gauge(
    metricNames.criticalPathTokens,
    'Most planned kilotokens along one chain of remaining tasks',
  );
  private readonly progress = this.gauge(metricNames.progressRatio, 'Business value done / total business value');
  private readonly budgetLeft = this.gauge(metricNames.budgetLeftUsd, 'Budget neither reserved nor spent, USD');
  readonly alerts = new Counter({
    name: metricNames.alertsTotal,
    help: 'Alerts raised: budget thresholds crossed, failed tasks, expensive failures',
    labelNames: ['tenant', 'kind'],
    registers: [this.registry],
  });
  readonly dispatched = new Counter({
    name: metricNames.dispatchedTotal,
    help: 'Jobs published through the budget gate',
    labelNames: ['tenant'],
    registers: [this.registry],
  });

  record(f: TickFigures): void {
    const tenant = { tenant: f.tenantId };
    this.ready.set(tenant, f.ready);
    this.running.set(tenant, f.running);
    this.blocked.set(tenant, f.blockedByFailure);
    this.waiting.set(tenant, f.waitingForBudget);
    this.pathTasks.set(tenant, f.criticalPathTasks);
    this.pathTokens.set(tenant, f.criticalPathKiloTokens);
    this.progress.set(tenant, f.progress);
    if (f.budgetLeftMicroUsd !== null) this.budgetLeft.set(tenant, f.budgetLeftMicroUsd / 1_000_000);
    if (f.dispatched > 0) this.dispatched.inc(tenant, f.dispatched);
  }
}
