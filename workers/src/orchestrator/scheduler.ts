import { type AgentQueues, isAgentRole, type MetricsChange, type TenantEventSink } from '@ai-org/core';
import {
  type BudgetService,
  type DispatchService,
  type DispatchSummary,
  inspect,
  type NotificationPublisher,
  type ReservationReconciler,
  type TaskService,
} from '@ai-org/domain';
import { dispatchCandidates, type TaskRunRepository, type TaskState } from '@ai-org/schema';
import type { AlertKind, AlertTracker } from './alerts';
import type { GoalPlanner, PlanningResult } from './goal-planner';
import { notificationEvents } from './notification-events';
import type { OrchestratorMetrics } from './orchestrator-metrics';
import type { ReleaseShipper } from './release-shipper';
import type { TaskRouting } from './task-routing';
import { formatTickLine, type TickFigures } from './tick-line';

export interface SchedulerDeps {
  readonly tasks: TaskService;
  readonly runs: TaskRunRepository;
  readonly dispatch: DispatchService;
  readonly budget: BudgetService;
  readonly queues: AgentQueues;
  readonly goalPlanner: GoalPlanner;
  /** Gives hand-made tasks without an owner a role, so that they run. */
  readonly routing: Pick<TaskRouting, 'routeUnowned'>;
  readonly alerts: AlertTracker;
  /** Queues Slack/Discord messages for alerts and finished plans (never throws; the worker sends). */
  readonly notifications: Pick<NotificationPublisher, 'publish'>;
  readonly metrics: OrchestratorMetrics;
  /** Tags and bundles goals whose tasks are all done (absent: nothing is shipped). */
  readonly releases?: Pick<ReleaseShipper, 'shipReady'>;
  readonly recoverQueuedAfterMs: number;
  /**
   * Settles reservations whose owner died half-way (absent: none are). Run for a tenant at most once
   * per `recoverQueuedAfterMs`, and looks only at reservations older than that.
   */
  readonly reconciler?: Pick<ReservationReconciler, 'reconcile'>;
  /** Live `metrics` events, when the figures changed. */
  readonly events: TenantEventSink;
  readonly onTick: (line: string, figures: TickFigures) => void;
  readonly onAlert: (tenantId: string, kind: AlertKind) => void;
  /** A step of a tick failed; the tick goes on without its result (the next tick tries it again). */
  readonly onStepError: (tenantId: string, step: TickStep, error: unknown) => void;
}

/** The steps of a tick that fail alone: one of them failing never stops the others. */
export type TickStep =
  | 'planning'
  | 'recovery'
  | 'reconcile'
  | 'routing'
  | 'dispatch'
  | 'alerts'
  | 'notifications'
  | 'release';

/** Tasks put back by recovery, and those it tried to put back (a try may have written, then failed). */
interface Recovery {
  readonly recovered: number;
  readonly tried: number;
}

/** Runs one step of a tick: its failure is reported and noted, and the step's fallback is its result. */
type StepRunner = <T>(name: TickStep, fallback: T, work: () => Promise<T>) => Promise<T>;

export interface TickReport extends TickFigures {
  readonly planning: PlanningResult;
  readonly recovered: number;
  /** Reservations settled for a process that died before it settled them (see ReservationReconciler). */
  readonly reconciled: number;
  /** Hand-made tasks given a role in this tick. */
  readonly routed: number;
  readonly alerts: readonly AlertKind[];
  /** Steps that failed in this tick (each reported through `onStepError`). */
  readonly failedSteps: readonly TickStep[];
}

/**
 * One tick for one tenant: plan a waiting goal when the backlog is empty, put back claims whose
 * dispatcher died, give hand-made tasks without an owner a role, admit ready tasks by value through the
 * budget gate, then inspect the graph, raise alerts, record metrics and print the tick line. One lean
 * read of the tasks serves an idle tick (recovery, routing and dispatch are skipped when it shows them
 * nothing to do); a tick that changed tasks reads them again, so its figures show what it changed.
 * Each step before the inspection, and the alerts, fail alone: a tenant's tick is never stopped by one
 * of them. Without the tasks or the budget nothing can be decided, so those failing fail the tick.
 */
export class Scheduler {
  /** The last metrics published per tenant, to publish only changes, at most four times a second. */
  private readonly lastMetrics = new Map<string, { key: string; at: number }>();
  private static readonly minMetricsIntervalMs = 250;
  /** When each tenant's reservations were last reconciled. */
  private readonly lastReconciled = new Map<string, number>();

  constructor(private readonly deps: SchedulerDeps) {}

  async tick(tenantId: string): Promise<TickReport> {
    const { budget } = this.deps;
    const failedSteps: TickStep[] = [];
    const step: StepRunner = async (name, fallback, work) => {
      try {
        return await work();
      } catch (error) {
        failedSteps.push(name);
        this.deps.onStepError(tenantId, name, error);
        return fallback;
      }
    };
    const planning = await step<PlanningResult>('planning', { outcome: 'none' }, () =>
      this.deps.goalPlanner.planNext(tenantId),
    );
    const { states, recovered, routed, dispatched } = await this.workTheTasks(tenantId, step, failedSteps);
    const reconciled = await step('reconcile', 0, () => this.reconcile(tenantId));

    const inspection = inspect(states);
    const balance = await budget.read(tenantId);
    const fired = await step('alerts', [] as Awaited<ReturnType<AlertTracker['check']>>, () =>
      this.deps.alerts.check(tenantId, balance, states),
    );
    const alerts = fired.map((alert) => alert.kind);
    for (const kind of alerts) this.deps.onAlert(tenantId, kind);
    await step('notifications', undefined, async () => {
      // Messages first: publishing never throws, so a failing live announcement or plan check below
      // cannot lose the message of an alert that has already fired (its slot is taken).
      for (const event of notificationEvents({ fired, balance, planFinished: null })) {
        await this.deps.notifications.publish(tenantId, event);
      }
      const planFinished = await this.deps.alerts.planFinished(tenantId, states);
      if (planFinished) {
        for (const event of notificationEvents({ fired: [], balance, planFinished })) {
          await this.deps.notifications.publish(tenantId, event);
        }
      }
      const thresholds = fired.flatMap((alert) => ('threshold' in alert ? [alert.threshold] : []));
      if (thresholds.length > 0) await budget.announce(tenantId, thresholds);
    });
    const { releases } = this.deps;
    if (releases && inspection.done > 0) await step('release', [], () => releases.shipReady(tenantId));

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
      plannedSpendMicroUsd: states.reduce(
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
    return { ...figures, planning, recovered, reconciled, routed: routed.length, alerts, failedSteps };
  }

  /**
   * Recovery, routing and dispatch, each only when one lean read of the tasks shows it something to do
   * (should that read fail, all three run), then the tasks as they are after them: read again when any
   * of them may have written (or failed part-way). An idle tick costs that one read and none of their
   * queries. Without the tasks nothing can be decided, so the last read failing fails the tick.
   */
  private async workTheTasks(
    tenantId: string,
    step: StepRunner,
    failedSteps: readonly TickStep[],
  ): Promise<{
    states: readonly TaskState[];
    recovered: number;
    routed: readonly string[];
    dispatched: DispatchSummary['dispatched'];
  }> {
    const read = await this.deps.tasks.states(tenantId).catch(() => null);
    // Claims and runs younger than the grace period are never recovered: without an older one, no query.
    const mayRecover =
      read === null ||
      read.some((task) => task.runningForMs !== null && task.runningForMs >= this.deps.recoverQueuedAfterMs);
    const noRecovery: Recovery = { recovered: 0, tried: 0 };
    const recovery = mayRecover
      ? await step('recovery', noRecovery, () => this.recoverLostClaims(tenantId))
      : noRecovery;
    const mayRoute = read === null || read.some((task) => task.status === 'todo' && task.owner === null);
    const routed = mayRoute ? await step<string[]>('routing', [], () => this.deps.routing.routeUnowned(tenantId)) : [];
    // Tasks put back or given a role are not in the read: dispatch looks for itself, and the tasks are read again.
    const changed =
      recovery.tried > 0 ||
      routed.length > 0 ||
      failedSteps.some((failed) => failed === 'recovery' || failed === 'routing');
    const mayDispatch = read === null || changed || dispatchCandidates(read).length > 0;
    const none: DispatchSummary = { dispatched: [], skipped: [] };
    const summary = mayDispatch
      ? await step('dispatch', none, () => this.deps.dispatch.dispatchReady(tenantId, 1_000))
      : none;
    const wrote =
      changed || summary.dispatched.length > 0 || summary.skipped.length > 0 || failedSteps.includes('dispatch');
    const states = read === null || wrote ? await this.deps.tasks.states(tenantId) : read;
    return { states, recovered: recovery.recovered, routed, dispatched: summary.dispatched };
  }

  /** The reconciler's pass for the tenant, when its last one is `recoverQueuedAfterMs` old. */
  private async reconcile(tenantId: string): Promise<number> {
    const { reconciler, recoverQueuedAfterMs } = this.deps;
    const last = this.lastReconciled.get(tenantId);
    if (!reconciler || (last !== undefined && Date.now() - last < recoverQueuedAfterMs)) return 0;
    this.lastReconciled.set(tenantId, Date.now());
    return reconciler.reconcile(tenantId);
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

  /**
   * Tasks claimed long ago whose job is on no queue, or ended (the dispatcher died in between, or the
   * job ended without writing the task), go back to todo; so do such tasks started long ago
   * (`recoverLostRuns`). `tried` counts the tasks it tried to put back, whatever came of it.
   */
  private async recoverLostClaims(tenantId: string): Promise<Recovery> {
    const { runs, budget } = this.deps;
    let recovered = 0;
    let tried = 0;
    const claims = await runs.queuedSince(tenantId, this.deps.recoverQueuedAfterMs);
    for (const claim of claims) {
      // One claim that cannot be recovered now (e.g. Redis refusing its release) never holds up the others.
      try {
        if (await this.deps.queues.isPending(tenantId, claim.role, claim.dispatchId)) continue;
        tried += 1;
        // Only while still queued by that dispatch, and released only then: a late job (published after
        // the read) may have started the task, or stored its artifact and not yet settled; it settles.
        // A task that moved on otherwise (by hand) is the reservation reconciler's.
        const undone = await runs.undoClaim(tenantId, claim.id, claim.dispatchId, 'todo');
        if (undone.state !== 'undone') continue;
        await budget.release(tenantId, claim.dispatchId);
        recovered += 1;
      } catch (error) {
        this.deps.onStepError(tenantId, 'recovery', error);
      }
    }
    const lostRuns = await this.recoverLostRuns(tenantId);
    return { recovered: recovered + lostRuns.recovered, tried: tried + lostRuns.tried };
  }

  /**
   * Tasks started long ago whose job is on no queue (Redis lost it: a running job is there, active or
   * waiting for a retry) or ended without writing the task go back to todo, and their reservation is released once. A task that moved
   * on meanwhile (done, failed, changed by hand) is left alone: whoever moved it settles its dispatch.
   */
  private async recoverLostRuns(tenantId: string): Promise<Recovery> {
    const { runs, budget } = this.deps;
    let recovered = 0;
    let tried = 0;
    for (const run of await runs.doingSince(tenantId, this.deps.recoverQueuedAfterMs)) {
      try {
        if (!isAgentRole(run.role)) continue;
        if (await this.deps.queues.isPending(tenantId, run.role, run.dispatchId)) continue;
        tried += 1;
        const undone = await runs.recoverLostRun(tenantId, run.id, run.dispatchId);
        if (undone.state !== 'undone') continue;
        await budget.release(tenantId, run.dispatchId);
        recovered += 1;
      } catch (error) {
        this.deps.onStepError(tenantId, 'recovery', error);
      }
    }
    return { recovered, tried };
  }
}
