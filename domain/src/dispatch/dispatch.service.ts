import {
  type AgentQueues,
  AppError,
  type DispatchOutcome,
  isAgentRole,
  type ReserveOutcome,
  tokensFor,
  toUsd,
} from '@ai-org/core';
import type { TaskRecord, TaskRunRepository } from '@ai-org/schema';
import { type SnapshotAnnouncer, silentAnnouncer } from '@ai-org/schema';
import type { BudgetService } from '../budget/budget.service';
import { rankForAdmission } from '../inspection/admission';

export interface Dispatched {
  readonly taskId: string;
  readonly dispatchId: string;
  readonly queue: string;
  readonly reservedMicroUsd: number;
}

/** Told how each dispatch ended and how long it took (e.g. the dispatch-duration histogram). */
export type DispatchObserver = (outcome: DispatchOutcome, seconds: number) => void;

export interface DispatchSummary {
  readonly dispatched: readonly Dispatched[];
  /** Ready tasks left undispatched, with the reason (budget refused, not ready any more…). */
  readonly skipped: readonly { readonly taskId: string; readonly code: string; readonly reason: string }[];
}

/**
 * The budget gate before publish: a task is claimed (queued) in Neo4j, its planned tokens are
 * reserved in the budget, and only then is its job published on the tenant's queue for its role.
 * A refused reservation publishes nothing and leaves the task waiting for budget.
 */
export class DispatchService {
  constructor(
    private readonly runs: TaskRunRepository,
    private readonly budget: BudgetService,
    private readonly queues: AgentQueues,
    private readonly announcer: SnapshotAnnouncer = silentAnnouncer,
    private readonly observe: DispatchObserver = () => {},
  ) {}

  /** Claims, reserves and publishes one task (see the class); every call is timed for `observe`. */
  async dispatch(tenantId: string, taskId: string): Promise<Dispatched> {
    const startedAt = performance.now();
    const observed = (outcome: DispatchOutcome) => this.observe(outcome, (performance.now() - startedAt) / 1000);
    try {
      const dispatched = await this.claimReserveAndPublish(tenantId, taskId);
      observed('dispatched');
      return dispatched;
    } catch (error) {
      observed(error instanceof AppError && error.code === 'BUDGET_EXCEEDED' ? 'refused' : 'failed');
      throw error;
    }
  }

  private async claimReserveAndPublish(tenantId: string, taskId: string): Promise<Dispatched> {
    const claim = await this.runs.claimForDispatch(tenantId, taskId);
    const { task, dispatchId, previousStatus, previousReason } = claim;
    // From the claim until the job is published, any failure (Neo4j busy, Redis down, publish refused)
    // gives back what this dispatch holds and puts the task back as it was, then rethrows what failed.
    // Only while the task is still queued by this claim: a task moved on meanwhile is left alone.
    // Best effort: if the give-back fails too, the orchestrator's recovery of lost claims does it later.
    const undo = async (reserved: boolean) => {
      if (reserved) await this.budget.release(tenantId, dispatchId).catch(() => undefined);
      await this.runs.undoClaim(tenantId, taskId, dispatchId, previousStatus, previousReason).catch(() => undefined);
    };

    const role = task.owner;
    if (!isAgentRole(role)) {
      await undo(false);
      throw new AppError('INTERNAL_SERVER_ERROR', 'claimed a task without an agent role');
    }
    const cost = this.budget.costOfTokens(task.tokensPlan * 1000);
    let reservation: ReserveOutcome;
    try {
      reservation = await this.budget.reserve(tenantId, dispatchId, cost);
    } catch (error) {
      // The reservation may have been made before the failure (e.g. its announcement failed).
      await undo(true);
      throw error;
    }
    if (reservation.status !== 'ok' && reservation.status !== 'duplicate') {
      const reason = this.refusalReason(reservation, cost);
      let marked: Awaited<ReturnType<TaskRunRepository['markWaitingBudget']>>;
      try {
        marked = await this.runs.markWaitingBudget(tenantId, taskId, reason, { status: 'queued', dispatchId });
      } catch (error) {
        await undo(false);
        throw error;
      }
      // Announce a change only: a task that waited for the same reason before this claim did not change.
      // The task waits as it should whether or not live clients hear of it now.
      const changed = previousStatus !== 'waiting_budget' || previousReason !== reason;
      if (marked.state === 'marked' && changed)
        await this.announcer.announce(tenantId, [taskId]).catch(() => undefined);
      throw new AppError('BUDGET_EXCEEDED', `Task ${taskId} not dispatched: ${reason}`, { details: { taskId } });
    }

    // Announced before the job is published, as the claim read it: no read back, and no event of the
    // job's own (doing, done) can come before this one. A failed announcement only means live clients
    // hear of the task with its next change.
    await this.announceQueued(tenantId, task);
    let queue: string;
    try {
      queue = await this.queues.publish({
        tenantId,
        taskId,
        role,
        dispatchId,
        reservedMicroUsd: reservation.amount,
        reservedTokens: tokensFor(reservation.amount, this.budget.policy.microUsdPer1kTokens),
      });
    } catch (error) {
      await undo(true);
      // Live clients heard of the task queued: tell them it is back as it was.
      await this.announcer.announce(tenantId, [taskId]).catch(() => undefined);
      throw error;
    }
    // Published: the job runs and holds its reservation, so nothing is undone from here on.
    return { taskId, dispatchId, queue, reservedMicroUsd: reservation.amount };
  }

  private async announceQueued(tenantId: string, task: TaskRecord): Promise<void> {
    const { announceTasks } = this.announcer;
    const announced = announceTasks
      ? announceTasks.call(this.announcer, tenantId, [task])
      : this.announcer.announce(tenantId, [task.id]);
    await announced.catch(() => undefined);
  }

  /**
   * Admission by value: dispatches the tenant's ready tasks in order of business value × relevance ÷
   * planned cost. At the first one the budget cannot pay for, it stops: that task and every task
   * ranked below it wait for budget, visibly, so money goes to what matters most.
   */
  async dispatchReady(tenantId: string, limit: number): Promise<DispatchSummary> {
    const ready = await this.runs.readyTasks(tenantId, limit);
    const ranked = rankForAdmission(ready, this.budget.policy.microUsdPer1kTokens);
    // A task read waiting for budget for the reason it would be given now is left as it is: no write, no event.
    const reasonOf = new Map(ready.map((task) => [task.id, task.statusReason]));
    const waitsAlready = (task: { id: string; status: string }, reason: string) =>
      task.status === 'waiting_budget' && reasonOf.get(task.id) === reason;
    const dispatched: Dispatched[] = [];
    const skipped: { taskId: string; code: string; reason: string }[] = [];
    for (const [index, task] of ranked.entries()) {
      try {
        if (task.status === 'waiting_budget')
          await this.refuseWhileUnaffordable(tenantId, task, (reason) => waitsAlready(task, reason));
        dispatched.push(await this.dispatch(tenantId, task.id));
      } catch (error) {
        if (!(error instanceof AppError) || error.code === 'SERVICE_UNAVAILABLE') throw error;
        skipped.push({ taskId: task.id, code: error.code, reason: error.message });
        if (error.code === 'BUDGET_EXCEEDED') {
          const reason = `waits for budget: ${task.id} ranks higher and cannot be paid yet`;
          const marked: string[] = [];
          for (const task of ranked.slice(index + 1)) {
            skipped.push({ taskId: task.id, code: 'BUDGET_EXCEEDED', reason });
            if (waitsAlready(task, reason)) continue;
            // Only a task still in the status it was read in; one waiting already for this reason is unchanged.
            const wait = await this.runs.markWaitingBudget(tenantId, task.id, reason, { status: task.status });
            if (wait.state === 'marked') marked.push(task.id);
          }
          await this.announcer.announce(tenantId, marked);
          break;
        }
      }
    }
    return { dispatched, skipped };
  }

  /**
   * A task waiting for budget is not claimed again while the budget cannot pay for it: it stays as it
   * is (no claim, no write, no event unless the reason changed: `waitsAlready` says it did not) and is
   * refused like a refused reservation. The balance read here may be stale; only the reservation after a
   * claim decides.
   */
  private async refuseWhileUnaffordable(
    tenantId: string,
    task: { id: string; tokensPlan: number },
    waitsAlready: (reason: string) => boolean,
  ): Promise<void> {
    const cost = this.budget.costOfTokens(task.tokensPlan * 1000);
    const { left } = await this.budget.read(tenantId);
    const outcome: ReserveOutcome | null =
      left < this.budget.policy.minimumLeftMicroUsd
        ? { status: 'below_minimum', left }
        : left < cost
          ? { status: 'insufficient', left }
          : null;
    if (!outcome) return;
    const reason = this.refusalReason(outcome, cost);
    if (!waitsAlready(reason)) {
      const wait = await this.runs.markWaitingBudget(tenantId, task.id, reason, { status: 'waiting_budget' });
      if (wait.state === 'marked') await this.announcer.announce(tenantId, [task.id]);
      if (wait.state === 'stale') return; // claimed or changed meanwhile: let the claim decide
    }
    throw new AppError('BUDGET_EXCEEDED', `Task ${task.id} not dispatched: ${reason}`, {
      details: { taskId: task.id },
    });
  }

  private refusalReason(reservation: ReserveOutcome, cost: number): string {
    switch (reservation.status) {
      case 'below_minimum':
        return `budget left ${toUsd(reservation.left)} USD is below the minimum of ${toUsd(this.budget.policy.minimumLeftMicroUsd)} USD`;
      case 'insufficient':
        return `needs ${toUsd(cost)} USD, ${toUsd(reservation.left)} USD left`;
      case 'monthly_cap':
        return `the monthly spend cap of ${toUsd(reservation.cap)} USD is reached (${toUsd(reservation.used)} USD used this month, needs ${toUsd(cost)} USD)`;
      default:
        return 'this dispatch was settled already';
    }
  }
}
