import { AppError, badInput, microUsdPerUsd, type TenantEventSink, toUsd } from '@ai-org/core';
import type { Announcer, PlanApprovalRecord, PlanApprovalRepository, PlanDecision } from '@ai-org/schema';
import type { BudgetService } from '../budget/budget.service';

/** The highest spend-approval threshold a tenant may set, in USD. */
export const maxSpendApprovalUsd = 1_000_000;
/** Plan hashes are SHA-256 in hex. */
const planHashPattern = /^[0-9a-f]{64}$/;

export interface SpendApprovalView {
  /** Null: spend approval is off, every plan runs once planned. */
  readonly thresholdUsd: number | null;
}

/** A goal's approval with its planned cost priced at the current token price. */
export interface PlanApprovalView extends PlanApprovalRecord {
  readonly plannedCostMicroUsd: number;
}

/**
 * Spend approval: a tenant's threshold, and for each goal planned above it an owner's decision on its
 * plan. A plan waiting for approval holds no worker slot and no reservation: its tasks are simply not
 * claimable (the dispatch claim's `heldForApproval` guard), so nothing is queued or reserved for them.
 */
export class PlanApprovalService {
  constructor(
    private readonly repository: PlanApprovalRepository,
    private readonly budget: Pick<BudgetService, 'costOfTokens'>,
    private readonly events: TenantEventSink,
    private readonly announcer: Announcer,
  ) {}

  async setting(tenantId: string): Promise<SpendApprovalView> {
    const threshold = await this.repository.threshold(tenantId);
    return { thresholdUsd: threshold === null ? null : toUsd(threshold) };
  }

  /** 0 to `maxSpendApprovalUsd` USD (0: every plan with a cost waits), or null to turn it off. */
  async setSetting(tenantId: string, thresholdUsd: number | null): Promise<SpendApprovalView> {
    if (
      thresholdUsd !== null &&
      !(Number.isFinite(thresholdUsd) && thresholdUsd >= 0 && thresholdUsd <= maxSpendApprovalUsd)
    ) {
      throw badInput(`thresholdUsd must be 0 to ${maxSpendApprovalUsd} USD, or null to turn spend approval off`, {
        field: 'thresholdUsd',
      });
    }
    const micro = thresholdUsd === null ? null : Math.round(thresholdUsd * microUsdPerUsd);
    await this.repository.setThreshold(tenantId, micro);
    return { thresholdUsd: micro === null ? null : toUsd(micro) };
  }

  /**
   * Called by the goal planner before it writes a plan of `kiloTokens` planned tokens: records on the
   * goal whether the plan needs approval (its cost is above the threshold). Returns that cost.
   */
  async gate(tenantId: string, goalId: string, kiloTokens: number): Promise<{ held: boolean; costMicroUsd: number }> {
    const costMicroUsd = this.budget.costOfTokens(kiloTokens * 1000);
    const threshold = await this.repository.threshold(tenantId);
    const held = threshold !== null && costMicroUsd > threshold;
    await this.repository.requireApproval(tenantId, goalId, { required: held, plannedCostMicroUsd: costMicroUsd });
    return { held, costMicroUsd };
  }

  /** Announces a goal whose plan now waits for approval (after planning), with its planned cost. */
  async announceAwaiting(tenantId: string, goalId: string, costMicroUsd: number, taskCount: number): Promise<void> {
    await this.events.publish(tenantId, {
      kind: 'plan',
      plan: { goalId, phase: 'awaiting_approval', reason: awaitingReason(costMicroUsd), taskCount },
    });
  }

  /** Approved plans that changed since become `awaiting_approval` again, announced. Returns their ids. */
  async noteChangedPlans(tenantId: string): Promise<string[]> {
    const changed = await this.repository.noteChangedPlans(tenantId);
    for (const goal of changed) {
      const cost = this.budget.costOfTokens(goal.kiloTokens * 1000);
      await this.events.publish(tenantId, {
        kind: 'plan',
        plan: {
          goalId: goal.goalId,
          phase: 'awaiting_approval',
          reason: `the plan changed since its approval; ${awaitingReason(cost)}`,
          taskCount: goal.taskCount,
        },
      });
    }
    return changed.map((goal) => goal.goalId);
  }

  /** The goal's approval; null for a missing goal or another tenant's. */
  async find(tenantId: string, goalId: string): Promise<PlanApprovalView | null> {
    const record = await this.repository.get(tenantId, goalId);
    return record ? this.priced(record) : null;
  }

  /** The goal's approval; NOT_FOUND for a missing goal or another tenant's. */
  async get(tenantId: string, goalId: string): Promise<PlanApprovalView> {
    const view = await this.find(tenantId, goalId);
    if (!view) throw new AppError('NOT_FOUND', `Goal ${goalId} not found`, { details: { id: goalId } });
    return view;
  }

  /** Approves the plan whose hash the owner saw; CONFLICT when it changed since. */
  async approve(tenantId: string, goalId: string, planHash: string, by: string): Promise<PlanApprovalView> {
    if (!planHashPattern.test(planHash)) {
      throw badInput('planHash must be the 64 hex characters of the plan hash read from planApproval', {
        field: 'planHash',
      });
    }
    return this.decided(tenantId, await this.repository.approve(tenantId, goalId, planHash, by), 'approved', by);
  }

  /** Rejects a plan waiting for approval: the goal is rejected, its tasks not dispatched yet fail. */
  async reject(tenantId: string, goalId: string, by: string): Promise<PlanApprovalView> {
    const decision = await this.repository.reject(tenantId, goalId, by);
    if (decision.failedTaskIds.length > 0) {
      await this.announcer.announce(tenantId, [...decision.failedTaskIds]).catch(() => undefined);
    }
    return this.decided(tenantId, decision, 'rejected', by);
  }

  private async decided(
    tenantId: string,
    decision: PlanDecision,
    phase: 'approved' | 'rejected',
    by: string,
  ): Promise<PlanApprovalView> {
    const { record } = decision;
    // The decision is stored; the event only tells live clients (and wakes the orchestrator) sooner.
    if (decision.changed) {
      await this.events
        .publish(tenantId, {
          kind: 'plan',
          plan: { goalId: record.goalId, phase, reason: `${phase} by ${by}`, taskCount: record.taskCount },
        })
        .catch(() => undefined);
    }
    return this.priced(record);
  }

  private priced(record: PlanApprovalRecord): PlanApprovalView {
    return { ...record, plannedCostMicroUsd: this.budget.costOfTokens(record.plannedKiloTokens * 1000) };
  }
}

const awaitingReason = (costMicroUsd: number): string =>
  `awaiting approval: ${toUsd(costMicroUsd).toFixed(2)} USD planned`;
