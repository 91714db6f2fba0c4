import { AppError, type PlanChange, type TenantEventSink, toUsd } from '@ai-org/core';
import { type BudgetService, describeBacklogWait, type PlanApprovalService, type TaskService } from '@ai-org/domain';
import type { GoalRepository } from '@ai-org/schema';
import type { Planner } from './planning/planner';
import type { RoleRouter } from './planning/role-router';

export type PlanningResult =
  | { readonly outcome: 'none' }
  | { readonly outcome: 'planned'; readonly goalId: string; readonly tasks: number }
  | { readonly outcome: 'failed' | 'waiting'; readonly goalId: string; readonly reason: string };

export interface GoalPlannerDeps {
  readonly goals: GoalRepository;
  readonly tasks: TaskService;
  readonly budget: BudgetService;
  readonly planner: Planner;
  readonly router: RoleRouter;
  /** Tokens reserved for planning one goal (architect + planner + repair + routing calls). */
  readonly planningTokens: number;
  /** A claim older than this belongs to a planner that died; another may take it over. */
  readonly staleClaimMs: number;
  /** Plan progress as live `plan` events. */
  readonly events: TenantEventSink;
  /** Spend approval: a plan above the tenant's threshold waits for an owner before any task runs. */
  readonly approvals: Pick<PlanApprovalService, 'gate' | 'announceAwaiting' | 'noteChangedPlans'>;
}

/**
 * The seed's "seed check → architect/planner prompts → Neo4j nodes → role classifier": when the
 * tenant's backlog is empty and a goal waits, plan it, route every task to a role, and write the
 * plan in one transaction. Planning is paid from the budget like any other LLM work.
 */
export class GoalPlanner {
  constructor(private readonly deps: GoalPlannerDeps) {}

  async planNext(tenantId: string): Promise<PlanningResult> {
    const { goals, budget, planner, approvals } = this.deps;
    // Most ticks have nothing to plan: a lock-free read says so, and then no tenant lock is written. The
    // claim itself still runs under the lock whenever the read sees a goal it might take.
    const outlook = await goals.planningOutlook(tenantId, this.deps.staleClaimMs);
    // An approved plan edited since waits again: its goal says so (its tasks are held by the claim already).
    if (outlook.approvedPlans) await approvals.noteChangedPlans(tenantId);
    const goal = outlook.claimable ? await goals.claimForPlanning(tenantId, this.deps.staleClaimMs) : null;
    if (!goal) {
      if (outlook.pending) await this.noteBacklogWait(tenantId);
      return { outcome: 'none' };
    }
    const progress = (phase: PlanChange['phase'], reason: string | null = null, taskCount: number | null = null) =>
      this.deps.events.publish(tenantId, { kind: 'plan', plan: { goalId: goal.id, phase, reason, taskCount } });
    await progress('planning');

    const jobId = `goal.${goal.id}`;
    const cost = budget.costOfTokens(this.deps.planningTokens);
    const reservation = await budget.reserve(tenantId, jobId, cost);
    if (reservation.status !== 'ok' && reservation.status !== 'duplicate') {
      const reason = `waiting for budget: planning needs ${toUsd(cost)} USD`;
      await goals.release(goal.id, reason);
      await progress('waiting', reason);
      return { outcome: 'waiting', goalId: goal.id, reason };
    }

    let tokensUsed = 0;
    try {
      const planned = await planner.plan(goal.text);
      tokensUsed += planned.tokensUsed;
      if (!planned.ok) return await this.fail(tenantId, goal.id, planned.reason);

      const routed = [];
      for (const task of planned.plan.tasks) {
        const route = await this.deps.router.route({ description: task.description, roleHint: task.role });
        tokensUsed += route.tokensUsed;
        routed.push({
          key: task.key,
          description: task.description,
          businessValue: task.businessValue,
          tokensPlan: task.tokensPlan,
          purposeRelevance: task.purposeRelevance,
          owner: route.role,
          routedBy: route.routedBy,
        });
      }
      await goals.recordArchitecture(tenantId, goal.id, planned.architecture);
      // Before the tasks exist: above the threshold they are held from their first moment.
      const kiloTokens = routed.reduce((sum, task) => sum + task.tokensPlan, 0);
      const approval = await approvals.gate(tenantId, goal.id, kiloTokens);
      try {
        // Each task records its goal: its agent is given the goal and the architect's outline.
        await this.deps.tasks.createPlan(
          tenantId,
          { tasks: routed, dependencies: planned.plan.dependencies },
          { goalId: goal.id },
        );
      } catch (error) {
        if (error instanceof AppError && error.code !== 'SERVICE_UNAVAILABLE') {
          return await this.fail(tenantId, goal.id, `the plan was refused: ${error.message}`);
        }
        throw error;
      }
      await goals.markPlanned(goal.id, {
        plannedBy: planned.provider,
        architecture: planned.architecture,
        taskCount: routed.length,
      });
      await progress('accepted', null, routed.length);
      if (approval.held) await approvals.announceAwaiting(tenantId, goal.id, approval.costMicroUsd, routed.length);
      return { outcome: 'planned', goalId: goal.id, tasks: routed.length };
    } finally {
      await budget.settle(tenantId, jobId, budget.costOfTokens(tokensUsed), {
        tokens: tokensUsed,
        goalId: goal.id,
        role: 'planning',
      });
    }
  }

  private async fail(tenantId: string, goalId: string, reason: string): Promise<PlanningResult> {
    await this.deps.goals.markFailed(goalId, reason);
    await this.deps.events.publish(tenantId, {
      kind: 'plan',
      plan: { goalId, phase: 'refused', reason, taskCount: null },
    });
    return { outcome: 'failed', goalId, reason };
  }

  /** A goal that cannot be planned yet says why (on the goal and as a `plan` event), once per change. */
  private async noteBacklogWait(tenantId: string): Promise<void> {
    const open = await this.deps.goals.openBacklog(tenantId);
    const reason = open && describeBacklogWait(open);
    if (!reason) return;
    for (const goalId of await this.deps.goals.noteWaiting(tenantId, reason)) {
      await this.deps.events.publish(tenantId, {
        kind: 'plan',
        plan: { goalId, phase: 'waiting', reason, taskCount: null },
      });
    }
  }
}
