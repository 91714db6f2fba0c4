import { type AgentQueues, isAgentRole, type MetricsChange, type TenantEventSink } from '@ai-org/core';
import {
  type BudgetService,
  type DispatchService,
  inspect,
  type NotificationPublisher,
  type TaskService,
} from '@ai-org/domain';
import type { TaskRunRepository } from '@ai-org/schema';
import type { AlertKind, AlertTracker } from './alerts';
import type { GoalPlanner, PlanningResult } from './goal-planner';
import { notificationEvents } from './notification-events';
import type { OrchestratorMetrics } from './orchestrator-metrics';
import { formatTickLine, type TickFigures } from './tick-line';

export interface SchedulerDeps {
  readonly tasks: TaskService;
  readonly runs: TaskRunRepository;
  readonly dispatch: DispatchService;
  readonly budget: BudgetService;
  readonly queues: AgentQueues;
  readonly goalPlanner: GoalPlanner;
  readonly alerts: AlertTracker;
  /** Queues Slack/Discord messages for alerts and finished plans (never throws; the worker sends). */
  readonly notifications: Pick<NotificationPublisher, 'publish'>;
  readonly metrics: OrchestratorMetrics;
  readonly recoverQueuedAfterMs: number;
  /** Live `metrics` events, when the figures changed. */
  readonly events: TenantEventSink;
  readonly onTick: (line: string, figures: TickFigures) => void;
  readonly onAlert: (tenantId: string, kind: AlertKind) => void;
}

export interface TickReport extends TickFigures {
  readonly planning: PlanningResult;
  readonly recovered: number;
  readonly alerts: readonly AlertKind[];
}

/**
 * One tick for one tenant: plan a waiting goal when the backlog is empty, put back claims whose
 * dispatcher died, admit ready tasks by value through the budget gate, then inspect the graph
 * (one read), raise alerts, record metrics and print the tick line.
 */
export class Scheduler {
  /** The last metrics published per tenant, to publish only changes, at most four times a second. */
  private readonly lastMetrics = new Map<string, { key: string; at: number }>();
  private static readonly minMetricsIntervalMs = 250;

  constructor(private readonly deps: SchedulerDeps) {}

  async tick(tenantId: string): Promise<TickReport> {
    const { tasks, dispatch, budget } = this.deps;
    const planning = await this.deps.goalPlanner.planNext(tenantId);
    const recovered = await this.recoverLostClaims(tenantId);
    const { dispatched } = await dispatch.dispatchReady(tenantId, 1_000);

    const graph = await tasks.graph(tenantId);
    const inspection = inspect(graph.nodes);
    const balance = await budget.read(tenantId);
    const fired = await this.deps.alerts.check(tenantId, balance, graph.nodes);
    const alerts = fired.map((alert) => alert.kind);
    for (const kind of alerts) this.deps.onAlert(tenantId, kind);
    const thresholds = fired.flatMap((alert) => ('threshold' in alert ? [alert.threshold] : []));
    if (thresholds.length > 0) await budget.announce(tenantId, thresholds);
    const planFinished = await this.deps.alerts.planFinished(tenantId, graph.nodes);
    for (const event of notificationEvents({ fired, balance, planFinished })) {
      await this.deps.notifications.publish(tenantId, event);
    }

    const figures: TickFigures = {
      tenantId,
      budgetLeftMicroUsd: balance.left,
      ready: inspection.ready,
      running: inspection.running,
      done: inspection.done,
      total: inspection.total,
      blockedByFailure: inspection.blockedByFailure,
      waitingForBudget: inspection.waitingForBudget,
      criticalPathTasks: inspection.criticalPath.byCount.tasks,
      criticalPathKiloTokens: inspection.criticalPath.byTokens.tokens,
      progress: inspection.progress,
      dispatched: dispatched.length,
    };
    this.deps.metrics.record({
      ...figures,
      failed: inspection.failed,
      balance,
      plannedSpendMicroUsd: graph.nodes.reduce(
        (sum, task) => sum + budget.costOfTokens(Math.max(0, task.tokensPlan) * 1_000),
        0,
      ),
    });
    await this.publishMetricsIfChanged(tenantId, {
      ready: inspection.ready,
      running: inspection.running,
      blocked: inspection.blockedByFailure,
      waitingForBudget: inspection.waitingForBudget,
      criticalPathTasks: figures.criticalPathTasks,
      criticalPathTokens: figures.criticalPathKiloTokens,
      progress: inspection.progress,
      queues: await this.queueDepths(tenantId),
    });
    if (inspection.total > 0 || planning.outcome !== 'none') this.deps.onTick(formatTickLine(figures), figures);
    return { ...figures, planning, recovered, alerts };
  }

  private async queueDepths(tenantId: string): Promise<MetricsChange['queues']> {
    const perRole = await this.deps.queues.jobCounts(tenantId, 'waiting', 'active');
    return perRole.map(({ role, counts }) => ({ role, waiting: counts.waiting ?? 0, active: counts.active ?? 0 }));
  }

  private async publishMetricsIfChanged(tenantId: string, metrics: MetricsChange): Promise<void> {
    const key = JSON.stringify(metrics);
    const last = this.lastMetrics.get(tenantId);
    if (last?.key === key || (last && Date.now() - last.at < Scheduler.minMetricsIntervalMs)) return;
    this.lastMetrics.set(tenantId, { key, at: Date.now() });
    await this.deps.events.publish(tenantId, { kind: 'metrics', metrics });
  }

  /** Tasks claimed long ago whose job is on no queue (the dispatcher died in between) go back to todo. */
  private async recoverLostClaims(tenantId: string): Promise<number> {
    const { runs, queues, budget } = this.deps;
    let recovered = 0;
    for (const claim of await runs.queuedSince(tenantId, this.deps.recoverQueuedAfterMs)) {
      const job = isAgentRole(claim.role)
        ? await queues.queue(tenantId, claim.role).getJob(claim.dispatchId)
        : undefined;
      if (job) continue;
      await budget.release(tenantId, claim.dispatchId);
      await runs.undoClaim(tenantId, claim.id, 'todo');
      recovered += 1;
    }
    return recovered;
  }
}
