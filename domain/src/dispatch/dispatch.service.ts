import { type AgentQueues, AppError, isAgentRole, tokensFor, toUsd } from '@ai-org/core';
import type { TaskRunRepository } from '@ai-org/schema';
import { type Announcer, silentAnnouncer } from '@ai-org/schema';
import type { BudgetService } from '../budget/budget.service';
import { rankForAdmission } from '../inspection/admission';

export interface Dispatched {
  readonly taskId: string;
  readonly dispatchId: string;
  readonly queue: string;
  readonly reservedMicroUsd: number;
}

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
    private readonly announcer: Announcer = silentAnnouncer,
  ) {}

  async dispatch(tenantId: string, taskId: string): Promise<Dispatched> {
    const claim = await this.runs.claimForDispatch(tenantId, taskId);
    const { task, dispatchId, previousStatus } = claim;
    const undo = () => this.runs.undoClaim(tenantId, taskId, previousStatus);

    const role = task.owner;
    if (!isAgentRole(role)) throw new AppError('INTERNAL_SERVER_ERROR', 'claimed a task without an agent role');
    const cost = this.budget.costOfTokens(task.tokensPlan * 1000);

    const reservation = await this.budget.reserve(tenantId, dispatchId, cost).catch(async (error: unknown) => {
      await undo();
      throw error;
    });
    if (reservation.status !== 'ok' && reservation.status !== 'duplicate') {
      const reason =
        reservation.status === 'below_minimum'
          ? `budget left ${toUsd(reservation.left)} USD is below the minimum of ${toUsd(this.budget.policy.minimumLeftMicroUsd)} USD`
          : reservation.status === 'insufficient'
            ? `needs ${toUsd(cost)} USD, ${toUsd(reservation.left)} USD left`
            : 'this dispatch was settled already';
      await this.runs.markWaitingBudget(tenantId, taskId, reason);
      await this.announcer.announce(tenantId, [taskId]);
      throw new AppError('BUDGET_EXCEEDED', `Task ${taskId} not dispatched: ${reason}`, { details: { taskId } });
    }

    try {
      const queue = await this.queues.publish({
        tenantId,
        taskId,
        role,
        dispatchId,
        reservedMicroUsd: reservation.amount,
        reservedTokens: tokensFor(reservation.amount, this.budget.policy.microUsdPer1kTokens),
      });
      await this.announcer.announce(tenantId, [taskId]);
      return { taskId, dispatchId, queue, reservedMicroUsd: reservation.amount };
    } catch (error) {
      await this.budget.release(tenantId, dispatchId).catch(() => undefined);
      await undo();
      throw error;
    }
  }

  /**
   * Admission by value: dispatches the tenant's ready tasks in order of business value × relevance ÷
   * planned cost. At the first one the budget cannot pay for, it stops: that task and every task
   * ranked below it wait for budget, visibly, so money goes to what matters most.
   */
  async dispatchReady(tenantId: string, limit: number): Promise<DispatchSummary> {
    const ranked = rankForAdmission(
      await this.runs.readyTasks(tenantId, limit),
      this.budget.policy.microUsdPer1kTokens,
    );
    const dispatched: Dispatched[] = [];
    const skipped: { taskId: string; code: string; reason: string }[] = [];
    for (const [index, task] of ranked.entries()) {
      try {
        dispatched.push(await this.dispatch(tenantId, task.id));
      } catch (error) {
        if (!(error instanceof AppError) || error.code === 'SERVICE_UNAVAILABLE') throw error;
        skipped.push({ taskId: task.id, code: error.code, reason: error.message });
        if (error.code === 'BUDGET_EXCEEDED') {
          const reason = `waits for budget: ${task.id} ranks higher and cannot be paid yet`;
          const rest = ranked.slice(index + 1);
          for (const task of rest) {
            await this.runs.markWaitingBudget(tenantId, task.id, reason);
            skipped.push({ taskId: task.id, code: 'BUDGET_EXCEEDED', reason });
          }
          await this.announcer.announce(
            tenantId,
            rest.map((task) => task.id),
          );
          break;
        }
      }
    }
    return { dispatched, skipped };
  }
}
