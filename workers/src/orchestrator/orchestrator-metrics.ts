import {
  type AgentRole,
  type Balance,
  budgetAlertThresholds,
  createCounter,
  createGauge,
  createHistogram,
  createMetricsRegistry,
  type DispatchOutcome,
  dispatchOutcomes,
  metricSpecs,
  queueStates,
  type TickOutcome,
  tickOutcomes,
  toUsd,
} from '@ai-org/core';
import type { Registry } from 'prom-client';
import type { TickFigures } from './tick-line';

const alertKinds = [
  ...budgetAlertThresholds.map((threshold) => `budget_${Math.round(threshold * 100)}`),
  'task_failed',
  'expensive_failure',
];

/** A tenant's figures after one tick: the tick line's, plus the budget and the plan's cost. */
export interface TenantFigures extends TickFigures {
  readonly failed: number;
  readonly balance: Balance;
  /** Σ planned tokens × price over all the tenant's tasks, micro-USD. */
  readonly plannedSpendMicroUsd: number;
}

/** Reads the job counts of one tenant's role queues (BullMQ's getJobCounts). */
export type QueueCounts = (tenantId: string) => Promise<{ role: AgentRole; counts: Record<string, number> }[]>;

/**
 * The orchestrator's Prometheus metrics: per-tenant gauges set every tick, counters, the duration of
 * each dispatch, and the queue depth, read from BullMQ on every scrape for the tenants of the last sweep.
 */
export class OrchestratorMetrics {
  readonly registry: Registry = createMetricsRegistry();
  private readonly tenants = new Set<string>();

  private readonly ready = createGauge(this.registry, metricSpecs.readyTasks);
  private readonly running = createGauge(this.registry, metricSpecs.runningTasks);
  private readonly blocked = createGauge(this.registry, metricSpecs.blockedTasks);
  private readonly failed = createGauge(this.registry, metricSpecs.failedTasks);
  private readonly waiting = createGauge(this.registry, metricSpecs.waitingForBudgetTasks);
  private readonly pathTasks = createGauge(this.registry, metricSpecs.criticalPathTasks);
  private readonly pathTokens = createGauge(this.registry, metricSpecs.criticalPathTokens);
  private readonly progress = createGauge(this.registry, metricSpecs.progressRatio);
  private readonly funded = createGauge(this.registry, metricSpecs.budgetFundedUsd);
  private readonly left = createGauge(this.registry, metricSpecs.budgetLeftUsd);
  private readonly reserved = createGauge(this.registry, metricSpecs.budgetReservedUsd);
  private readonly spent = createGauge(this.registry, metricSpecs.budgetSpentUsd);
  private readonly spentRatio = createGauge(this.registry, metricSpecs.budgetSpentRatio);
  private readonly planned = createGauge(this.registry, metricSpecs.plannedSpendUsd);
  readonly alerts = createCounter(this.registry, metricSpecs.alertsTotal);
  private readonly dispatched = createCounter(this.registry, metricSpecs.dispatchedTotal);
  private readonly dispatchDuration = createHistogram(this.registry, metricSpecs.dispatchDuration);
  private readonly tickDuration = createHistogram(this.registry, metricSpecs.tickDuration);
  /** Tenants whose tick-duration series exist (zeroed when first seen, so rate() sees the first tick). */
  private readonly ticked = new Set<string>();

  constructor(queueCounts: QueueCounts, onCollectError: (error: unknown) => void = () => {}) {
    for (const outcome of dispatchOutcomes) this.dispatchDuration.zero({ outcome });
    createGauge(this.registry, metricSpecs.queueJobs, async (gauge) => {
      const perTenant = await Promise.all(
        [...this.tenants].map(async (tenant) => ({ tenant, queues: await queueCounts(tenant) })),
      ).catch((error: unknown) => {
        onCollectError(error); // Redis down: report the last counts rather than fail the whole scrape
        return undefined;
      });
      if (!perTenant) return;
      gauge.reset();
      for (const { tenant, queues } of perTenant) {
        for (const { role, counts } of queues) {
          for (const state of queueStates) gauge.set({ tenant, role, state }, counts[state] ?? 0);
        }
      }
    });
  }

  /** One dispatch the scheduler made (the domain's dispatch observer). */
  dispatchObserved(outcome: DispatchOutcome, seconds: number): void {
    this.dispatchDuration.observe({ outcome }, seconds);
  }

  /** One tick of one tenant, from start to end (the orchestrator observes every tick it runs). */
  tickObserved(tenantId: string, outcome: TickOutcome, seconds: number): void {
    if (!this.ticked.has(tenantId)) {
      this.ticked.add(tenantId);
      for (const each of tickOutcomes) this.tickDuration.zero({ tenant: tenantId, outcome: each });
    }
    this.tickDuration.observe({ tenant: tenantId, outcome }, seconds);
  }

  record(f: TenantFigures): void {
    const tenant = { tenant: f.tenantId };
    if (!this.tenants.has(f.tenantId)) {
      this.tenants.add(f.tenantId);
      // Counters start at 0, so rate() and increase() see their first increment.
      this.dispatched.inc(tenant, 0);
      for (const kind of alertKinds) this.alerts.inc({ ...tenant, kind }, 0);
    }
    this.ready.set(tenant, f.ready);
    this.running.set(tenant, f.running);
    this.blocked.set(tenant, f.blockedByFailure);
    this.failed.set(tenant, f.failed);
    this.waiting.set(tenant, f.waitingForBudget);
    this.pathTasks.set(tenant, f.criticalPathTasks);
    this.pathTokens.set(tenant, f.criticalPathKiloTokens);
    this.progress.set(tenant, f.progress);
    const { balance } = f;
    this.funded.set(tenant, toUsd(balance.funded));
    this.left.set(tenant, toUsd(balance.left));
    this.reserved.set(tenant, toUsd(balance.reserved));
    this.spent.set(tenant, toUsd(balance.spent));
    this.spentRatio.set(tenant, balance.funded > 0 ? balance.spent / balance.funded : 0);
    this.planned.set(tenant, toUsd(f.plannedSpendMicroUsd));
    if (f.dispatched > 0) this.dispatched.inc(tenant, f.dispatched);
  }
}
